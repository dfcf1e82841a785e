// Time zones as the site settings take them: IANA names Intl knows.

/**
 * The IANA name Intl knows this time zone by ("europe/paris" -> "Europe/Paris"), or null when it is
 * not one (an offset such as "+01:00" or an abbreviation such as "CET" is not accepted here either).
 */
export function canonicalTimeZone(value: string): string | null {
  // Region/City names only (and UTC): ICU maps some abbreviations to a city ("CET" -> Europe/Brussels).
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/.test(value) && value.toUpperCase() !== 'UTC') return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The wall-clock fields of an instant in a time zone, as a UTC timestamp with the same fields. */
function wallClock(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/**
 * The instant a wall-clock time ("2026-03-29T09:30", as a datetime-local field gives it) names in a time
 * zone; null when the text is not such a time. A time that happens twice (clocks going back) is the first;
 * one that never happens (clocks going forward) lands just after the gap.
 */
export function zonedTimeToUtc(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, m[6] ? Number(m[6]) : 0);
  if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== d) return null;
  // The zone's offsets a day before and a day after: the instants they give that show this wall-clock
  // time are the answers (two around clocks going back, none in the gap when they go forward).
  const withOffsetAt = (t: number) => asUtc - (wallClock(t, zone) - t);
  const before = withOffsetAt(asUtc - 86_400_000);
  const after = withOffsetAt(asUtc + 86_400_000);
  const shown = [before, after].filter((t) => wallClock(t, zone) === asUtc).sort((a, b) => a - b);
  return new Date(shown[0] ?? before);
}

/** An instant as the wall-clock time ("2026-03-29T09:30") a datetime-local field shows in a time zone. */
export function utcToZonedInput(iso: string, zone: string): string {
  return new Date(wallClock(Date.parse(iso), zone)).toISOString().slice(0, 16);
}
