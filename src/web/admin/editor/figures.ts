// The body's two kinds of figure, as editor nodes: an image with its alternative text, caption and
// credit, and an embed, which readers see as a captioned link to the page it came from (no third-party
// frame on a reader's page: decision 0021). Both are single blocks edited through their dialog, and
// read back from the HTML the server stores, so an article opens as it was saved.
import { Node, type Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import type { DOMOutputSpec } from '@tiptap/pm/model';

/** The classes the server's allowlist keeps (src/lib/body-html.ts, FIGURE_CLASSES). */
const CLASSES = { image: 'body-image', embed: 'body-embed', credit: 'credit' } as const;

export interface ImageFields {
  src: string;
  alt: string;
  caption: string;
  credit: string;
  /** The media library's picture this is (data-media-id), so pages show its current files; null for an address. */
  mediaId: number | null;
}

export interface EmbedFields {
  url: string;
  caption: string;
}

/** An attribute kept in the node and written out by the node's own renderHTML, not on the figure. */
const field = (fallback = '') => ({ default: fallback, rendered: false });

/** The caption's own text: the figcaption without its credit. */
function captionOf(figure: HTMLElement): string {
  const caption = figure.querySelector('figcaption');
  if (!caption) return '';
  const copy = caption.cloneNode(true) as HTMLElement;
  copy.querySelector(`small.${CLASSES.credit}`)?.remove();
  return (copy.textContent ?? '').trim();
}

function imageFrom(figure: HTMLElement): ImageFields | false {
  const img = figure.querySelector('img');
  const src = img?.getAttribute('src');
  if (!img || !src) return false;
  const credit = figure.querySelector(`figcaption small.${CLASSES.credit}`);
  const mediaId = img.getAttribute('data-media-id');
  return {
    src,
    alt: img.getAttribute('alt') ?? '',
    caption: captionOf(figure),
    credit: (credit?.textContent ?? '').trim(),
    mediaId: mediaId && /^[1-9][0-9]{0,9}$/.test(mediaId) ? Number(mediaId) : null,
  };
}

function embedFrom(figure: HTMLElement): EmbedFields | false {
  const url = figure.querySelector('a[href]')?.getAttribute('href');
  return url ? { url, caption: captionOf(figure) } : false;
}

/**
 * A figcaption holding the caption and, after it, the credit as small print; nothing when both are empty.
 * (ProseMirror renders a string inside a spec as a text node, although its type names only elements.)
 */
function figcaption(caption: string, credit = ''): DOMOutputSpec[] {
  if (!caption && !credit) return [];
  const parts: (DOMOutputSpec | string)[] = [];
  if (caption) parts.push(caption);
  if (caption && credit) parts.push(' ');
  if (credit) parts.push(['small', { class: CLASSES.credit }, credit]);
  return [['figcaption', {}, ...parts]];
}

export const BodyImage = Node.create({
  name: 'bodyImage',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { src: field(), alt: field(), caption: field(), credit: field(), mediaId: { default: null, rendered: false } };
  },
  parseHTML() {
    return [{ tag: `figure.${CLASSES.image}`, getAttrs: (el) => imageFrom(el) }];
  },
  renderHTML({ node }) {
    const a = node.attrs as ImageFields;
    // A null attribute is left out by ProseMirror's serializer: images by address carry no data-media-id.
    const img = { src: a.src, alt: a.alt, 'data-media-id': a.mediaId === null ? null : String(a.mediaId) };
    return ['figure', { class: CLASSES.image }, ['img', img], ...figcaption(a.caption, a.credit)];
  },
});

export const BodyEmbed = Node.create({
  name: 'bodyEmbed',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { url: field(), caption: field() };
  },
  parseHTML() {
    return [{ tag: `figure.${CLASSES.embed}`, getAttrs: (el) => embedFrom(el) }];
  },
  renderHTML({ node }) {
    const a = node.attrs as EmbedFields;
    return ['figure', { class: CLASSES.embed }, ['a', { href: a.url }, a.url], ...figcaption(a.caption)];
  },
});

/** Inserts a figure at the cursor, or after the selected figure (never in its place). */
export function insertFigure(editor: Editor, node: { type: string; attrs: ImageFields | EmbedFields }): void {
  const { selection } = editor.state;
  if (selection instanceof NodeSelection) editor.chain().focus().insertContentAt(selection.to, node).run();
  else editor.chain().focus().insertContent(node).run();
}
