// Last-Modified / If-Modified-Since for generated documents (feeds, sitemaps). ETag / If-None-Match is
// handled by reply.cachedBody(); per RFC 9110 §13.1.3 If-Modified-Since is ignored when If-None-Match is
// present, and also when its value is not one valid HTTP-date. Date.parse is not used to read it: it
// accepts almost anything ("garbage 2030", a year 275760), and an accepted nonsense date answers 304.
import type { IncomingHttpHeaders } from 'node:http';

/** The HTTP-date (IMF-fixdate) of an ISO time. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
// The three forms of RFC 9110 §5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms.
const HTTP_DATE_FORMS = [
  new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  new RegExp(`^${LONG_DAY}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`),
  new RegExp(`^${DAY} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`),
];

/** The instant an HTTP-date names, in milliseconds, or null when the text is not exactly one valid HTTP-date. */
export function parseHttpDate(text: string): number | null {
  for (const form of HTTP_DATE_FORMS) {
    const g = form.exec(text)?.groups;
    if (!g) continue;
    const year = g.year!.length === 2 ? twoDigitYear(Number(g.year)) : Number(g.year);
    return instant(year, MONTHS.indexOf(g.month!), Number(g.day), Number(g.hour), Number(g.minute), Number(g.second));
  }
  return null;
}

/** RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is the most recent past year with those digits. */
function twoDigitYear(yy: number): number {
  const now = new Date().getUTCFullYear();
  let year = Math.floor(now / 100) * 100 + yy;
  if (year > now + 50) year -= 100;
  return year;
}

/** The UTC instant, or null when a part is out of range (31 November, 24:00:00; a leap second is read as :59). */
function instant(year: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/**
 * True when the request's If-Modified-Since shows the client already has this version. A value that is
 * not one valid HTTP-date, or a date later than now (no client can have seen it), is ignored.
 */
export function notModifiedSince(headers: IncomingHttpHeaders, lastModifiedIso: string): boolean {
  if (headers['if-none-match'] !== undefined) return false;
  const since = headers['if-modified-since'];
  if (!since) return false;
  const sinceMs = parseHttpDate(since);
  if (sinceMs === null || sinceMs > Date.now()) return false;
  // HTTP dates have whole seconds: compare at that resolution.
  return Math.floor(Date.parse(lastModifiedIso) / 1000) <= Math.floor(sinceMs / 1000);
}
