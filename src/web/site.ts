// What routes render through: the site's name and URL, its theme, the section navigation and the site
// settings (re-read only when content changed), and render(), which frames a page's main content in the
// theme's layout.
import type { Config } from '../config.ts';
import type { ChangeKey, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { SafeHtml } from '../lib/html.ts';
import type { Section } from '../sections/section.service.ts';
import type { SiteSettings } from '../settings/settings.service.ts';
import type { Assets } from './assets.ts';
import type { Alternate, PageMeta, SiteChrome, Theme } from './theme.ts';

export interface Site {
  /** The site's name, language and time zone as the settings have them (the configuration's until an admin changes them). */
  readonly name: string;
  readonly publicUrl: string;
  readonly language: string;
  readonly timeZone: string;
  readonly settings: SiteSettings;
  /** The theme pages are drawn with, writing dates in the site's time zone: routes call its page functions. */
  readonly theme: Theme;
  sections(): Promise<Section[]>;
  /**
   * Brings the settings and the navigation up to date with the store (one comparison when nothing
   * changed). The public context runs it before each route, so the synchronous fields above are current.
   */
  refresh(): Promise<void>;
  /** What the chrome render() adds shows from the store (the navigation, the settings), as change keys. */
  readonly keys: readonly ChangeKey[];
  /** Frames main content in the theme's layout and returns the whole HTML document. */
  render(meta: PageMeta, main: SafeHtml): Promise<string>;
}

export interface SiteParts {
  theme: Theme;
  assets: Assets;
  /** The site's own feeds, announced on every page, titled with the site's name. */
  feeds(siteName: string): readonly Alternate[];
  /** Reads every section in navigation order. */
  loadSections(): Promise<Section[]>;
  /** Reads the settings in force (saved ones over the configured defaults). */
  loadSettings(): Promise<SiteSettings>;
  /** The settings before the store is read (the configuration's). */
  initialSettings: SiteSettings;
}

interface Snapshot {
  version: string;
  sections: Section[];
  settings: SiteSettings;
}

/** The site over a store: its chrome, cached until the store announces a change. */
export function createSite(config: Config, store: Store, { theme, assets, feeds, loadSections, loadSettings, initialSettings }: SiteParts): Site {
  let cached: Snapshot | null = null;
  let settings = initialSettings;
  async function refresh(): Promise<Snapshot | null> {
    const version = store.changes.current();
    if (!cached || cached.version !== version) {
      try {
        const [sections, loaded] = await Promise.all([loadSections(), loadSettings()]);
        cached = { version, sections, settings: loaded };
        settings = loaded;
      } catch (error) {
        // While the database is away, pages that can still be made (error pages) keep the last chrome.
        if (!store.isUnavailable(error)) throw error;
        return cached;
      }
    }
    return cached;
  }
  const link = (l: { label: string; url: string }) => ({ label: l.label, href: l.url });
  return {
    get name() {
      return settings.name;
    },
    publicUrl: config.publicUrl,
    get language() {
      return settings.language;
    },
    get timeZone() {
      return settings.timeZone;
    },
    get settings() {
      return settings;
    },
    get theme() {
      return theme.inTimeZone(settings.timeZone);
    },
    async sections() {
      return (await refresh())?.sections ?? [];
    },
    async refresh() {
      await refresh();
    },
    keys: [key.sections, key.settings],
    async render(meta, main) {
      const snapshot = await refresh();
      const chrome: SiteChrome = {
        siteName: settings.name,
        description: settings.description,
        logo: settings.logoUrl,
        publicUrl: config.publicUrl,
        stylesheet: assets.stylesheetPath,
        icon: assets.iconPath,
        sections: (snapshot?.sections ?? []).map((s) => ({ name: s.name, path: s.path, language: s.language })),
        links: settings.navigation.map(link),
        footerLinks: settings.footer.map(link),
        feeds: feeds(settings.name),
      };
      return theme.layout(chrome, meta, main);
    },
  };
}
