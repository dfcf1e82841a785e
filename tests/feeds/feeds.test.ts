// Feeds read back as a feed reader reads them: RSS and Atom through @rowanmanning/feed-parser, JSON
// Feed against the JSON Feed 1.1 schema, plus the format rules the parsers are lenient about.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { PUBLIC_URL, startTestServer, type TestServer } from '../helpers/server.ts';

const require = createRequire(import.meta.url);
const jsonFeedSchema = require('jsonfeed-schema/schema-v1.1.json') as object;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const HEADLINE = 'Fish & Chips <Special> "Edition" at 5 < 6';
/** Text that looks like entity references must come back exactly as written, not decoded. */
const ENTITYISH = 'Notes on AT&T; &amp; &lt;b&gt; &#60;';
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let server: TestServer;
let articleId: number;

async function fetchText(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers });
  return { res, text: await res.text() };
}

const LISTS = new Set(['rss.channel.item', 'rss.channel.item.category', 'rss.channel.item.dc:creator', 'feed.entry', 'feed.entry.link', 'feed.entry.author', 'feed.entry.category']);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (_name, jpath) => LISTS.has(String(jpath)) });

before(async () => {
  server = await startTestServer();
  articleId = (
    await createArticle(server.store, {
      section: 'news',
      slug: 'fish-and-chips',
      headline: HEADLINE,
      subtitle: 'A <b>bold</b> claim & more',
      body: 'Paragraph with **strong** text & an ampersand.\n\nSecond <script>alert(1)</script> paragraph.',
      authors: ['international-desk'],
      tags: ['Food & Drink', 'AT&T;'],
    })
  ).id;
  await createArticle(server.store, { section: 'news', slug: 'entityish', headline: ENTITYISH, body: 'Text.', publishedAt: '2022-01-01T00:00:00Z' });
});
after(() => server.close());

describe('RSS 2.0', () => {
  test('parses back with the headline intact and escaped in the XML', async () => {
    const { res, text } = await fetchText('/feed.xml');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    assert.equal(XMLValidator.validate(text), true);
    assert.ok(text.includes('<title>Fish &amp; Chips &lt;Special&gt; "Edition" at 5 &lt; 6</title>'));
    assert.ok(text.includes('<title>Notes on AT&amp;T; &amp;amp; &amp;lt;b&amp;gt; &amp;#60;</title>'));
    assert.ok(xml.parse(text).rss.channel.item.some((i: { title: string }) => i.title === ENTITYISH));
    const feed = parseFeed(text);
    assert.equal(feed.meta.type, 'rss');
    assert.equal(feed.items[0]!.title, HEADLINE);
    assert.equal(feed.items[0]!.url, `${PUBLIC_URL}/news/fish-and-chips`);
    assert.equal(feed.language, 'en');
    assert.equal(feed.self, `${PUBLIC_URL}/feed.xml`);
    // The body goes out as the page shows it (Markdown rendered, raw HTML shown as text), escaped once more for XML.
    assert.ok(
      text.includes('<content:encoded>&lt;p&gt;Paragraph with &lt;strong&gt;strong&lt;/strong&gt; text &amp;amp; an ampersand.&lt;/p&gt;\n&lt;p&gt;Second &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; paragraph.&lt;/p&gt;\n</content:encoded>'),
      'the body is escaped once more, never unescaped',
    );
  });

  test('follows the RSS rules: RFC 822 dates, non-permalink GUIDs, self link, dc:creator', async () => {
    const { text } = await fetchText('/feed.xml');
    const channel = xml.parse(text).rss.channel;
    assert.match(channel.lastBuildDate, RFC822);
    const self = channel['atom:link'];
    assert.equal(self['@rel'], 'self');
    assert.equal(self['@href'], `${PUBLIC_URL}/feed.xml`);
    assert.equal(channel.item.length, 6);
    for (const item of channel.item) {
      assert.match(item.pubDate, RFC822);
      assert.equal(item.guid['@isPermaLink'], 'false');
      assert.match(item.guid['#text'], /^tag:gazette\.test,\d{4}-\d{2}-\d{2}:article:\d+$/);
      assert.ok(item.link.startsWith(PUBLIC_URL));
    }
    const ours = channel.item.find((i: { link: string }) => i.link.endsWith('/fish-and-chips'));
    assert.deepEqual(ours['dc:creator'], ['International Desk']);
    assert.deepEqual(ours.category, ['News', 'AT&T;', 'Food & Drink']);
    assert.doesNotMatch(text, /@/, 'no email address appears anywhere in a feed');
  });

  test('GUIDs stay the same when the article changes', async () => {
    const before = parseFeed((await fetchText('/feed.xml')).text).items.find((i) => i.url?.endsWith('/fish-and-chips'))!.id;
    await updateArticle(server.store, articleId, { subtitle: 'A changed subtitle' });
    const after = parseFeed((await fetchText('/feed.xml')).text).items.find((i) => i.url?.endsWith('/fish-and-chips'))!.id;
    assert.equal(after, before);
  });
});

describe('Atom 1.0', () => {
  test('parses back, with ids, RFC 3339 dates, self and alternate links, language', async () => {
    const { res, text } = await fetchText('/feed.atom');
    assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    assert.equal(XMLValidator.validate(text), true);
    const feed = parseFeed(text);
    assert.equal(feed.meta.type, 'atom');
    assert.equal(feed.items[0]!.title, HEADLINE);
    assert.equal(feed.self, `${PUBLIC_URL}/feed.atom`);
    const root = xml.parse(text).feed;
    assert.equal(root['@xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(root['@xml:lang'], 'en');
    assert.match(root.updated, RFC3339);
    assert.ok(root.id);
    assert.ok(root.author, 'a feed-level author covers every entry');
    for (const entry of root.entry) {
      assert.match(entry.id, /^tag:/);
      assert.match(entry.updated, RFC3339);
      assert.match(entry.published, RFC3339);
      assert.equal(entry.link[0]['@rel'], 'alternate');
    }
    // Entries in another language than the feed say so.
    assert.ok(root.entry.some((e: Record<string, string>) => e['@xml:lang'] === 'ar'));
    assert.ok(text.includes('<title type="text">Fish &amp; Chips &lt;Special&gt; "Edition" at 5 &lt; 6</title>'));
    assert.ok(root.entry.some((e: { title: { '#text': string } }) => e.title['#text'] === ENTITYISH));
  });
});

describe('JSON Feed 1.1', () => {
  test('is valid against the JSON Feed 1.1 schema and matches the other formats', async () => {
    const { res, text } = await fetchText('/feed.json');
    assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
    const feed = JSON.parse(text) as { version: string; feed_url: string; items: { id: string; title: string; date_published: string }[] };
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(jsonFeedSchema);
    assert.ok(validate(feed), JSON.stringify(validate.errors));
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.feed_url, `${PUBLIC_URL}/feed.json`);
    assert.equal(feed.items[0]!.title, HEADLINE);
    for (const item of feed.items) assert.match(item.date_published, RFC3339);
    const rssIds = parseFeed((await fetchText('/feed.xml')).text).items.map((i) => i.id);
    assert.deepEqual(feed.items.map((i) => i.id), rssIds);
    assert.ok(feed.items.some((i) => i.title === ENTITYISH));
  });
});

describe('scoped feeds and discovery', () => {
  test('section, tag and author feeds hold only their articles, in the section’s language', async () => {
    const ar = parseFeed((await fetchText('/feeds/section/akhbar.xml')).text);
    assert.equal(ar.language, 'ar');
    assert.deepEqual(ar.items.map((i) => i.url), [`${PUBLIC_URL}/akhbar/kashf-wathiqa-sirriya`]);
    const tag = parseFeed((await fetchText('/feeds/tag/iraq.atom')).text);
    assert.deepEqual(tag.items.map((i) => i.url), [`${PUBLIC_URL}/news/disclosure-of-confidential-document`]);
    const author = JSON.parse((await fetchText('/feeds/author/international-desk.json')).text);
    assert.equal(author.items.length, 5, 'the demo articles and the one with a byline');
  });

  test('unknown feeds are 404 pages', async () => {
    for (const path of ['/feeds/section/nowhere.xml', '/feeds/section/news.txt', '/feeds/category/news.xml', '/feeds/tag/.xml']) {
      assert.equal((await fetchText(path)).res.status, 404, path);
    }
  });

  test('pages announce their feeds with <link rel="alternate">, and each one answers', async () => {
    const pages: [string, string[]][] = [
      ['/', ['/feed.xml', '/feed.atom', '/feed.json']],
      ['/news/', ['/feeds/section/news.xml', '/feeds/section/news.atom', '/feeds/section/news.json', '/feed.xml']],
      ['/tag/iraq/', ['/feeds/tag/iraq.xml']],
      ['/author/international-desk/', ['/feeds/author/international-desk.json']],
      ['/news/fish-and-chips', ['/feeds/section/news.xml']],
    ];
    for (const [page, expected] of pages) {
      const doc = parseHTML((await fetchText(page)).text).document;
      const links = [...doc.querySelectorAll('link[rel=alternate][type]')].map((l) => l.getAttribute('href')!.replace(PUBLIC_URL, ''));
      for (const href of expected) assert.ok(links.includes(href), `${page} announces ${href}`);
      for (const href of links) assert.equal((await fetchText(href)).res.status, 200, href);
    }
  });
});

describe('conditional GET', () => {
  test('If-None-Match with the ETag gives 304, a stale one 200', async () => {
    const first = await fetchText('/feed.atom');
    const etag = first.res.headers.get('etag')!;
    assert.ok(etag);
    const again = await fetchText('/feed.atom', { 'if-none-match': etag });
    assert.equal(again.res.status, 304);
    assert.equal(again.text, '');
    assert.equal((await fetchText('/feed.atom', { 'if-none-match': 'W/"stale"' })).res.status, 200);
  });

  test('If-Modified-Since with Last-Modified gives 304; an earlier date 200; If-None-Match takes precedence', async () => {
    const first = await fetchText('/feed.xml');
    const lastModified = first.res.headers.get('last-modified')!;
    assert.match(lastModified, RFC822);
    assert.equal((await fetchText('/feed.xml', { 'if-modified-since': lastModified })).res.status, 304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    assert.equal((await fetchText('/feed.xml', { 'if-modified-since': earlier })).res.status, 200);
    assert.equal((await fetchText('/feed.xml', { 'if-modified-since': lastModified, 'if-none-match': 'W/"stale"' })).res.status, 200);
    assert.equal((await fetchText('/feed.xml', { 'if-modified-since': 'not a date' })).res.status, 200);
  });

  test('a new article changes the ETag and Last-Modified', async () => {
    const first = await fetchText('/feed.json');
    await createArticle(server.store, { section: 'news', slug: 'later', headline: 'A later article', body: 'Later.', publishedAt: new Date(Date.now() + 5000).toISOString() });
    const second = await fetchText('/feed.json', { 'if-none-match': first.res.headers.get('etag')! });
    assert.equal(second.res.status, 200);
    assert.notEqual(second.res.headers.get('last-modified'), first.res.headers.get('last-modified'));
  });
});

test('FEED_CONTENT=excerpt carries summaries only', async () => {
  const excerptServer = await startTestServer({ env: { FEED_CONTENT: 'excerpt' } });
  try {
    const rss = await (await fetch(`${excerptServer.url}/feed.xml`)).text();
    assert.doesNotMatch(rss, /content:encoded>/);
    const json = JSON.parse(await (await fetch(`${excerptServer.url}/feed.json`)).text());
    for (const item of json.items) {
      assert.equal(item.content_html, undefined);
      assert.equal(typeof item.content_text, 'string');
    }
  } finally {
    await excerptServer.close();
  }
});
