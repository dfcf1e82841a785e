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
