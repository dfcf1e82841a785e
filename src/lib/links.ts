// Links editors type (navigation, footer, an author's profile): which addresses they may have.

const MAX_LINK_URL = 2000;

/** True for an address a link or logo may have: http(s), mailto: or a path on the site. */
export function isLinkUrl(url: string): boolean {
  // No spaces or control characters, and no backslash (browsers read "/\\host" as "//host").
  if (url.length > MAX_LINK_URL || /[\s\\\u0000-\u001f\u007f]/.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol);
  } catch {
    return false;
  }
}
