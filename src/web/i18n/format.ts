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
/** Dates already written, by language, zone and day: formatting one costs more than the rest of a card. */
const writtenDates = new Map<string, string>();
const WRITTEN_DATES = 20_000;

/** The site's time zone when none is given: dates stored in UTC are shown in UTC. */
export const DEFAULT_TIME_ZONE = 'UTC';

function dateFormat(language: string, timeZone: string): Intl.DateTimeFormat {
  const memo = `${language} ${timeZone}`;
  let f = dateFormats.get(memo);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone });
    dateFormats.set(memo, f);
  }
  return f;
}

/**
 * A reader-facing date in the page's language, on the calendar day it was in the site's time zone
 * (Persian pages use the Solar Hijri calendar, as readers expect).
 */
export function formatDate(iso: string, language: string, timeZone = DEFAULT_TIME_ZONE): string {
  const day = new Date(iso);
  // The long date style shows the day only: in UTC the UTC day is the whole of what is written; other
  // zones' days start at other minutes (India's at :30), so their written dates are kept by the minute.
  const stamp = day.toISOString();
  const memo = `${language} ${timeZone} ${timeZone === 'UTC' ? stamp.slice(0, 10) : stamp.slice(0, 16)}`;
  let written = writtenDates.get(memo);
  if (written === undefined) {
    written = dateFormat(language, timeZone).format(day);
    if (writtenDates.size >= WRITTEN_DATES) writtenDates.clear();
    writtenDates.set(memo, written);
  }
  return written;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** A reader-facing clock time in the site's time zone with the zone's abbreviation, e.g. "13:45 UTC", "09:30 EST". */
export function formatTime(iso: string, language: string, timeZone = DEFAULT_TIME_ZONE): string {
  const memo = `${language} ${timeZone}`;
  let f = timeFormats.get(memo);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' });
    timeFormats.set(memo, f);
  }
  return f.format(new Date(iso));
}

/** A date and clock time with the zone's abbreviation, e.g. "29 November 2026, 14:05 GMT+1". */
export function formatDateTime(iso: string, language: string, timeZone = DEFAULT_TIME_ZONE): string {
  const separator = directionOf(language) === 'rtl' ? '، ' : ', ';
  return formatDate(iso, language, timeZone) + separator + formatTime(iso, language, timeZone);
}

/** True when both instants fall on the same calendar day in the time zone. */
export function sameDay(a: string, b: string, timeZone = DEFAULT_TIME_ZONE): boolean {
  const f = dateFormat('en', timeZone);
  return f.format(new Date(a)) === f.format(new Date(b));
}
