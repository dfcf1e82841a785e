// What a word processor puts on the clipboard, cleaned before the editor reads it. Word and Google Docs
// wrap text in classes, inline styles, conditional comments and their own tags; the editor's schema drops
// what it does not know, but a few things need help first: bold and italics that exist only as inline
// styles, Google Docs' document-wide <b> that is not bold, Word's list paragraphs (paragraphs with a
// typed bullet, not lists), and headings the body does not use (h1, h5, h6).
const DROP = 'style, script, meta, link, title, xml, template, iframe, object, embed, noscript, svg, math';
const KEEP_ATTRIBUTES = new Set(['href', 'src', 'alt', 'start', 'colspan', 'rowspan']);
const WORD_LIST = /mso-list:\s*l\d+/i;
const ORDERED_MARKER = /^\s*(\d+|[a-z]|[ivxlc]+)[.)]\s*$/i;

/** Replaces an element by its children. */
function unwrap(el: Element): void {
  el.replaceWith(...Array.from(el.childNodes));
}

/** Renames an element, keeping its children. */
function rename(el: Element, tag: string): Element {
  const renamed = el.ownerDocument.createElement(tag);
  renamed.append(...Array.from(el.childNodes));
  el.replaceWith(renamed);
  return renamed;
}

function removeComments(root: Node): void {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode?.removeChild(c);
}

/**
 * One property of an element's inline style, read from the attribute itself: under the admin's content
 * security policy (no inline styles) the browser does not apply style attributes, so el.style is empty.
 */
function styleOf(el: Element, property: string): string {
  const match = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`, 'i').exec(el.getAttribute('style') ?? '');
  return match ? match[1]!.trim().toLowerCase() : '';
}

/** Bold and italics written as inline styles (Google Docs) become <strong> and <em>. */
function styledEmphasis(body: HTMLElement): void {
  for (const el of Array.from(body.querySelectorAll('[style]'))) {
    const weight = styleOf(el, 'font-weight');
    // Google Docs wraps a whole copied document in <b style="font-weight:normal">.
    if (el.tagName === 'B' && (weight === 'normal' || weight === '400')) {
      unwrap(el);
      continue;
    }
    const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
    const italic = styleOf(el, 'font-style') === 'italic';
    if (!/^(SPAN|FONT)$/.test(el.tagName) || (!bold && !italic)) continue;
    let inner: Element = el;
    if (bold) inner = wrapChildren(inner, 'strong');
    if (italic) wrapChildren(inner, 'em');
  }
}

function wrapChildren(el: Element, tag: string): Element {
  const wrapper = el.ownerDocument.createElement(tag);
  wrapper.append(...Array.from(el.childNodes));
  el.append(wrapper);
  return wrapper;
}

/** Word's list paragraphs, in runs of neighbours, become <ul>/<ol> with one <li> each; their typed bullets go. */
function wordLists(body: HTMLElement): void {
  const items = Array.from(body.querySelectorAll<HTMLElement>('p')).filter((p) => WORD_LIST.test(p.getAttribute('style') ?? '') || /MsoListParagraph/.test(p.className));
  let list: HTMLElement | null = null;
  for (const p of items) {
    const marker = Array.from(p.querySelectorAll<HTMLElement>('[style]')).find((s) => /mso-list:\s*ignore/i.test(s.getAttribute('style') ?? ''));
    const ordered = ORDERED_MARKER.test(marker?.textContent ?? '');
    marker?.remove();
    const continues = list !== null && p.previousElementSibling === list && (list.tagName === 'OL') === ordered;
    if (!continues) {
      list = body.ownerDocument.createElement(ordered ? 'ol' : 'ul');
      p.before(list);
    }
    const li = body.ownerDocument.createElement('li');
    li.append(...Array.from(p.childNodes));
    list!.append(li);
    p.remove();
  }
}

/** The pasted HTML with word-processor markup, styles, classes and ids removed. */
export function cleanPastedHtml(html: string): string {
  // Copied inside the editor itself: ProseMirror's own markup, already within the schema.
  if (html.includes('data-pm-slice')) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const body = doc.body;
  removeComments(body);
  for (const el of Array.from(body.querySelectorAll(DROP))) el.remove();
  wordLists(body);
  styledEmphasis(body);
  // Word's namespaced tags (<o:p>, <v:shape>, <w:sdt>) carry nothing a reader sees beyond their text.
  for (const el of Array.from(body.querySelectorAll('*')).filter((e) => e.tagName.includes(':'))) unwrap(el);
  for (const el of Array.from(body.querySelectorAll('h1'))) rename(el, 'h2');
  for (const el of Array.from(body.querySelectorAll('h5, h6'))) rename(el, 'h4');
  for (const el of Array.from(body.querySelectorAll('*'))) {
    for (const name of el.getAttributeNames()) if (!KEEP_ATTRIBUTES.has(name)) el.removeAttribute(name);
  }
  return body.innerHTML;
}
