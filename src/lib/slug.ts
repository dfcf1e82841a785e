// URL slugs: lower-case letters and digits of any script joined by hyphens.

/** Makes a slug from a title; letters outside Latin are kept (URLs carry them percent-encoded). */
export function slugify(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/gu, '')
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/g, '');
}

/** True when the value is a well-formed slug. */
export function isSlug(value: string): boolean {
  return value.length > 0 && value.length <= 120 && /^[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*$/u.test(value);
}

/**
 * Lowers ASCII capitals only: slugs of other scripts are left as written (no locale rules such as the
 * Turkish dotless i), so an address typed with capitals can be matched to a slug without guessing.
 */
export function lowerAscii(value: string): string {
  return value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
