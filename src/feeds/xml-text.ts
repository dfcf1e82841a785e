// xmlbuilder2 escapes "<" and ">" but leaves anything shaped like an entity reference ("&amp;", "&T;")
// untouched, on the theory that the caller wrote it on purpose. Text from articles is never markup:
// every "&" is escaped here first, so "&lt;script&gt;" in a body stays text and "AT&T;" stays well-formed.

/** Text or an attribute value for xmlbuilder2, with every ampersand escaped. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;');
}
