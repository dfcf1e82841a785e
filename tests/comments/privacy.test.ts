// "Your email address will not be published": comments are seeded with unique addresses (approved,
// held, spam, replies), then every public URL the site serves is fetched — every link followed from the
// home page, feeds, sitemaps and robots.txt when present, 404s — and no response (body or headers)
// contains an address, nor its MD5, SHA-1 or SHA-256 in hex, nor its percent-encoded form.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, commenterCookie, fields, postComment, readForm, serviceFor, startCommentServer } from './helpers.ts';

const ARTICLES = [SEED_PATH, '/akhbar/kashf-wathiqa-sirriya', '/khabar/efshaye-sanad-mahramaneh'];

/** Every form in which an address could leak. */
function fingerprints(email: string): string[] {
  const out = new Set<string>();
  for (const v of [email, email.toLowerCase(), email.trim().toLowerCase()]) {
    out.add(v.toLowerCase());
    out.add(encodeURIComponent(v).toLowerCase());
    for (const algorithm of ['md5', 'sha1', 'sha256']) out.add(createHash(algorithm).update(v).digest('hex'));
  }
  return [...out];
}

describe('no reader address anywhere public', () => {
  let server: TestServer;
  const emails: string[] = [];
  const fetched = new Map<string, number>();

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-first' });
    const service = await serviceFor(server);
    let n = 0;
    const email = () => {
      n += 1;
      const e = `Private.Reader${n}.${process.pid}@Example.ORG`;
      emails.push(e);
      return e;
    };
    for (const path of ARTICLES) {
      const form = await readForm(server, path);
      // A first comment is held; approve it so the next ones from that address publish at once.
      const first = await postComment(server, fields(form, { author: 'Opening Reader', email: email(), url: 'https://reader.example/blog', comment: `Opening remark on ${path}`, notify: 'on' }));
      assert.equal(first.status, 303);
      const [held] = await service.queue({ status: 'pending', limit: 1 });
      await service.moderate([held!.id], 'approved');
      // From the same browser (its cookie), under the same name and address.
      const again = await postComment(server, fields(form, { author: 'Opening Reader', email: emails.at(-1)!, comment: 'Second remark, published at once.' }), { cookie: commenterCookie(first)! });
      const parentId = commentIdFrom(again.location);
      const reply = await postComment(server, fields(await readForm(server, `${path}?replytocom=${parentId}`), { email: email(), comment_parent: String(parentId), comment: 'A reply from a new reader.' }));
      assert.equal(reply.status, 303);
      await service.moderate([(await service.queue({ status: 'pending', limit: 1 }))[0]!.id], 'approved');
      // One stays held and one becomes spam: neither may leak either.
      assert.equal((await postComment(server, fields(form, { email: email(), comment: 'Still waiting for an editor.' }))).status, 303);
      assert.equal((await postComment(server, fields(form, { email: email(), comment: 'Spam in the end.' }))).status, 303);
      await service.moderate([(await service.queue({ status: 'pending', limit: 1 }))[0]!.id], 'spam');
    }

    // Crawl: links from the home page outwards, plus the usual well-known addresses and some 404s.
    const origin = new URL(server.url);
    const publicOrigin = new URL(server.config.publicUrl).origin;
    const queue = [
      '/',
      '/robots.txt',
      '/sitemap.xml',
      '/sitemap_index.xml',
      '/feed.xml',
      '/feed',
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/search?q=remark',
      '/comments',
      '/no-such-page',
      '/news/no-such-article',
      '/news/no-such-article/comments.xml',
      `/comments/unsubscribe/${'A'.repeat(43)}`,
      ...ARTICLES.map((p) => `${p}/comments.xml`),
    ];
    const seen = new Set<string>();
    const enqueue = (raw: string, base: string) => {
      let url: URL;
      try {
        url = new URL(raw.replace(publicOrigin, server.url), base);
      } catch {
        return;
      }
      if (url.origin !== origin.origin) return;
      url.hash = '';
      const key = url.pathname + url.search;
      if (!seen.has(key)) queue.push(key);
    };
    while (queue.length && seen.size < 600) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(server.url + path, { redirect: 'manual' });
      const body = await response.text();
      fetched.set(path, response.status);
      const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      const haystack = `${headers}\n${body}`.toLowerCase();
      for (const e of emails) for (const f of fingerprints(e)) assert.ok(!haystack.includes(f), `${path} contains a reader's address (or a hash of it): ${f}`);
      const location = response.headers.get('location');
      if (location) enqueue(location, server.url + path);
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('html')) {
        const { document } = parseHTML(body);
        for (const el of document.querySelectorAll('a[href], link[href]')) enqueue(el.getAttribute('href')!, server.url + path);
        for (const el of document.querySelectorAll('[src]')) enqueue(el.getAttribute('src')!, server.url + path);
      } else if (type.includes('xml') || type.includes('json') || type.startsWith('text/plain')) {
        for (const m of body.matchAll(/https?:\/\/[^\s"'<>]+/g)) enqueue(m[0].replace(/&amp;/g, '&'), server.url + path);
      }
    }
  });
  after(() => server.close());

  it('crawled the site, comments included', (t) => {
    const found = ['/robots.txt', '/sitemap.xml', '/feed.xml', '/feed.json', '/search?q=remark'].map((p) => `${p} ${fetched.get(p)}`).join(', ');
    t.diagnostic(`${fetched.size} URLs fetched; ${found}`);
    assert.ok(fetched.size > 20, `${fetched.size} URLs fetched`);
    for (const p of ARTICLES) {
      assert.equal(fetched.get(p), 200, p);
      assert.equal(fetched.get(`${p}/comments.xml`), 200, `${p}/comments.xml`);
    }
    assert.ok([...fetched.keys()].some((p) => p.includes('replytocom=')), 'reply links were followed');
    assert.equal(fetched.get('/no-such-page'), 404);
    assert.equal(emails.length, ARTICLES.length * 4);
  });

  it('showed the comments it was meant to (so the check above saw them)', async () => {
    const page = await (await fetch(server.url + SEED_PATH)).text();
    assert.match(page, /Second remark, published at once\./);
    assert.match(page, /A reply from a new reader\./);
    assert.doesNotMatch(page, /Still waiting for an editor|Spam in the end/);
    const feed = await (await fetch(`${server.url}${SEED_PATH}/comments.xml`)).text();
    assert.match(feed, /A reply from a new reader\./);
  });

  it('uses no third-party avatar service', async () => {
    const { document } = parseHTML(await (await fetch(server.url + SEED_PATH)).text());
    const avatars = document.querySelectorAll('.comment .comment-avatar');
    assert.ok(avatars.length >= 3);
    for (const a of avatars) assert.equal(a.tagName.toLowerCase(), 'svg', 'avatars are drawn inline, not fetched');
    assert.equal(document.querySelectorAll('img[src*="gravatar"], img[src^="http"]').length, 0);
  });
});
