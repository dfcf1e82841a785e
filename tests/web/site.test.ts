// The site's chrome (navigation and settings) is read again when an announcement names what it is built
// from (`sections`, `settings`, or everything), and only then (decision 0052): a comment accepted 20
// times a second made the next request read the sections and the settings each time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { key } from '../../src/db/change-keys.ts';
import { EVERYTHING, type ChangeKey, type Store } from '../../src/db/store.ts';
import { defaultSettings } from '../../src/settings/settings.service.ts';
import { loadAssets } from '../../src/web/assets.ts';
import { createSite } from '../../src/web/site.ts';
import { defaultTheme } from '../../src/web/theme/index.ts';

describe('the site chrome', () => {
  it('reads the sections and settings again after their keys or everything are announced, not after other changes', async () => {
    const listeners = new Set<(keys: readonly ChangeKey[]) => void>();
    const announce = (keys: readonly ChangeKey[]) => {
      for (const l of listeners) l(keys);
    };
    const store = {
      changes: {
        announce,
        subscribe(listener: (keys: readonly ChangeKey[]) => void) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        current: () => '0',
      },
      isUnavailable: () => false,
    } as unknown as Store;
    const config = loadConfig({ DATABASE_URL: 'file:/nonexistent/gazette.db', PUBLIC_URL: 'http://gazette.test', LOG_LEVEL: 'silent' });
    let sectionReads = 0;
    let settingsReads = 0;
    const site = createSite(config, store, {
      theme: defaultTheme,
      assets: loadAssets(defaultTheme.assets),
      feeds: () => [],
      loadSections: async () => {
        sectionReads++;
        return [];
      },
      loadSettings: async () => {
        settingsReads++;
        return defaultSettings(config);
      },
      initialSettings: defaultSettings(config),
    });
    try {
      const reads = async () => {
        await site.refresh();
        return [sectionReads, settingsReads];
      };
      assert.deepEqual(await reads(), [1, 1], 'read once at first');
      assert.deepEqual(await reads(), [1, 1], 'nothing announced: not read again');
      announce([key.comments(12)]);
      announce([key.article(3), key.articles, key.home, key.feeds, key.sitemaps, key.search, key.section(1)]);
      announce([key.webhooks, key.image(4), key.page(2)]);
      assert.deepEqual(await reads(), [1, 1], 'changes the chrome does not show: not read again');
      announce([key.section(1), key.sections]);
      assert.deepEqual(await reads(), [2, 2], 'sections announced');
      announce([key.settings, key.feeds]);
      assert.deepEqual(await reads(), [3, 3], 'settings announced');
      announce([EVERYTHING]);
      assert.deepEqual(await reads(), [4, 4], 'everything announced');
      assert.deepEqual([...site.keys].sort(), [key.sections, key.settings].sort(), 'the keys pages record for the chrome are those that refresh it');
    } finally {
      site.close();
    }
  });
});
