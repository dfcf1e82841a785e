// WordPress post content to Gazette's body formats. WordPress stores a post as HTML where a blank line
// means a new paragraph (its editor's "autop"), with block-editor comments (`<!-- wp:paragraph -->`) and
// shortcodes (`[caption]…[/caption]`) in it. Articles take HTML (cleaned when stored, decision 0021);
// static pages take Markdown, so a page's HTML is turned into Markdown after cleaning.
//
// Media (decision 0030): with a ContentMedia, images under wp-content/uploads (any size variant, or a
// srcset entry), [caption] and [gallery] become the body editor's library figures (data-media-id);
// [embed], bare URL lines (WordPress's auto-embeds), block-editor embeds, [audio], [video], [playlist]
// and the common provider shortcodes become the editor's embed figure: a captioned link, never a frame.
import { DomUtils, parseDocument } from 'htmlparser2';
import { Element as DomElement, Text as DomText } from 'domhandler';
import type { ChildNode, Element, ParentNode } from 'domhandler';
import { cleanBodyHtml, FIGURE_CLASSES } from '../lib/body-html.ts';
import { escapeHtml } from '../lib/html.ts';

/** A picture content can show: in the media library (id), or only at its original address (id null). */
export interface ContentPicture {
  id: number | null;
  src: string;
  alt: string;
  caption: string;
}

/** An attachment as content refers to it: a picture, or another file (audio, video, a document). */
export type ContentAttachment = ({ image: true } & ContentPicture) | { image: false; url: string; title: string };

/** What the conversion asks about media; the importer answers from what it has imported (src/import/wp-media.ts). */
export interface ContentMedia {
  /** The picture an address under wp-content/uploads shows, whatever size variant it names. */
  byUrl(url: string): ContentPicture | undefined;
  /** An attachment by its WordPress id. */
  byAttachment(id: string): ContentAttachment | undefined;
  /** The post's own attachments (a [gallery] or [playlist] without ids shows them). */
  children(): string[];
}

const BLOCK = 'address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul';
const OPENS_BLOCK = new RegExp(`^<(?:${BLOCK})[\\s/>]`, 'i');

/** Shortcodes whose tags are removed, their content kept; any other bracketed text stays as written. */
const DROPPED_SHORTCODES = ['gallery', 'embed', 'audio', 'video', 'playlist', 'youtube', 'vimeo', 'soundcloud', 'googlemaps', 'contact-form', 'contact-form-7', 'archives', 'code', 'sourcecode', 'wp_caption'];

/** Provider shortcodes (Jetpack and plugins) whose URL becomes an embed link: `[youtube URL]`, `[vimeo]URL[/vimeo]`. */
const PROVIDER_SHORTCODES = ['youtube', 'vimeo', 'soundcloud', 'dailymotion', 'ted', 'spotify', 'tweet', 'twitter', 'instagram', 'flickr', 'slideshare', 'googlemaps', 'wpvideo', 'scribd', 'mixcloud'];

/** Attributes [video] and [audio] name their file with. */
const MEDIA_SOURCES = ['src', 'mp4', 'm4v', 'webm', 'ogv', 'wmv', 'flv', 'mp3', 'ogg', 'oga', 'wav', 'm4a', 'wma'];

const FIRST_URL = /https?:\/\/[^\s"'<>\]\[]+/i;

/** `<!-- wp:… -->` and `<!-- /wp:… -->` comments of the block editor. */
export function stripBlockComments(html: string): string {
  return html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
}

function attributeOf(attributes: string, name: string): string {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s\\]]+))`, 'i').exec(attributes);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
}

/** `[caption]<img …> Text[/caption]` (or caption="Text") becomes a figure with its figcaption. */
export function captionsToFigures(html: string): string {
  return html.replace(/\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_all, attributes: string, inner: string) => {
    const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
    const picture = media?.[1] ?? '';
    const caption = (media ? media[2]! : inner).trim() || attributeOf(attributes, 'caption');
    return `\n\n<figure class="${FIGURE_CLASSES.image}">${picture}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>\n\n`;
  });
}

/** Removes the tags of the shortcodes Gazette cannot show (their enclosed text stays). */
export function dropShortcodes(html: string): string {
  const names = DROPPED_SHORTCODES.map((n) => n.replace(/-/g, '\\-')).join('|');
  return html.replace(new RegExp(`\\[\\/?(?:${names})(?:\\s[^\\]]*)?\\/?\\]`, 'gi'), '');
}

/** The editor's figure for a picture: a library one carries its id, so pages show its current files. */
export function pictureFigure(p: ContentPicture, alt = p.alt): string {
  const id = p.id === null ? '' : ` data-media-id="${p.id}"`;
  const caption = p.caption.trim() ? `<figcaption>${escapeHtml(p.caption.trim())}</figcaption>` : '';
  return `\n\n<figure class="${FIGURE_CLASSES.image}"><img src="${escapeHtml(p.src)}" alt="${escapeHtml(alt)}"${id} />${caption}</figure>\n\n`;
}

/** The editor's embed: a link to the page or file, captioned (no frame from anywhere, decision 0021). */
export function embedFigure(url: string, caption = ''): string {
  const href = escapeHtml(url.trim());
  return `\n\n<figure class="${FIGURE_CLASSES.embed}"><a href="${href}">${href}</a>${caption.trim() ? `<figcaption>${escapeHtml(caption.trim())}</figcaption>` : ''}</figure>\n\n`;
}

/** Replaces `[name …]` and `[name …]inner[/name]` (only when the closing tag follows before another opening). */
function replaceShortcode(html: string, names: readonly string[], render: (name: string, attributes: string, inner: string) => string): string {
  const alternatives = names.map((n) => n.replace(/[-_]/g, (c) => `\\${c}`)).join('|');
  const pattern = new RegExp(`\\[(${alternatives})((?:[=\\s][^\\]]*)?)\\](?:((?:(?!\\[\\1[=\\s\\]])[\\s\\S])*?)\\[\\/\\1\\])?`, 'gi');
  return html.replace(pattern, (_all, name: string, attributes: string, inner: string | undefined) => render(name.toLowerCase(), attributes, inner ?? ''));
}

const idList = (value: string) => value.split(/[\s,]+/).filter((id) => /^\d+$/.test(id));

/** `[gallery ids="…"]` (or `include`, or none: the post's own pictures) as one figure per picture. */
function galleryFigures(attributes: string, media: ContentMedia): string {
  const ids = idList(attributeOf(attributes, 'ids') || attributeOf(attributes, 'include'));
  const exclude = new Set(idList(attributeOf(attributes, 'exclude')));
  const chosen = (ids.length ? ids : media.children()).filter((id) => !exclude.has(id));
  return chosen.map((id) => media.byAttachment(id)).map((a) => (a?.image ? pictureFigure(a) : '')).join('');
}

/** `[playlist ids="…"]`: a link to each track or video. */
function playlistFigures(attributes: string, media: ContentMedia): string {
  const ids = idList(attributeOf(attributes, 'ids') || attributeOf(attributes, 'include'));
  return (ids.length ? ids : media.children())
    .map((id) => media.byAttachment(id))
    .map((a) => (a && !a.image ? embedFigure(a.url, a.title) : ''))
    .join('');
}

/** The file an [audio] or [video] shortcode plays, by attribute or as its enclosed text. */
function mediaSource(attributes: string, inner: string): string {
  for (const name of MEDIA_SOURCES) {
    const value = attributeOf(attributes, name);
    if (/^https?:\/\//i.test(value)) return value;
  }
  return FIRST_URL.exec(inner)?.[0] ?? '';
}

/** Media and embed shortcodes as the body's figures; without media, galleries and playlists vanish. */
export function mediaShortcodes(html: string, media?: ContentMedia): string {
  let out = replaceShortcode(html, ['gallery'], (_n, attributes) => (media ? galleryFigures(attributes, media) : ''));
  out = replaceShortcode(out, ['playlist'], (_n, attributes) => (media ? playlistFigures(attributes, media) : ''));
  out = replaceShortcode(out, ['embed'], (_n, _a, inner) => {
    const url = FIRST_URL.exec(inner)?.[0];
    return url ? embedFigure(url) : '';
  });
  out = replaceShortcode(out, ['audio', 'video'], (_n, attributes, inner) => {
    const url = mediaSource(attributes, inner);
    return url ? embedFigure(url) : '';
  });
  return replaceShortcode(out, PROVIDER_SHORTCODES, (_n, attributes, inner) => {
    const url = FIRST_URL.exec(`${attributes} ${inner}`)?.[0];
    return url ? embedFigure(url) : '';
  });
}

/** The block editor's embed figure, and a URL alone on its line (WordPress embeds those), as embed figures. */
export function autoEmbeds(html: string): string {
  const blocks = html.replace(
    /<figure\b[^>]*\bclass="[^"]*\bwp-block-embed\b[^"]*"[^>]*>\s*<div\b[^>]*>\s*(https?:\/\/[^\s<>"]+)\s*<\/div>\s*(?:<figcaption\b[^>]*>([\s\S]*?)<\/figcaption>)?\s*<\/figure>/gi,
    (_all, url: string, caption: string | undefined) => embedFigure(url, caption ? wordpressToText(caption) : ''),
  );
  return blocks.replace(/^[ \t]*(?:<p>\s*)?(https?:\/\/[^\s<>"'\]\[]+)\s*(?:<\/p>)?[ \t]*$/gim, (_all, url: string) => embedFigure(url));
}

const isTag = (node: ChildNode | null | undefined, name: string): node is Element => node?.type === 'tag' && (node as Element).name === name;
const meaningful = (nodes: ChildNode[]) => nodes.filter((n) => !(n.type === 'text' && !(n as DomText).data.trim()));

/** The first address of an <img> (src, then its srcset entries) that the library holds. */
function libraryPictureOf(img: Element, media: ContentMedia): ContentPicture | undefined {
  const candidates = [img.attribs.src ?? '', ...(img.attribs.srcset ?? '').split(',').map((entry) => entry.trim().split(/\s+/)[0] ?? '')];
  for (const url of candidates) {
    const found = url ? media.byUrl(url) : undefined;
    if (found && found.id !== null) return found;
  }
  return undefined;
}

/** Puts `node` in place of `old` among its parent's children. */
function replaceNode(old: ChildNode, nodes: ChildNode[]): void {
  const parent = old.parent as ParentNode | null;
  if (!parent) return;
  const at = parent.children.indexOf(old);
  parent.children.splice(at, 1, ...nodes);
  for (const n of nodes) n.parent = parent;
}

/** Splits paragraph `p` around `child`: the text before, the figure, the text after. */
function splitParagraph(p: Element, child: ChildNode, figure: Element): void {
  const at = p.children.indexOf(child);
  const before = p.children.slice(0, at);
  const after = p.children.slice(at + 1);
  const paragraphs = (nodes: ChildNode[]) => (meaningful(nodes).length ? [new DomElement('p', { ...p.attribs }, nodes)] : []);
  const parts = [...paragraphs(before), figure, ...paragraphs(after)];
  for (const part of parts) if (part !== figure) for (const c of (part as Element).children) c.parent = part as Element;
  replaceNode(p, parts);
}

/** One <img> naming a library picture, made the editor's figure with the library's id. */
function toLibraryFigure(img: Element, picture: ContentPicture): void {
  const alt = img.attribs.alt?.trim() ? img.attribs.alt : picture.alt;
  img.attribs = { src: picture.src, alt, 'data-media-id': String(picture.id) };
  // A link around the picture (to the file or its attachment page) has nowhere to go any more.
  const link = img.parent as Element | null;
  if (isTag(link, 'a') && meaningful(link.children).length === 1) replaceNode(link, [img]);
  const node = img;
  const parent = node.parent as Element | null;
  if (isTag(parent, 'figure')) {
    parent.attribs = { class: FIGURE_CLASSES.image };
    return;
  }
  const figure = new DomElement('figure', { class: FIGURE_CLASSES.image }, []);
  if (isTag(parent, 'p')) {
    splitParagraph(parent, node, figure);
  } else {
    replaceNode(node, [figure]);
  }
  figure.children = [node];
  node.parent = figure;
}

/** Images whose address is a library picture's become its figures (the rest keep their address). */
export function libraryImages(html: string, media: ContentMedia): string {
  const document = parseDocument(html);
  const images = DomUtils.findAll((el) => el.name === 'img', document.children);
  for (const img of images) {
    const picture = libraryPictureOf(img, media);
    if (picture) toLibraryFigure(img, picture);
  }
  // Characters as they are, not as numeric references: cleaning reads them again.
  return DomUtils.getOuterHTML(document.children, { encodeEntities: 'utf8' });
}

/** Blank lines become paragraphs and single line breaks <br>, as WordPress's autop does. */
export function autoParagraphs(html: string): string {
  const spaced = html
    .replace(/\r\n?/g, '\n')
    .replace(new RegExp(`(<(?:${BLOCK})[\\s/>])`, 'gi'), '\n\n$1')
    .replace(new RegExp(`(</(?:${BLOCK})>)`, 'gi'), '$1\n\n')
    // Text directly inside a quotation or a division is paragraphs of its own.
    .replace(/(<(?:blockquote|div)\b[^>]*>)/gi, '$1\n\n')
    .replace(/(<\/(?:blockquote|div)>)/gi, '\n\n$1');
  return spaced
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) => (OPENS_BLOCK.test(chunk) || /^<\/(?:[a-z0-9]+)>$/i.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br />\n')}</p>`))
    .join('\n');
}

/**
 * A WordPress post's content as the HTML an article stores, cleaned (the article service knows it for clean). With
 * `media`, pictures become library figures and embeds links; without it, media shortcodes just go.
 */
export function wordpressToHtml(content: string, media?: ContentMedia): string {
  const shortcodes = dropShortcodes(autoEmbeds(mediaShortcodes(captionsToFigures(stripBlockComments(content)), media)));
  const paragraphs = autoParagraphs(shortcodes);
  return cleanBodyHtml(media ? libraryImages(paragraphs, media) : paragraphs, { levelHeadings: true });
}

/** WordPress excerpt or comment HTML as plain text: tags removed, line breaks kept. */
export function wordpressToText(content: string): string {
  const html = stripBlockComments(content).replace(/<br\s*\/?>/gi, '\n').replace(/<\/?p\b[^>]*>/gi, '\n\n');
  const document = parseDocument(html, { decodeEntities: true });
  return textOf(document.children).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

function textOf(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if ('children' in node && node.type !== 'script' && node.type !== 'style') out += textOf(node.children as ChildNode[]);
  }
  return out;
}

const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#|!])/g, '\\$1');
const markdownUrl = (url: string) => url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Inline Markdown of cleaned HTML nodes. */
function inline(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += escapeMarkdown(node.data.replace(/\s+/g, ' '));
    else if (node.type === 'tag') out += inlineElement(node);
  }
  return out;
}

function inlineElement(el: Element): string {
  const inner = () => inline(el.children);
  switch (el.name) {
    case 'a':
      return el.attribs.href ? `[${inner()}](${markdownUrl(el.attribs.href)})` : inner();
    case 'strong':
      return `**${inner()}**`;
    case 'em':
      return `*${inner()}*`;
    case 'code':
      return `\`${textOf(el.children).replace(/`/g, '')}\``;
    case 'br':
      return '\\\n';
    case 'img':
      return `![${escapeMarkdown(el.attribs.alt ?? '')}](${markdownUrl(el.attribs.src ?? '')})`;
    default:
      return inner();
  }
}

/** Markdown blocks of cleaned HTML nodes, separated by blank lines. */
function blocks(nodes: ChildNode[]): string[] {
  const out: string[] = [];
  let loose: ChildNode[] = [];
  const flushLoose = () => {
    const text = inline(loose).trim();
    if (text) out.push(text);
    loose = [];
  };
  for (const node of nodes) {
    if (node.type !== 'tag' || !/^(p|h2|h3|h4|blockquote|ul|ol|figure|figcaption|hr|small)$/.test(node.name)) {
      loose.push(node);
      continue;
    }
    flushLoose();
    const block = blockOf(node);
    if (block) out.push(block);
  }
  flushLoose();
  return out;
}

function blockOf(el: Element): string {
  switch (el.name) {
    case 'h2':
      return `## ${inline(el.children).trim()}`;
    case 'h3':
      return `### ${inline(el.children).trim()}`;
    case 'h4':
      return `#### ${inline(el.children).trim()}`;
    case 'hr':
      return '---';
    case 'blockquote':
      return blocks(el.children).join('\n\n').split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');
    case 'ul':
    case 'ol': {
      const items = el.children.filter((c): c is Element => c.type === 'tag' && c.name === 'li');
      return items.map((li, i) => `${el.name === 'ol' ? `${i + 1}.` : '-'} ${blocks(li.children).join('\n\n').replace(/\n/g, '\n   ')}`).join('\n');
    }
    case 'figure':
      return blocks(el.children).join('\n\n');
    default:
      return inline(el.children).trim();
  }
}

/** A WordPress page's content as the Markdown a static page stores: cleaned first, so nothing live survives. */
export function wordpressToMarkdown(content: string, media?: ContentMedia): string {
  const clean = wordpressToHtml(content, media);
  return blocks(parseDocument(clean, { decodeEntities: true }).children).join('\n\n');
}
