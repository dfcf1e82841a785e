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
