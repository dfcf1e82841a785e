// An article's search and social texts (decision 0033): the SEO title, which becomes the page's whole
// <title> and its og:/twitter: title, and the SEO description, which becomes its meta, og: and twitter:
// description and its JSON-LD description. Both are optional: empty means the headline (with the site's
// name) and the subtitle or excerpt, as before. The visible headline never changes.
import { z } from 'zod';

/** Longest SEO title and description stored (Ghost's limits); the form says how many show in full. */
export const SEO_TITLE_MAX = 300;
export const SEO_DESCRIPTION_MAX = 500;
/** About how many characters search results show in full, for the form's hints. */
export const SEO_TITLE_SHOWN = 60;
export const SEO_DESCRIPTION_SHOWN = 160;

// C0 and C1 controls, line breaks and tabs included: a <title> or a meta description is one line of text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const seoText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `use at most ${max.toLocaleString('en')} characters`)
    .refine((s) => !CONTROL.test(s), 'remove line breaks, tabs and other control characters: this text is one line');

/** The checks of each text, without a default (for partial changes); `.default('')` where a new article is read. */
export const seoTitleField = seoText(SEO_TITLE_MAX);
export const seoDescriptionField = seoText(SEO_DESCRIPTION_MAX);

/** Whether a text holds a control character (for callers that clean rather than refuse, such as an import). */
export const hasControlCharacter = (s: string): boolean => CONTROL.test(s);

/** The title and description a page's head uses: the SEO texts when set, otherwise the article's own. */
export function headTexts(a: { headline: string; subtitle: string; excerpt: string; seoTitle: string; seoDescription: string }): { seoTitle: string | undefined; description: string } {
  return { seoTitle: a.seoTitle || undefined, description: a.seoDescription || a.subtitle || a.excerpt };
}
