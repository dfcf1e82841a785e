// What readers see of the workflow, over real HTTP: an embargoed (scheduled) article is found at no
// public door before its time and at every one on the next request after it is published; a published
// article whose slug changed answers 301 from its old address; and a scheduled article is published by
// the server with no request at all, including one whose time passed while the server was down.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createDraft, getEditable, publishArticle, publishDueArticles, saveArticle, scheduleArticle } from '../../src/articles/article.workflow.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { freshDatabase } from '../helpers/database.ts';
import { PUBLIC_URL, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { fetchToken, fields, postComment, readForm } from '../comments/helpers.ts';
import { SEED_PATH } from '../helpers/server.ts';
import { account, draft } from './helpers.ts';
import type { Account } from '../../src/accounts/permissions.ts';


async function get(server: { url: string }, path: string): Promise<{ status: number; text: string; location: string | null }> {
  const response = await fetch(server.url + path, { redirect: 'manual' });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

/** Every public page, feed and sitemap file that would list an English news article, as text. */
async function publicDoors(server: TestServer, word: string): Promise<Record<string, string>> {
  const paths = ['/news/pinning-story', '/', '/news/', '/tag/embargo/', '/author/international-desk/', '/feed.xml', '/feed.atom', '/feed.json', '/feeds/section/news.xml', '/sitemap.xml', '/news-sitemap.xml', `/search?q=${word}`];
  const index = (await get(server, '/sitemap.xml')).text;
  for (const m of index.matchAll(/<loc>[^<]*?(\/sitemaps\/[^<]+)<\/loc>/g)) paths.push(m[1]!);
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = (await get(server, p)).text;
  return out;
}

describe('embargo and publication over HTTP', () => {
  let server: TestServer;
  let editor: Account;
  before(async () => {
    server = await startTestServer();
    editor = await account(server, 'editor');
  });
  after(() => server.close());

  it('finds a scheduled article at no public door before its time, and at every door on the next request after', async () => {
    const word = 'Zanzibarquux';
    const a = await createDraft(server.store, editor, draft(`${word} embargoed report`, { tags: ['Embargo'], body: `The ${word} report, under embargo.` }));
    const at = new Date(Date.now() + 24 * 3_600_000);
    const scheduled = await scheduleArticle(server.store, editor, a.id, a.version, at);
    const path = scheduled.path;
    assert.equal(path, `/news/${word.toLowerCase()}-embargoed-report`);
    // A published article pins it as its "Check Also": the box shows something else until the embargo lifts.
    const pinning = await createDraft(server.store, editor, draft('Pinning story', { pins: [path.slice(1)] }));
    const pinningPath = (await publishArticle(server.store, editor, pinning.id, pinning.version)).path;

    // Twice each, so that cached pages are in the cache when it is published.
    for (let i = 0; i < 2; i++) {
      for (const [door, text] of Object.entries(await publicDoors(server, word))) {
        // The search page repeats the query: there, only a link to the article would show it.
        const shown = text.includes(path) || (!door.startsWith('/search') && text.includes(word));
        assert.ok(!shown, `${door} shows the embargoed article`);
      }
    }
    for (const guess of [path, `${path}/`, path.toUpperCase(), `${path}/comments.xml`]) assert.equal((await get(server, guess)).status, 404, guess);
    // No form token for it, and a comment posted to it by hand is refused and stored nowhere.
    assert.equal((await fetch(`${server.url}/comments/token?article=${a.id}`)).status, 404);
    const form = await readForm(server, SEED_PATH);
    const before = await server.store.db.selectFrom('comments').select('id').where('article_id', '=', a.id).execute();
    const posted = await postComment(server, fields({ ...form, article_id: String(a.id) }, { comment: 'Before the embargo lifts' }));
    assert.ok(posted.status >= 400, `comment POST answered ${posted.status}`);
    assert.deepEqual(await server.store.db.selectFrom('comments').select('id').where('article_id', '=', a.id).execute(), before);

    // Its time comes (the scheduler's job, run here at that time).
    assert.deepEqual(await publishDueArticles(server.store, new Date(at.getTime() + 1000)), [a.id]);
    assert.equal((await get(server, path)).status, 200);
    const doors = await publicDoors(server, word);
    for (const door of ['/', '/news/', '/tag/embargo/', '/author/international-desk/', '/feed.xml', '/feed.atom', '/feed.json', '/feeds/section/news.xml', `/search?q=${word}`]) {
      assert.ok(doors[door]!.includes(path), `${door} does not show the published article`);
    }
    assert.ok(Object.entries(doors).some(([door, text]) => door.startsWith('/sitemaps/') && text.includes(path)), 'no sitemap lists it');
    assert.ok(doors[pinningPath]!.includes(path), 'the pinning article’s Check Also does not show it');
    assert.equal((await getEditable(server.store, editor, a.id)).publishedAt, at.toISOString());
    assert.ok((await fetchToken(server, String(a.id))).length > 0);
  });

  it('answers 301 from a published article’s old address after its slug changes, and shows the change at once', async () => {
    const a = await createDraft(server.store, editor, draft('Original address story'));
    const published = await publishArticle(server.store, editor, a.id, a.version);
    const oldPath = published.path;
    assert.equal((await get(server, oldPath)).status, 200);
    assert.equal((await get(server, oldPath)).status, 200);
    const renamed = await saveArticle(server.store, editor, a.id, published.version, draft('Original address story', { slug: 'renamed-address-story', headline: 'Renamed address story' }));
    assert.equal(renamed.path, '/news/renamed-address-story');
    const moved = await get(server, oldPath);
    assert.equal(moved.status, 301);
    assert.equal(moved.location, '/news/renamed-address-story');
    assert.equal((await get(server, `${oldPath}?utm_source=x`)).location, '/news/renamed-address-story?utm_source=x');
    const page = await get(server, '/news/renamed-address-story');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('Renamed address story'));
    assert.ok((await get(server, '/')).text.includes('Renamed address story'));
    // Renamed back, the first address is its own again and the second one moves.
    await saveArticle(server.store, editor, a.id, renamed.version, draft('Original address story', { slug: 'original-address-story' }));
    assert.equal((await get(server, oldPath)).status, 200);
    assert.equal((await get(server, '/news/renamed-address-story')).location, oldPath);
    // A draft's old addresses are nobody's: a draft never had readers.
    const d = await createDraft(server.store, editor, draft('Draft address story'));
    await saveArticle(server.store, editor, d.id, d.version, draft('Draft address story', { slug: 'draft-renamed' }));
    assert.equal((await get(server, d.path)).status, 404);
  });
});

describe('scheduled publication with no traffic, across a restart', () => {
  it('publishes, at start, an article whose time passed while the server was down, without any request', async () => {
    const tmp = tempDir();
    const database = await freshDatabase(tmp.dir);
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL, LOG_LEVEL: 'silent' });
    try {
      const first = await startServer(config);
      const editor = await account({ store: first.store } as TestServer, 'editor');
      const a = await createDraft(first.store, editor, draft('Published while nobody looked'));
      const at = new Date(Date.now() + 1500);
      const scheduled = await scheduleArticle(first.store, editor, a.id, a.version, at);
      await first.close();
      // Time passes while the server is down.
      while (Date.now() <= at.getTime()) await sleep(50);
      const second = await startServer(config);
      try {
        // No request is made: the server publishes it by itself.
        const status = async () => (await second.store.db.selectFrom('articles').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status;
        while ((await status()) !== 'published') await sleep(20);
        const row = await second.store.db.selectFrom('articles').select(['published_at', 'scheduled_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
        assert.equal(row.published_at, at.toISOString());
        assert.equal(row.scheduled_at, null);
        const page = await fetch(second.url + scheduled.path);
        assert.equal(page.status, 200);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
      tmp.remove();
    }
  });
});
