// The per-article comments feed (RSS 2.0), built with xmlbuilder2 so every value is escaped by the
// serialiser. It names commenters with dc:creator: RSS's <author> would need an email address.
import { create } from 'xmlbuilder2';
import { escapeHtml } from '../lib/html.ts';
import { commentPermalinkPath } from '../lib/paths.ts';
import type { FeedView } from './comment.service.ts';
import type { Paragraph } from './comment.text.ts';

export interface FeedSite {
  name: string;
  publicUrl: string;
}

const rfc822 = (iso: string) => new Date(iso).toUTCString();

/**
 * Text for xmlbuilder2's txt(): it escapes "&" only where it does not already start an entity, so
 * "&lt;b&gt;" typed by a reader (or produced by escaping their "<b>") would reach feed readers as live
 * "<b>". Escaping every "&" first leaves nothing for it to mistake.
 */
const text = (value: string) => value.replace(/&/g, '&amp;');

/** A comment as the HTML of an item's description: a <p> per paragraph, <br> between lines, links kept. */
function descriptionHtml(paragraphs: readonly Paragraph[]): string {
  const run = (r: { text: string; href?: string }) => (r.href ? `<a href="${escapeHtml(r.href)}" rel="nofollow ugc noopener">${escapeHtml(r.text)}</a>` : escapeHtml(r.text));
  return paragraphs.map((p) => `<p>${p.lines.map((line) => line.map(run).join('')).join('<br>\n')}</p>`).join('\n');
}

/** RSS 2.0 XML for an article's newest approved comments. */
export function commentsRss(feed: FeedView, site: FeedSite): string {
  const articleUrl = site.publicUrl + feed.path;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const channel = doc
    .ele('rss', { version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' })
    .ele('channel');
  channel.ele('title').txt(text(`Comments on “${feed.headline}” – ${site.name}`));
  channel.ele('link').txt(text(articleUrl));
  channel.ele('atom:link', { href: text(`${articleUrl}/comments.xml`), rel: 'self', type: 'application/rss+xml' });
  channel.ele('description').txt(text(`Readers’ comments on “${feed.headline}”.`));
  channel.ele('language').txt(feed.language);
  if (feed.items[0]) channel.ele('lastBuildDate').txt(rfc822(feed.items[0].createdAt));
  for (const c of feed.items) {
    // The comment's lasting address: it redirects to whichever comment page holds the comment then.
    const link = site.publicUrl + commentPermalinkPath(c.id);
    const item = channel.ele('item');
    item.ele('title').txt(text(`Comment by ${c.authorName}`));
    item.ele('link').txt(text(link));
    item.ele('guid', { isPermaLink: 'true' }).txt(text(link));
    item.ele('dc:creator').txt(text(c.authorName));
    item.ele('pubDate').txt(rfc822(c.createdAt));
    item.ele('description').txt(text(descriptionHtml(c.paragraphs)));
  }
  return doc.end({ prettyPrint: false });
}
