// Language-dependent formatting shared by every page: writing direction, dates, times and numbers in
// the digits and calendar readers of the language expect.

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi']);

/** The base language of a tag: "fa-IR" -> "fa". */
export const baseLanguage = (language: string) => language.split('-')[0]!.toLowerCase();

/** Writing direction of a language. */
export function directionOf(language: string): 'rtl' | 'ltr' {
  return RTL.has(baseLanguage(language)) ? 'rtl' : 'ltr';
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A number written with the digits readers of the language expect (Persian ۱۲, Arabic ١٢). */
export function formatNumber(language: string, n: number): string {
  let f = numberFormats.get(language);
  if (!f) {
    f = new Intl.NumberFormat(language);
    numberFormats.set(language, f);
  }
  return f.format(n);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A reader-facing date in the page's language (Persian pages use the Solar Hijri calendar, as readers expect). */
export function formatDate(iso: string, language: string): string {
  let f = dateFormats.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language, f);
  }
  return f.format(new Date(iso));
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** A reader-facing clock time in UTC, e.g. "13:45 UTC". */
export function formatTime(iso: string, language: string): string {
  let f = timeFormats.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' });
    timeFormats.set(language, f);
  }
  return `${f.format(new Date(iso))} UTC`;
}
