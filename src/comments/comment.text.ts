// Comment text is plain text. For display it is read into paragraphs, lines and links for the http(s)
// addresses it contains: data, which pages and feeds turn into HTML, escaping every piece of text, so no
// markup a reader typed is ever live.
import { markdownIt, onDemand } from '../lib/on-demand.ts';

// markdown-it's linkify-it instance is the one detector used site-wide; only its matcher is used here.
const linkify = onDemand(() => new (markdownIt())({ linkify: true }).linkify.set({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false }));

interface Link {
  index: number;
  lastIndex: number;
  url: string;
}

/** The http(s) links in a text, in order: full addresses and ones starting "www." (not bare domain names). */
function linksIn(text: string): Link[] {
  return (linkify().match(text) ?? [])
    .filter((m) => /^https?:\/\//i.test(m.url) && /^(https?:\/\/|www\.)/i.test(m.raw))
    .map((m) => ({ index: m.index, lastIndex: m.lastIndex, url: m.url }));
}

/** How many links a comment's text would show. */
export function countLinks(text: string): number {
  return linksIn(text).length;
}

/** A run of a comment's text: plain text, or text naming an http(s) address, with the address to link to. */
export interface TextRun {
  text: string;
  href?: string;
}

/** A block of a comment's text between blank lines: its lines, each a list of runs. */
export interface Paragraph {
  lines: TextRun[][];
}

function lineRuns(line: string): TextRun[] {
  const out: TextRun[] = [];
  let at = 0;
  for (const link of linksIn(line)) {
    if (link.index > at) out.push({ text: line.slice(at, link.index) });
    out.push({ text: line.slice(link.index, link.lastIndex), href: link.url });
    at = link.lastIndex;
  }
  if (at < line.length || !out.length) out.push({ text: line.slice(at) });
  return out;
}

/** A comment's text as paragraphs (blank-line-separated blocks) of lines, with its links found. */
export function commentParagraphs(text: string): Paragraph[] {
  return text
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/)
    .filter((block) => block.trim() !== '')
    .map((block) => ({ lines: block.split(/\r\n|\r|\n/).map(lineRuns) }));
}
