// WordPress post content to Gazette's body formats. WordPress stores a post as HTML where a blank line
// means a new paragraph (its editor's "autop"), with block-editor comments (`<!-- wp:paragraph -->`) and
// shortcodes (`[caption]…[/caption]`) in it. Articles take HTML (cleaned when stored, decision 0021);
// static pages take Markdown, so a page's HTML is turned into Markdown after cleaning.
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { cleanBodyHtml, FIGURE_CLASSES } from '../lib/body-html.ts';

const BLOCK = 'address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul';
const OPENS_BLOCK = new RegExp(`^<(?:${BLOCK})[\\s/>]`, 'i');

/** Shortcodes whose tags are removed, their content kept; any other bracketed text stays as written. */
const DROPPED_SHORTCODES = ['gallery', 'embed', 'audio', 'video', 'playlist', 'youtube', 'vimeo', 'soundcloud', 'googlemaps', 'contact-form', 'contact-form-7', 'archives', 'code', 'sourcecode', 'wp_caption'];

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
 * Heading levels as a Gazette page's outline needs them: the headline is the page's h1, so the body's
 * headings start at h2 and never skip a level (WordPress posts often open with an h3 or jump from h2 to
 * h4, which the HTML checker refuses). Works on cleaned HTML, where headings are h2 to h4 and never nest.
 */
export function levelHeadings(html: string): string {
  let previous = 1;
  let open = 2;
  return html.replace(/<(\/?)h([2-4])(?=[\s>])/gi, (_tag, closing: string, level: string) => {
    if (closing) return `</h${open}`;
    open = Math.min(Number(level), previous + 1);
    previous = open;
    return `<h${open}`;
  });
}

/** A WordPress post's content as the HTML an article stores (cleaned again by the article service). */
export function wordpressToHtml(content: string): string {
  return levelHeadings(cleanBodyHtml(autoParagraphs(dropShortcodes(captionsToFigures(stripBlockComments(content))))));
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
export function wordpressToMarkdown(content: string): string {
  const clean = wordpressToHtml(content);
  return blocks(parseDocument(clean, { decodeEntities: true }).children).join('\n\n');
}
