// An article body written as HTML (the admin's body editor) is cleaned on the server when it is written,
// to the few elements a news article is made of; nothing the browser sent is trusted (decision 0021).
// Kept pure so the store's migrations and the article service can both derive a body from it.
import type sanitizeHtml from 'sanitize-html';
import { normaliseSpace } from './excerpt.ts';
import { htmlparser2, sanitizeHtml as sanitizer } from './on-demand.ts';

/** Classes the body's figures carry: an image with caption and credit, or an embed shown as a link. */
export const FIGURE_CLASSES = { image: 'body-image', embed: 'body-embed', credit: 'credit' } as const;

const DIRECTION = { name: 'dir', multiple: false, values: ['ltr', 'rtl', 'auto'] };

// Elements a reader's browser treats as a paragraph break when the body is read as plain text.
const BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption', 'small', 'br', 'hr', 'img']);

/** Adds rel to links that leave the site; target is never kept, so a link opens where the reader chose. */
function linkAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const href = attribs.href;
  const external = href !== undefined && /^https?:/i.test(href.trim());
  return { tagName, attribs: external ? { href, rel: 'noopener noreferrer' } : href !== undefined ? { href } : {} };
}

/**
 * Keeps an image's alt always present: an image without one is taken as decorative (alt=""). A picture
 * of the media library carries its id (data-media-id, digits only), so pages show its current files.
 */
function imageAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { 'data-media-id': mediaId, ...rest } = attribs;
  return { tagName, attribs: { ...rest, alt: attribs.alt ?? '', ...(mediaId && /^[1-9][0-9]{0,9}$/.test(mediaId) ? { 'data-media-id': mediaId } : {}) } };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'code', 'br', 'hr', 'figure', 'img', 'figcaption', 'small'],
  allowedAttributes: {
    a: ['href', 'rel'],
    img: ['src', 'alt', 'data-media-id'],
    figure: ['class'],
    small: ['class'],
    ol: ['start'],
    p: [DIRECTION],
    h2: [DIRECTION],
    h3: [DIRECTION],
    h4: [DIRECTION],
    blockquote: [DIRECTION],
    li: [DIRECTION],
  },
  allowedClasses: { figure: [FIGURE_CLASSES.image, FIGURE_CLASSES.embed], small: [FIGURE_CLASSES.credit] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // Images come from the web or the site itself: no data:, blob: or file: (pasted from a word processor).
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Their content is dropped with them, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'iframe', 'object', 'noembed', 'noframes', 'xmp', 'plaintext'],
  transformTags: {
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    b: 'strong',
    i: 'em',
    a: linkAttributes,
    img: imageAttributes,
  },
  // An image whose address was refused is no image at all; an empty paragraph (the editor keeps one at
  // the end to type into) is no paragraph.
  exclusiveFilter: (frame) => (frame.tag === 'img' && !frame.attribs.src) || (frame.tag === 'p' && frame.text.trim() === '' && frame.mediaChildren.length === 0),
};

/**
 * Heading levels as a page's outline needs them: the headline is the page's h1, so the body's headings
 * start at h2 and never skip a level (imported posts often open with an h3 or jump from h2 to h4, which
 * the HTML checker refuses). Works on cleaned HTML, where headings are h2 to h4 and never nest.
 */
function levelHeadings(html: string): string {
  let previous = 1;
  let open = 2;
  return html.replace(/<(\/?)h([2-4])(?=[\s>])/gi, (_tag, closing: string, level: string) => {
    if (closing) return `</h${open}`;
    open = Math.min(Number(level), previous + 1);
    previous = open;
    return `<h${open}`;
  });
}

/** The bodies cleanBodyHtml returned last, oldest first (see cleanedBodyHtml). */
const recentlyCleaned = new Set<string>();
/** More than a batch of imported posts, whose bodies are cleaned before the batch is written. */
const RECENT_BODIES = 256;

function remember(clean: string): string {
  recentlyCleaned.delete(clean);
  recentlyCleaned.add(clean);
  if (recentlyCleaned.size > RECENT_BODIES) recentlyCleaned.delete(recentlyCleaned.values().next().value!);
  return clean;
}

/**
 * The HTML of a body as the editor sent it, cleaned to the elements, attributes and schemes articles
 * use; with `levelHeadings`, its headings renumbered to start at h2 and never skip a level (an import
 * asks for this: a writer's own headings are kept as chosen).
 */
export function cleanBodyHtml(dirty: string, options: { levelHeadings?: boolean } = {}): string {
  const clean = sanitizer()(dirty, OPTIONS).trim();
  return remember(options.levelHeadings ? levelHeadings(clean) : clean);
}

/**
 * cleanBodyHtml for a body that may have just come out of it (an import converts and cleans a post's
 * content, then hands it to the article service, which trusts no caller): one of the last bodies
 * cleanBodyHtml returned is given back as it is, since cleaning clean HTML changes nothing (a test holds
 * this over every XSS payload of the corpus); any other string is cleaned.
 */
export function cleanedBodyHtml(html: string): string {
  return recentlyCleaned.has(html) ? html : cleanBodyHtml(html);
}

/**
 * A body cleanBodyHtml returned in another thread of this process (the import's reading thread,
 * decision 0051), remembered as if returned here, so cleanedBodyHtml gives it back as it is. Only for
 * that: a string from anywhere else must go through cleanBodyHtml.
 */
export function cleanedInThread(clean: string): string {
  return remember(clean);
}

/** Plain text of body HTML (as cleanBodyHtml returns it), a space between blocks, white space collapsed. */
export function plainTextOfHtml(clean: string): string {
  const parts: string[] = [];
  // Captions and credits under figures are not the story's text: excerpts, snippets and the reading time leave them out.
  let inCaption = 0;
  const parser = new (htmlparser2().Parser)(
    {
      ontext: (text) => {
        if (!inCaption) parts.push(text);
      },
      onopentag: (name) => {
        if (name === 'figcaption') inCaption++;
        if (BLOCKS.has(name)) parts.push(' ');
      },
      onclosetag: (name) => {
        if (name === 'figcaption') inCaption--;
        if (BLOCKS.has(name)) parts.push(' ');
      },
    },
    { decodeEntities: true },
  );
  parser.write(clean);
  parser.end();
  return normaliseSpace(parts.join(''));
}

/**
 * How many images of an HTML body carry no `alt` attribute at all. The body editor always writes one
 * (empty when the writer ticked "Decorative"), so an image without it was never described nor marked
 * decorative: the newsroom refuses to save it.
 */
export function imagesWithoutAlt(bodyHtml: string): number {
  let missing = 0;
  const parser = new (htmlparser2().Parser)({
    onopentag(name, attribs) {
      if (name === 'img' && !Object.hasOwn(attribs, 'alt')) missing++;
    },
  });
  parser.write(bodyHtml);
  parser.end();
  return missing;
}
