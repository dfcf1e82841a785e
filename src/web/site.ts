// What routes render through: the site's name and URL, its theme, the section navigation and the site
// settings (re-read only when they changed), and render(), which frames a page's main content in the
// theme's layout.
import type { Config } from '../config.ts';
import { EVERYTHING, type ChangeKey, type Store } from '../db/store.ts';
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
  /** Stops listening to the store's change feed. */
  close(): void;
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
  sections: Section[];
  settings: SiteSettings;
}

/** The site over a store: its chrome, cached until the store announces a change. */
/** What the chrome shows from the store (the navigation, the settings): the keys pages record for it. */
const CHROME_KEYS: readonly ChangeKey[] = [key.sections, key.settings];

export function createSite(config: Config, store: Store, { theme, assets, feeds, loadSections, loadSettings, initialSettings }: SiteParts): Site {
  let cached: Snapshot | null = null;
  let settings = initialSettings;
  // An announcement of the keys the chrome is built from (CHROME_KEYS, which pages record for it) or of
  // everything makes the snapshot stale; others (a comment, an article) leave it, so the next page or
  // comment post does not read the sections and settings again (decision 0052). The feed tells its
  // listeners of other processes' changes when it is asked (current()): refresh() asks; render() uses
  // what was heard, as the public context refreshed before the route ran (decision 0044).
  let stale = true;
  const unsubscribe = store.changes.subscribe((keys) => {
    if (keys.some((k) => k === EVERYTHING || CHROME_KEYS.includes(k))) stale = true;
  });
  async function refresh(ask: boolean): Promise<Snapshot | null> {
    if (ask) store.changes.current();
    if (!cached || stale) {
      // A change heard while these load leaves the snapshot stale for the next page.
      stale = false;
      try {
        const [sections, loaded] = await Promise.all([loadSections(), loadSettings()]);
        cached = { sections, settings: loaded };
        settings = loaded;
      } catch (error) {
        stale = true;
        // While the database is away, pages that can still be made (error pages) keep the last chrome.
        if (!store.isUnavailable(error)) throw error;
        return cached;
      }
    }
    return cached;
  }
  const link = (l: { label: string; url: string }) => ({ label: l.label, href: l.url });
  let chrome: { snapshot: Snapshot | null; settings: SiteSettings; view: SiteChrome } | null = null;
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
      return (await refresh(true))?.sections ?? [];
    },
    async refresh() {
      await refresh(true);
    },
    keys: CHROME_KEYS,
    async render(meta, main) {
      const snapshot = await refresh(false);
      // The chrome is the same for every page until the snapshot or the settings change.
      if (!chrome || chrome.snapshot !== snapshot || chrome.settings !== settings) {
        chrome = {
          snapshot,
          settings,
          view: {
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
          },
        };
      }
      return theme.layout(chrome.view, meta, main);
    },
    close: unsubscribe,
  };
}
