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
/** Dates already written, by language and day: formatting one costs more than the rest of a card. */
const writtenDates = new Map<string, string>();
const WRITTEN_DATES = 20_000;

/** A reader-facing date in the page's language (Persian pages use the Solar Hijri calendar, as readers expect). */
export function formatDate(iso: string, language: string): string {
  const day = new Date(iso);
  // The long date style shows the day only, so the UTC day is the whole of what is written.
  const memo = `${language} ${day.toISOString().slice(0, 10)}`;
  let written = writtenDates.get(memo);
  if (written === undefined) {
    let f = dateFormats.get(language);
    if (!f) {
      f = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
      dateFormats.set(language, f);
    }
    written = f.format(day);
    if (writtenDates.size >= WRITTEN_DATES) writtenDates.clear();
    writtenDates.set(memo, written);
  }
  return written;
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
