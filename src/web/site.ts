// What routes render through: the site's name and URL, its theme, the section navigation (re-read only
// when content changed), and render(), which frames a page's main content in the theme's layout.
import type { Config } from '../config.ts';
import type { ChangeKey, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { SafeHtml } from '../lib/html.ts';
import type { Section } from '../sections/section.service.ts';
import type { Assets } from './assets.ts';
import type { Alternate, PageMeta, SiteChrome, Theme } from './theme.ts';

export interface Site {
  readonly name: string;
  readonly publicUrl: string;
  readonly language: string;
  /** The theme pages are drawn with: routes call its page functions for the main content. */
  readonly theme: Theme;
  sections(): Promise<Section[]>;
  /** What the chrome render() adds shows from the store (the section navigation), as change keys. */
  readonly keys: readonly ChangeKey[];
  /** Frames main content in the theme's layout and returns the whole HTML document. */
  render(meta: PageMeta, main: SafeHtml): Promise<string>;
}

export interface SiteParts {
  theme: Theme;
  assets: Assets;
  /** The site's own feeds, announced on every page. */
  feeds: readonly Alternate[];
  /** Reads every section in navigation order. */
  loadSections(): Promise<Section[]>;
}

/** The site over a store: its chrome, cached until the store announces a change. */
export function createSite(config: Config, store: Store, { theme, assets, feeds, loadSections }: SiteParts): Site {
  let cached: { version: string; sections: Section[] } | null = null;
  async function sections(): Promise<Section[]> {
    const version = store.changes.current();
    if (!cached || cached.version !== version) {
      try {
        cached = { version, sections: await loadSections() };
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
    theme,
    sections,
    keys: [key.sections],
    async render(meta, main) {
      const chrome: SiteChrome = {
        siteName: config.siteName,
        publicUrl: config.publicUrl,
        stylesheet: assets.stylesheetPath,
        icon: assets.iconPath,
        sections: (await sections()).map((s) => ({ name: s.name, path: s.path, language: s.language })),
        feeds,
      };
      return theme.layout(chrome, meta, main);
    },
  };
}
