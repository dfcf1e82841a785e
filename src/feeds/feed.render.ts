// The three feed formats rendered from one Feed model. XML is built with xmlbuilder2, which escapes
// text and attribute values; characters XML cannot carry at all (control characters) are dropped
// rather than failing the whole feed.
import { create } from 'xmlbuilder2';
import type { Feed } from './feed.service.ts';
import { xmlText } from './xml-text.ts';

const XML_OPTIONS = { version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' } as const;

/** RFC 822 date (with a four-digit year and GMT, as RSS readers expect). */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** RFC 3339 date-time in UTC, without fractional seconds. */
export function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RSS 2.0 with atom:link rel="self", dc:creator for authors (RSS <author> wants an email) and content:encoded. */
export function renderRss(feed: Feed): string {
  const root = create(XML_OPTIONS).ele('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    'xmlns:media': 'http://search.yahoo.com/mrss/',
  });
  const channel = root.ele('channel');
  channel.ele('title').txt(xmlText(feed.title));
  channel.ele('link').txt(xmlText(feed.homeUrl));
  channel.ele('description').txt(xmlText(feed.description));
  channel.ele('language').txt(xmlText(feed.language));
  channel.ele('atom:link', { href: xmlText(feed.self.rss), rel: 'self', type: 'application/rss+xml' });
  channel.ele('lastBuildDate').txt(xmlText(rfc822(feed.updated)));
  channel.ele('generator').txt(xmlText(feed.generator));
  for (const item of feed.items) {
    const i = channel.ele('item');
    i.ele('title').txt(xmlText(item.title));
    i.ele('link').txt(xmlText(item.url));
    i.ele('guid', { isPermaLink: 'false' }).txt(xmlText(item.id));
    i.ele('pubDate').txt(xmlText(rfc822(item.published)));
    i.ele('description').txt(xmlText(item.summary));
    if (item.contentHtml !== null) i.ele('content:encoded').txt(xmlText(item.contentHtml));
    for (const a of item.authors) i.ele('dc:creator').txt(xmlText(a.name));
    i.ele('category').txt(xmlText(item.section));
    for (const c of item.categories) i.ele('category').txt(xmlText(c));
    const img = item.image;
    i.ele('enclosure', { url: xmlText(img.url), length: String(img.length), type: img.type });
    const media = i.ele('media:content', { url: xmlText(img.url), medium: 'image', type: img.type, width: String(img.width), height: String(img.height), fileSize: String(img.length) });
    if (img.alt) media.ele('media:description', { type: 'plain' }).txt(xmlText(img.alt));
  }
  return root.end({ prettyPrint: false });
}

/** Atom 1.0 (RFC 4287): feed and entry ids, updated/published in RFC 3339, self and alternate links. */
export function renderAtom(feed: Feed): string {
  const root = create(XML_OPTIONS).ele('http://www.w3.org/2005/Atom', 'feed', { 'xml:lang': xmlText(feed.language) });
  root.ele('id').txt(xmlText(feed.id));
  root.ele('title').txt(xmlText(feed.title));
  root.ele('subtitle').txt(xmlText(feed.description));
  root.ele('updated').txt(xmlText(rfc3339(feed.updated)));
  root.ele('link', { rel: 'self', type: 'application/atom+xml', href: xmlText(feed.self.atom) });
  root.ele('link', { rel: 'alternate', type: 'text/html', href: xmlText(feed.homeUrl) });
  // Atom needs an author for every entry; the feed-level one covers entries without a byline.
  root.ele('author').ele('name').txt(xmlText(feed.title));
  root.ele('generator').txt(xmlText(feed.generator));
  for (const item of feed.items) {
    const e = root.ele('entry', item.language !== feed.language ? { 'xml:lang': xmlText(item.language) } : {});
    e.ele('id').txt(xmlText(item.id));
    e.ele('title', { type: 'text' }).txt(xmlText(item.title));
    e.ele('link', { rel: 'alternate', type: 'text/html', href: xmlText(item.url) });
    e.ele('link', { rel: 'enclosure', type: item.image.type, length: String(item.image.length), href: xmlText(item.image.url) });
    e.ele('published').txt(xmlText(rfc3339(item.published)));
    e.ele('updated').txt(xmlText(rfc3339(item.updated)));
    for (const a of item.authors) {
      const author = e.ele('author');
      author.ele('name').txt(xmlText(a.name));
      author.ele('uri').txt(xmlText(a.url));
    }
    e.ele('category', { term: xmlText(item.section) });
    for (const c of item.categories) e.ele('category', { term: xmlText(c) });
    e.ele('summary', { type: 'text' }).txt(xmlText(item.summary));
    if (item.contentHtml !== null) e.ele('content', { type: 'html' }).txt(xmlText(item.contentHtml));
  }
  return root.end({ prettyPrint: false });
}

/** JSON Feed 1.1. */
export function renderJsonFeed(feed: Feed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.self.json,
    description: feed.description,
    language: feed.language,
    items: feed.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      ...(item.contentHtml !== null ? { content_html: item.contentHtml } : { content_text: item.summary }),
      summary: item.summary,
      image: item.image.url,
      date_published: rfc3339(item.published),
      date_modified: rfc3339(item.updated),
      ...(item.authors.length ? { authors: item.authors } : {}),
      tags: [item.section, ...item.categories],
      language: item.language,
    })),
  });
}
