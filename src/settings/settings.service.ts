// The site's settings: name, description, language, time zone, logo, navigation and footer links. The
// configuration (SITE_NAME, SITE_LANGUAGE) gives the defaults; what an admin saves overrides them. Every
// page's chrome shows them, so a change announces `settings`, which every such page records (site.keys).
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { key } from '../db/change-keys.ts';
import type { Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { isLinkUrl } from '../lib/links.ts';
import { canonicalTimeZone } from '../lib/time-zone.ts';
import { isLanguageTag } from '../sections/section.service.ts';
import { readSettingRows, writeSettingRow } from './settings.repository.ts';

/** A link in the navigation or the footer. */
export interface SiteLink {
  label: string;
  /** An absolute http(s) URL, a mailto: address or a path on the site ("/about"). */
  url: string;
}

export interface SiteSettings {
  name: string;
  description: string;
  /** Language of pages not tied to one article or section. */
  language: string;
  /** IANA time zone dates on public pages are shown in, with its abbreviation. */
  timeZone: string;
  logoUrl: string | null;
  /** Links shown in the masthead after the sections. */
  navigation: SiteLink[];
  footer: SiteLink[];
}

/** The settings before an admin changed any: from the configuration. */
export interface SettingsDefaults {
  siteName: string;
  siteLanguage: string;
}

const MAX_NAME = 120;
const MAX_DESCRIPTION = 500;
const MAX_LINKS = 20;
const MAX_LABEL = 60;

export function defaultSettings(defaults: SettingsDefaults): SiteSettings {
  return { name: defaults.siteName, description: '', language: defaults.siteLanguage, timeZone: 'UTC', logoUrl: null, navigation: [], footer: [] };
}

/** Reads a stored value, or the default when it is absent or no longer readable. */
function stored<T>(rows: Map<string, string>, name: keyof SiteSettings, fallback: T, valid: (v: unknown) => v is T): T {
  const raw = rows.get(name);
  if (raw === undefined) return fallback;
  try {
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isLinks = (v: unknown): v is SiteLink[] =>
  Array.isArray(v) && v.every((l) => typeof l === 'object' && l !== null && isString((l as SiteLink).label) && isString((l as SiteLink).url));

/** The settings in force: what was saved over the configured defaults. */
export async function loadSettings(db: Db, defaults: SettingsDefaults): Promise<SiteSettings> {
  const rows = await readSettingRows(db);
  const d = defaultSettings(defaults);
  return {
    name: stored(rows, 'name', d.name, isString),
    description: stored(rows, 'description', d.description, isString),
    language: stored(rows, 'language', d.language, isString),
    timeZone: stored(rows, 'timeZone', d.timeZone, isString),
    logoUrl: stored(rows, 'logoUrl', d.logoUrl, isNullableString),
    navigation: stored(rows, 'navigation', d.navigation, isLinks),
    footer: stored(rows, 'footer', d.footer, isLinks),
  };
}

function linkProblems(links: readonly SiteLink[]): string | null {
  if (links.length > MAX_LINKS) return `Use at most ${MAX_LINKS} links.`;
  for (const [i, l] of links.entries()) {
    if (!l.label || l.label.length > MAX_LABEL) return `Link ${i + 1}: the label must have 1 to ${MAX_LABEL} characters.`;
    if (!isLinkUrl(l.url)) return `Link ${i + 1}: the address must start with https://, http://, mailto: or /.`;
  }
  return null;
}

/** Checks and tidies the settings; throws invalid_input with a message per field. */
export function validateSettings(input: SiteSettings): SiteSettings {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = 'Enter the site’s name.';
  else if (name.length > MAX_NAME) fields.name = `Use at most ${MAX_NAME} characters.`;
  const description = input.description.trim();
  if (description.length > MAX_DESCRIPTION) fields.description = `Use at most ${MAX_DESCRIPTION} characters.`;
  const language = input.language.trim();
  if (!isLanguageTag(language)) fields.language = 'Enter a language tag such as "en", "ar" or "fa".';
  const timeZone = canonicalTimeZone(input.timeZone.trim());
  if (!timeZone) fields.timeZone = `"${input.timeZone.trim()}" is not a time zone; use a name such as "Europe/London" or "Asia/Beirut".`;
  const logoUrl = input.logoUrl?.trim() || null;
  if (logoUrl !== null && (!isLinkUrl(logoUrl) || logoUrl.startsWith('mailto:'))) fields.logoUrl = 'The logo’s address must start with https://, http:// or /.';
  const tidy = (links: readonly SiteLink[]) => links.map((l) => ({ label: l.label.trim(), url: l.url.trim() }));
  const navigation = tidy(input.navigation);
  const footer = tidy(input.footer);
  const navProblem = linkProblems(navigation);
  if (navProblem) fields.navigation = navProblem;
  const footerProblem = linkProblems(footer);
  if (footerProblem) fields.footer = footerProblem;
  if (Object.keys(fields).length) throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
  return { name, description, language, timeZone: timeZone!, logoUrl, navigation, footer };
}

/** Saves every setting; the next request of every page shows them. */
export async function saveSettings(store: Store, actor: Account, input: SiteSettings): Promise<SiteSettings> {
  ensureCan(actor, 'settings.manage');
  const settings = validateSettings(input);
  await store.writeTransaction(async (trx) => {
    const at = new Date().toISOString();
    for (const [name, value] of Object.entries(settings)) await writeSettingRow(trx, name, JSON.stringify(value), at);
    await recordAudit(trx, { actorId: actor.id, action: 'settings.update', subject: 'settings', details: { name: settings.name, timeZone: settings.timeZone, language: settings.language } });
  });
  // The chrome of every page, and the site's name in feeds and the news sitemap.
  store.changes.announce([key.settings, key.feeds, key.sitemaps]);
  return settings;
}
