// What every page needs besides its own content: the site's name and URL, the fingerprinted stylesheet,
// the section navigation (re-read only when content changed), and a function that frames a page.
import type { Config } from '../config.ts';
import type { ChangeKey, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { SafeHtml } from '../lib/html.ts';
import { allSections, type Section } from '../sections/section.service.ts';
import type { Assets } from './assets.ts';
import { layout, type PageMeta, type SiteChrome } from './theme/layout.ts';

export interface Site {
  readonly name: string;
  readonly publicUrl: string;
  readonly language: string;
  sections(): Promise<Section[]>;
  /** What the chrome render() adds shows from the store (the section navigation), as change keys. */
  readonly keys: readonly ChangeKey[];
  /** Frames main content in the site's layout and returns the whole HTML document. */
  render(meta: PageMeta, main: SafeHtml): Promise<string>;
}

export function createSite(config: Config, store: Store, assets: Assets): Site {
  let cached: { version: string; sections: Section[] } | null = null;
  async function sections(): Promise<Section[]> {
    const version = store.changes.current();
    if (!cached || cached.version !== version) {
      try {
        cached = { version, sections: await allSections(store.db) };
      } catch (error) {
        // While the database is away, pages that can still be made (error pages) keep the last navigation.
        if (!store.isUnavailable(error)) throw error;
        return cached?.sections ?? [];
      }
    }
    return cached.sections;
  }
  return {
    name: config.siteName,
    publicUrl: config.publicUrl,
    language: config.siteLanguage,
    sections,
    keys: [key.sections],
    async render(meta, main) {
      const chrome: SiteChrome = {
        siteName: config.siteName,
        publicUrl: config.publicUrl,
        stylesheet: assets.stylesheetPath,
        icon: assets.iconPath,
        sections: (await sections()).map((s) => ({ name: s.name, path: s.path, language: s.language })),
      };
      return layout(chrome, meta, main);
    },
  };
}
