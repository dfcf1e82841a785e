// Comment text is plain text. On display it becomes paragraphs, line breaks and links for the http(s)
// addresses it contains; every other character is escaped, so no markup a reader typed is ever live.
import MarkdownIt from 'markdown-it';
import { escapeHtml } from '../lib/html.ts';

// markdown-it's linkify-it instance is the one detector used site-wide; only its matcher is used here.
const linkify = new MarkdownIt({ linkify: true }).linkify;
linkify.set({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false });

interface Link {
  index: number;
  lastIndex: number;
  url: string;
}

/** The http(s) links in a text, in order: full addresses and ones starting "www." (not bare domain names). */
function linksIn(text: string): Link[] {
  return (linkify.match(text) ?? [])
    .filter((m) => /^https?:\/\//i.test(m.url) && /^(https?:\/\/|www\.)/i.test(m.raw))
    .map((m) => ({ index: m.index, lastIndex: m.lastIndex, url: m.url }));
}

/** How many links a comment's text would show. */
export function countLinks(text: string): number {
  return linksIn(text).length;
}

function lineHtml(line: string): string {
  let out = '';
  let at = 0;
  for (const link of linksIn(line)) {
    out += escapeHtml(line.slice(at, link.index));
    out += `<a href="${escapeHtml(link.url)}" rel="nofollow ugc noopener">${escapeHtml(line.slice(link.index, link.lastIndex))}</a>`;
    at = link.lastIndex;
  }
  return out + escapeHtml(line.slice(at));
}

/** HTML for a comment's text: a <p> per blank-line-separated block, <br> per line break, autolinks. */
export function commentHtml(text: string): string {
  return text
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/)
    .filter((block) => block.trim() !== '')
    .map((block) => `<p>${block.split(/\r\n|\r|\n/).map(lineHtml).join('<br>\n')}</p>`)
    .join('\n');
}
