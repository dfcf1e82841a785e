// xmlbuilder2 escapes "<" and ">" but leaves anything shaped like an entity reference ("&amp;", "&T;")
// in text untouched, on the theory that the caller wrote it on purpose. Text from articles is never
// markup: every "&" is escaped here first, so "&lt;script&gt;" in a body stays text and "AT&T;" stays
// well-formed. Characters XML 1.0 cannot carry at all (most control characters) are dropped.

// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content for xmlbuilder2's txt(), with every ampersand escaped. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;');
}
