// Comment pages (WordPress's "break comments into pages", ?cpage=N): a page holds COMMENTS_PER_PAGE
// top-level threads with all their replies, pages are numbered from the oldest thread, the default page
// is the one the order shows first, and every link to a comment (the date permalink, "Reply", the 303
// after posting, /comments/<id> for feeds and mail, the CLI) leads to the page that holds it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Migrator, type Kysely } from 'kysely';
import { parseHTML } from 'linkedom';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/db/database.ts';
import { migrationsFor } from '../../src/db/migrations/index.ts';
import { freshDatabase } from '../helpers/database.ts';
import type { CommentService } from '../../src/comments/comment.service.ts';
import { formatNumber } from '../../src/web/i18n/format.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, fields, norm, postComment, readForm, serviceFor, startCommentServer } from './helpers.ts';

const get = (server: TestServer, path: string) => fetch(server.url + path, { redirect: 'manual' });
const doc = async (server: TestServer, path: string) => {
  const response = await get(server, path);
  assert.equal(response.status, 200, `GET ${path}`);
  return parseHTML(await response.text()).document;
};
/** Ids of the top-level comments of a page, in the order shown. */
const topLevel = (d: Document) => [...d.querySelectorAll('ol.comment-list > li.comment')].map((li) => Number(li.id.slice('comment-'.length)));
/** Ids of every comment on a page. */
const allShown = (d: Document) => [...d.querySelectorAll('#comments li.comment')].map((li) => Number(li.id.slice('comment-'.length)));
/** The links of the comment page navigation, their text without the arrows (hidden from assistive technology). */
const navLinks = (d: Document) =>
  [...d.querySelectorAll('nav.comment-pages a')].map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), text: norm(a.textContent?.replace(/[←→]/g, '')) }));
/** The arrow beside a navigation link, and whether it is hidden from assistive technology. */
const arrowOf = (d: Document, rel: string) => {
  const span = d.querySelector(`nav.comment-pages a[rel="${rel}"] span[aria-hidden="true"]`);
  return span?.textContent ?? null;
};

interface Thread {
  id: number;
  replies: number[];
}

/** Posts `n` top-level comments through the service, every tenth with a reply and a reply to that reply. */
async function postThreads(service: CommentService, articleId: number, n: number, label = 'Thread'): Promise<Thread[]> {
  const token = service.formToken(articleId, new Date(Date.now() - 60_000));
  let seq = 0;
  const post = async (parent: number, text: string) => {
    seq += 1;
    const r = await service.post(
      { article_id: String(articleId), token, author: `${label} author ${seq}`, email: `${label.toLowerCase()}${seq}.${process.pid}@example.org`, comment: text, comment_parent: String(parent) },
      { ip: '192.0.2.7', userAgent: 'test', now: new Date(), browserComments: [] },
    );
    assert.equal(r.status, 'approved');
    return r.id;
  };
  const threads: Thread[] = [];
  for (let i = 1; i <= n; i++) {
    const id = await post(0, `${label} ${i}, top level.`);
    const replies: number[] = [];
    if (i % 10 === 1) {
      const reply = await post(id, `A reply to ${label.toLowerCase()} ${i}.`);
      replies.push(reply, await post(reply, `A reply to the reply in ${label.toLowerCase()} ${i}.`));
    }
    threads.push({ id, replies });
  }
  return threads;
}

describe('comment pages, oldest first (the default order)', () => {
  let server: TestServer;
  let service: CommentService;
  let threads: Thread[];
  let lateReply: number;
  let total: number;

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    service = await serviceFor(server);
    const form = await readForm(server, SEED_PATH);
    threads = await postThreads(service, Number(form.article_id), 120);
    // A reply written long after its thread began stays with its thread, on page 1.
    const r = await postComment(server, fields(form, { comment_parent: String(threads[0]!.id), comment: 'A late reply to the first thread.' }));
    lateReply = commentIdFrom(r.location);
    threads[0]!.replies.push(lateReply);
    total = threads.reduce((n, t) => n + 1 + t.replies.length, 0);
  });
  after(() => server.close());

  it('shows 50 top-level threads per page with all their replies, and the total count on every page', async () => {
    const pages = [await doc(server, SEED_PATH), await doc(server, `${SEED_PATH}?cpage=2`), await doc(server, `${SEED_PATH}?cpage=3`)];
    const ids = threads.map((t) => t.id);
    assert.deepEqual(topLevel(pages[0]!), ids.slice(0, 50));
    assert.deepEqual(topLevel(pages[1]!), ids.slice(50, 100));
    assert.deepEqual(topLevel(pages[2]!), ids.slice(100, 120));
    for (const [i, page] of pages.entries()) {
      assert.ok(topLevel(page).length <= 50, 'a page holds at most COMMENTS_PER_PAGE threads');
      assert.equal(norm(page.querySelector('#comments-title')?.textContent), `${total} comments`, `page ${i + 1} counts every comment`);
      for (const t of threads) {
        if (!topLevel(page).includes(t.id)) continue;
        for (const reply of t.replies) assert.ok(page.querySelector(`#comment-${t.id} .comment-children #comment-${reply}`), `reply ${reply} sits in its thread on page ${i + 1}`);
      }
    }
    const everywhere = pages.flatMap(allShown).sort((a, b) => a - b);
    assert.deepEqual(everywhere, threads.flatMap((t) => [t.id, ...t.replies]).sort((a, b) => a - b), 'every comment is on exactly one page');
    assert.ok(pages[0]!.querySelector(`#comment-${threads[0]!.id} .comment-children #comment-${lateReply}`), 'the late reply is on page 1 with its thread');
  });

  it('links the pages: older and newer, page numbers, the current page marked', async () => {
    const first = await doc(server, SEED_PATH);
    assert.deepEqual(navLinks(first), [
      { href: `${SEED_PATH}?cpage=2#comments`, rel: null, text: '2' },
      { href: `${SEED_PATH}?cpage=3#comments`, rel: null, text: '3' },
      { href: `${SEED_PATH}?cpage=2#comments`, rel: 'next', text: 'Newer comments' },
    ]);
    assert.equal(norm(first.querySelector('nav.comment-pages [aria-current="page"]')?.textContent), '1');
    assert.ok(first.querySelector('nav.comment-pages')?.getAttribute('aria-label'));
    const second = await doc(server, `${SEED_PATH}?cpage=2`);
    assert.deepEqual(navLinks(second), [
      { href: `${SEED_PATH}#comments`, rel: 'prev', text: 'Older comments' },
      { href: `${SEED_PATH}#comments`, rel: null, text: '1' },
      { href: `${SEED_PATH}?cpage=3#comments`, rel: null, text: '3' },
      { href: `${SEED_PATH}?cpage=3#comments`, rel: 'next', text: 'Newer comments' },
    ]);
    assert.equal(norm(second.querySelector('nav.comment-pages [aria-current="page"]')?.textContent), '2');
    assert.deepEqual([arrowOf(second, 'prev'), arrowOf(second, 'next')], ['←', '→']);
    assert.equal(second.querySelector('nav.comment-pages a[href$="cpage=3#comments"]:not([rel])')?.getAttribute('aria-label'), 'Comments page 3');
  });

  it('keeps the article page canonical and indexable; later comment pages are noindex and canonical to themselves', async () => {
    const canonical = (d: Document) => d.querySelector('link[rel="canonical"]')?.getAttribute('href');
    const robots = (d: Document) => d.querySelector('meta[name="robots"]')?.getAttribute('content') ?? null;
    const first = await doc(server, SEED_PATH);
    assert.equal(canonical(first), server.config.publicUrl + SEED_PATH);
    assert.equal(robots(first), null);
    // ?cpage=1 is the default page under another address: canonical to the article.
    const one = await doc(server, `${SEED_PATH}?cpage=1`);
    assert.equal(canonical(one), server.config.publicUrl + SEED_PATH);
    assert.deepEqual(topLevel(one), topLevel(first));
    const second = await doc(server, `${SEED_PATH}?cpage=2`);
    assert.equal(canonical(second), `${server.config.publicUrl}${SEED_PATH}?cpage=2`);
    assert.equal(robots(second), 'noindex');
  });

  it('answers a malformed cpage with 301 to the address without it, and a page past the last with 404', async () => {
    for (const junk of ['abc', '0', '-1', '2x', '02', '1e3', '', '9999999999']) {
      const r = await get(server, `${SEED_PATH}?cpage=${encodeURIComponent(junk)}`);
      assert.equal(r.status, 301, `cpage=${junk}`);
      assert.equal(r.headers.get('location'), SEED_PATH, `cpage=${junk}`);
    }
    const kept = await get(server, `${SEED_PATH}?utm_source=x&cpage=zz&comment=held`);
    assert.equal(kept.status, 301);
    assert.equal(kept.headers.get('location'), `${SEED_PATH}?utm_source=x&comment=held`, 'the other parameters are kept');
    const twice = await get(server, `${SEED_PATH}?cpage=2&cpage=3`);
    assert.equal(twice.status, 301);
    assert.equal(twice.headers.get('location'), SEED_PATH);
    for (const past of ['4', '99']) {
      const r = await get(server, `${SEED_PATH}?cpage=${past}`);
      assert.equal(r.status, 404, `cpage=${past}`);
      assert.match(await r.text(), /comment/i);
    }
    // A valid cpage on an address that is not an article page changes nothing there.
    assert.equal((await get(server, '/news/?cpage=2')).status, 200);
  });

  it('links each comment (date permalink, Reply) to the page that holds it', async () => {
    const onSecond = threads[60]!.id;
    const d = await doc(server, `${SEED_PATH}?cpage=2`);
    const item = d.querySelector(`#comment-${onSecond}`)!;
    assert.equal(item.querySelector('.comment-date a')?.getAttribute('href'), `${SEED_PATH}?cpage=2#comment-${onSecond}`);
    const replyHref = item.querySelector('.comment-reply a')?.getAttribute('href');
    assert.equal(replyHref, `${SEED_PATH}?cpage=2&replytocom=${onSecond}#respond`);
    const replying = await doc(server, replyHref!.split('#')[0]!);
    assert.equal(replying.querySelector('input[name="comment_parent"]')?.getAttribute('value'), String(onSecond));
    assert.deepEqual(topLevel(replying), threads.slice(50, 100).map((t) => t.id), 'the reader stays on the page');
    assert.equal(replying.querySelector('.replying-to a')?.getAttribute('href'), `${SEED_PATH}?cpage=2#respond`, 'cancel stays on the page');
    const onFirst = threads[3]!.id;
    const first = await doc(server, SEED_PATH);
    assert.equal(first.querySelector(`#comment-${onFirst} .comment-date a`)?.getAttribute('href'), `${SEED_PATH}#comment-${onFirst}`);
    // A reply to a comment on another page than the one asked for is still offered.
    const elsewhere = await doc(server, `${SEED_PATH}?replytocom=${onSecond}`);
    assert.equal(elsewhere.querySelector('input[name="comment_parent"]')?.getAttribute('value'), String(onSecond));
  });

  it('sends /comments/<id> to the page that holds the comment, with its fragment', async () => {
    for (const [id, to] of [
      [threads[0]!.id, `${SEED_PATH}#comment-${threads[0]!.id}`],
      [lateReply, `${SEED_PATH}#comment-${lateReply}`],
      [threads[50]!.id, `${SEED_PATH}?cpage=2#comment-${threads[50]!.id}`],
      [threads[110]!.replies[1]!, `${SEED_PATH}?cpage=3#comment-${threads[110]!.replies[1]}`],
    ] as const) {
      const r = await get(server, `/comments/${id}`);
      assert.equal(r.status, 302, `/comments/${id}`);
      assert.equal(r.headers.get('location'), to);
    }
    const trashed = threads[5]!.id;
    await service.moderate([trashed], 'trash');
    assert.equal((await get(server, `/comments/${trashed}`)).status, 404, 'a comment not shown has no page');
    await service.moderate([trashed], 'approved');
    for (const bad of ['abc', '0', '99999999', '1.5']) assert.equal((await get(server, `/comments/${bad}`)).status, 404, `/comments/${bad}`);
  });

  it('points the 303 after an accepted comment at the page that shows it', async () => {
    const form = await readForm(server, SEED_PATH);
    const top = await postComment(server, fields(form, { comment: 'A new thread lands on the last page.' }));
    const topId = commentIdFrom(top.location);
    assert.equal(top.location, `${SEED_PATH}?cpage=3&comment=approved#comment-${topId}`);
    const shown = await doc(server, top.location!.split('#')[0]!);
    assert.ok(shown.querySelector(`#comment-${topId}`), 'the new comment is on the page the 303 names');
    assert.match(norm(shown.querySelector('.comment-notice')?.textContent), /published/);
    const reply = await postComment(server, fields(form, { comment_parent: String(threads[2]!.id), comment: 'A reply on page 1.' }));
    assert.equal(reply.location, `${SEED_PATH}?comment=approved#comment-${commentIdFrom(reply.location)}`);
    const held = await readForm(server, `${SEED_PATH}?cpage=2`);
    assert.equal(held.article_id, form.article_id, 'every comment page carries the form');
  });

  it('links feed items to /comments/<id>', async () => {
    const feed = parseFeed(await (await get(server, `${SEED_PATH}/comments.xml`)).text());
    assert.ok(feed.items.length > 0);
    for (const item of feed.items) assert.match(item.url ?? '', new RegExp(`^${server.config.publicUrl}/comments/\\d+$`));
  });

  it('drops every page of the article when a comment is approved (each shows the count), and no other article', async () => {
    const other = '/akhbar/kashf-wathiqa-sirriya';
    for (const path of [SEED_PATH, `${SEED_PATH}?cpage=2`, other]) await get(server, path);
    const cacheState = async (path: string) => (await get(server, path)).headers.get('server-timing') ?? '';
    assert.match(await cacheState(`${SEED_PATH}?cpage=2`), /hit/);
    assert.match(await cacheState(other), /hit/);
    const form = await readForm(server, SEED_PATH);
    await postComment(server, fields(form, { comment: 'One more.' }));
    assert.match(await cacheState(`${SEED_PATH}?cpage=2`), /miss/);
    assert.match(await cacheState(SEED_PATH), /miss/);
    assert.match(await cacheState(other), /hit/);
  });
});

describe('comment pages, newest first', () => {
  let server: TestServer;
  let threads: Thread[];
  const arabic = '/akhbar/kashf-wathiqa-sirriya';

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none', COMMENTS_ORDER: 'newest-first', COMMENTS_PER_PAGE: '5' });
    const service = await serviceFor(server);
    const form = await readForm(server, SEED_PATH);
    threads = await postThreads(service, Number(form.article_id), 12);
    await postThreads(service, Number((await readForm(server, arabic)).article_id), 11, 'Arabic');
  });
  after(() => server.close());

  it('shows the newest threads first, on the last page, replies still in the order written', async () => {
    const ids = threads.map((t) => t.id);
    const d = await doc(server, SEED_PATH);
    assert.deepEqual(topLevel(d), [ids[11], ids[10]]);
    assert.deepEqual(topLevel(await doc(server, `${SEED_PATH}?cpage=2`)), ids.slice(5, 10).reverse());
    const oldest = await doc(server, `${SEED_PATH}?cpage=1`);
    assert.deepEqual(topLevel(oldest), ids.slice(0, 5).reverse());
    assert.deepEqual(allShown(oldest).filter((id) => threads[0]!.replies.includes(id)), threads[0]!.replies, 'replies read top-down');
    assert.equal(norm(d.querySelector('#comments-title')?.textContent), `${12 + 4} comments`);
    // Reading on goes to older comments; page numbers are listed in reading order.
    assert.deepEqual(navLinks(d), [
      { href: `${SEED_PATH}?cpage=2#comments`, rel: null, text: '2' },
      { href: `${SEED_PATH}?cpage=1#comments`, rel: null, text: '1' },
      { href: `${SEED_PATH}?cpage=2#comments`, rel: 'next', text: 'Older comments' },
    ]);
    const middle = await doc(server, `${SEED_PATH}?cpage=2`);
    assert.equal(middle.querySelector('nav.comment-pages a[rel="prev"]')?.getAttribute('href'), `${SEED_PATH}#comments`);
    assert.equal(navLinks(middle)[0]?.text, 'Newer comments');
    // The default page under its number is the same page: canonical to the article.
    const last = await doc(server, `${SEED_PATH}?cpage=3`);
    assert.equal(last.querySelector('link[rel="canonical"]')?.getAttribute('href'), server.config.publicUrl + SEED_PATH);
  });

  it('words the navigation in Arabic, with the digits of Arabic pages and arrows that point along a right-to-left line', async () => {
    const digit = (n: number) => formatNumber('ar', n);
    const d = await doc(server, `${arabic}?cpage=2`);
    const nav = d.querySelector('nav.comment-pages')!;
    assert.equal(nav.getAttribute('aria-label'), 'صفحات التعليقات');
    assert.deepEqual(navLinks(d).map((l) => [l.rel, l.text]), [
      ['prev', 'التعليقات الأحدث'],
      [null, digit(3)],
      [null, digit(1)],
      ['next', 'التعليقات الأقدم'],
    ]);
    assert.equal(norm(nav.querySelector('[aria-current="page"]')?.textContent), digit(2));
    // Back points to the line's start, which is on the right.
    assert.deepEqual([arrowOf(d, 'prev'), arrowOf(d, 'next')], ['→', '←']);
  });

  it('links comments to their pages', async () => {
    const r = await get(server, `/comments/${threads[0]!.id}`);
    assert.equal(r.headers.get('location'), `${SEED_PATH}?cpage=1#comment-${threads[0]!.id}`);
    const newest = await get(server, `/comments/${threads[11]!.id}`);
    assert.equal(newest.headers.get('location'), `${SEED_PATH}#comment-${threads[11]!.id}`);
    const d = await doc(server, `${SEED_PATH}?cpage=2`);
    assert.equal(d.querySelector(`#comment-${threads[7]!.id} .comment-date a`)?.getAttribute('href'), `${SEED_PATH}?cpage=2#comment-${threads[7]!.id}`);
  });
});

describe('comment pages on an article with few comments', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
  });
  after(() => server.close());

  it('shows no page navigation, and page 1 exists even with no comment', async () => {
    const d = await doc(server, SEED_PATH);
    assert.equal(d.querySelector('nav.comment-pages'), null);
    assert.equal((await get(server, `${SEED_PATH}?cpage=1`)).status, 200);
    assert.equal((await get(server, `${SEED_PATH}?cpage=2`)).status, 404);
    const form = await readForm(server, SEED_PATH);
    const r = await postComment(server, fields(form));
    assert.equal(r.location, `${SEED_PATH}?comment=approved#comment-${commentIdFrom(r.location)}`);
    assert.equal((await doc(server, SEED_PATH)).querySelector('nav.comment-pages'), null);
  });

  it("keeps a page past the last as a cached 404 only until the article's comments change", async () => {
    const past = `${SEED_PATH}?cpage=2`;
    const state = async () => {
      const r = await get(server, past);
      return `${r.status} ${r.headers.get('server-timing') ?? ''}`;
    };
    assert.match(await state(), /^404 /);
    assert.match(await state(), /^404 .*hit/, 'the 404 is cached');
    const form = await readForm(server, SEED_PATH);
    await postComment(server, fields(form, { comment: 'Still one page of comments.' }));
    // Still past the last page, but made again: the cached 404 recorded the article's comments.
    assert.match(await state(), /^404 .*miss/);
  });
});

describe('migration 009: the thread of comments written before comment pages', () => {
  it('fills in root_id from the top down, and goes back down', async () => {
    const database = await freshDatabase();
    const store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrationsFor(store.schema) } });
      assert.equal((await migrator.migrateTo('007_search_ranking')).error, undefined);
      // As the code before migration 009 wrote them: an article, and comments with no root_id column yet.
      const old = store.db as unknown as Kysely<Record<'sections' | 'articles' | 'comments', Record<string, unknown>>>;
      const section = (await old.insertInto('sections').values({ slug: 'news', name: 'News' }).returning('id').executeTakeFirstOrThrow()).id;
      const stamp = '2026-01-01T00:00:00.000Z';
      const articleId = Number((await old.insertInto('articles').values({ section_id: section, slug: 'a', headline: 'A', created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow()).id);
      const insert = async (parent: number | null, depth: number, status = 'approved') => {
        const row = { article_id: articleId, parent_id: parent, depth, author_name: 'A', author_email: 'a@example.org', author_email_lower: 'a@example.org', avatar_key: 'k', body: `at depth ${depth}`, status, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
        return Number((await old.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow()).id);
      };
      const a = await insert(null, 1);
      const b = await insert(a, 2);
      const c = await insert(b, 3, 'trash');
      const d = await insert(c, 4);
      const e = await insert(null, 1);
      const f = await insert(e, 2);
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const roots = await store.db.selectFrom('comments').select(['id', 'root_id']).orderBy('id').execute();
      assert.deepEqual(roots.map((r) => [r.id, r.root_id]), [[a, a], [b, a], [c, a], [d, a], [e, e], [f, e]]);
      assert.equal((await migrator.migrateTo('007_search_ranking')).error, undefined, 'down again');
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
