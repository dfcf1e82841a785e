// Pages not in the page cache: what one costs the store. A generated corpus arrives with its "Check
// Also" lists computed (so no reader's visit computes one), and an uncached article page makes a fixed
// number of queries, however many tags, authors, sources, pins and translations the article has.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { cardsFor, createArticle, getArticle, listArticles } from '../src/articles/article.service.ts';
import { findPublishedByIds } from '../src/articles/article.repository.ts';
import { importCommentIn, resolveSecret } from '../src/comments/comment.service.ts';
import { loadCorpus } from '../src/demo/corpus.ts';
import { definePerson } from '../src/people/person.service.ts';
import type { Store } from '../src/db/store.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { countingRounds } from './helpers/counting.ts';

/** The store with every query it runs counted (statements that write counted apart). */
function counting(store: Store): { store: Store; reads: () => number; writes: () => number; reset(): void } {
  let reads = 0;
  let writes = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      if (args.result.numAffectedRows !== undefined || args.result.numChangedRows !== undefined) writes++;
      else reads++;
      return args.result;
    },
  };
  return {
    store: { ...store, db: store.db.withPlugin(plugin) } as Store,
    reads: () => reads,
    writes: () => writes,
    reset() {
      reads = 0;
      writes = 0;
    },
  };
}

describe('pages not in the cache', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('loads a generated corpus with every article\'s "Check Also" list computed', async () => {
    const result = await loadCorpus(server.store, { articles: 60, seed: 3, end: new Date('2026-11-01T00:00:00Z') });
    assert.equal(result.created, 60);
    const db = server.store.db;
    const published = await db.selectFrom('articles').select('id').where('status', '=', 'published').execute();
    const computed = new Set((await db.selectFrom('related_lists').select('article_id').execute()).map((r) => r.article_id));
    assert.deepEqual(
      published.filter((a) => !computed.has(a.id)).map((a) => a.id),
      [],
      'every published article has a computed list',
    );
    const listed = await db.selectFrom('related_articles').select('article_id').distinct().execute();
    assert.ok(listed.length >= 50, `lists hold similar articles (${listed.length} of 60 have some)`);

    // Reading a corpus article's page writes nothing: its list is already there.
    const [article] = await db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select(['a.slug', 's.slug as section']).where('a.slug', 'like', '%-30').execute();
    const counted = counting(server.store);
    const page = await getArticle(counted.store, article!.section, article!.slug);
    assert.equal(counted.writes(), 0);
    assert.ok(page.related, 'it shows a "Check Also" article');
    const response = await fetch(`${server.url}/${article!.section}/${article!.slug}`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /class="check-also"/);
  });

  it('reads an uncached article page in a fixed number of queries, whatever the article holds', async () => {
    const store = server.store;
    for (const n of [1, 2, 3]) await definePerson(store, { slug: `writer-${n}`, name: `Writer ${n}`, bio: '', url: null });
    const plain = await createArticle(store, { section: 'news', slug: 'plain-note', headline: 'Plain note', body: 'Water rates rise.', authors: ['writer-1'], tags: ['Water'] });
    const rich = await createArticle(store, {
      section: 'news',
      slug: 'rich-report',
      headline: 'Rich report on water rates',
      body: 'Water rates rise across the region.',
      // A byline, tags and sources whose order is neither by id nor by name: the page keeps byline and
      // source order, and lists tags by name, though they come in one row (decision 0070).
      authors: ['writer-3', 'writer-1', 'writer-2'],
      tags: ['Water', 'Rates', 'Region', 'Utilities', 'Budget'],
      sources: Array.from({ length: 8 }, (_, i) => ({ name: `Source ${(i * 5) % 8}`, kind: 'outlet' as const, role: 'reported' as const })),
      pins: ['news/plain-note'],
    });
    await createArticle(store, { section: 'akhbar', slug: 'rich-report-ar', language: 'ar', headline: 'تقرير عن أسعار المياه', body: 'ارتفعت أسعار المياه.', translationOf: 'news/rich-report' });
    const counted = counting(store);
    const pages = new Map<string, Awaited<ReturnType<typeof getArticle>>>();
    const queries = async (path: string) => {
      counted.reset();
      const [section, slug] = path.split('/');
      pages.set(path, await getArticle(counted.store, section!, slug!));
      assert.equal(counted.writes(), 0, `${path}: an article page writes nothing`);
      return counted.reads();
    };
    const plainQueries = await queries('news/plain-note');
    const richQueries = await queries('news/rich-report');
    // The article's row with its tags, sources, authors, pins, comment counts, and its "Check Also"
    // pick's card with that card's byline and comment count (decision 0078).
    assert.ok(plainQueries <= 1, `a plain article page: ${plainQueries} queries`);
    // The rich article has translations (one query more) and a pin (its pick needs no computed list).
    assert.ok(richQueries <= plainQueries + 1, `an article with 3 authors, 5 tags, 8 sources, a pin and a translation: ${richQueries} queries (plain: ${plainQueries})`);
    assert.ok(plain.id && rich.id);
    const page = pages.get('news/rich-report')!;
    assert.deepEqual(page.authors.map((a) => a.slug), ['writer-3', 'writer-1', 'writer-2']);
    assert.deepEqual(page.tags.map((t) => t.name), ['Budget', 'Rates', 'Region', 'Utilities', 'Water']);
    assert.deepEqual(page.sources.map((s) => s.name), Array.from({ length: 8 }, (_, i) => `Source ${(i * 5) % 8}`));
    assert.equal(page.related?.path, '/news/plain-note', 'the pinned article is its "Check Also"');
    assert.deepEqual(page.related?.authors.map((a) => a.slug), ['writer-1'], 'the pick came with its byline');
  });

  it('reads an uncached article page in one round: its row comes with its comment counts and its "Check Also" card', async () => {
    const store = server.store;
    await definePerson(store, { slug: 'grain-writer', name: 'Grain Writer', bio: '', url: null });
    const pick = await createArticle(store, { section: 'news', slug: 'rounds-pick', headline: 'Rounds pick', body: 'Grain prices in the port.', authors: ['grain-writer'] });
    const article = await createArticle(store, { section: 'news', slug: 'rounds-page', headline: 'Rounds page', body: 'Grain prices fall in the port.' });
    const secret = await resolveSecret(store.db, server.config);
    const comment = (articleId: number, n: number) => ({ articleId, parentId: null, author: `Reader ${n}`, email: `reader${n}@example.org`, url: null, text: `Comment ${n}.`, status: 'approved' as const, createdAt: '2026-11-20T10:00:00.000Z' });
    await store.writeTransaction(async (trx) => {
      await importCommentIn(trx, secret, comment(pick.id, 1), null);
      await importCommentIn(trx, secret, comment(pick.id, 2), null);
      await importCommentIn(trx, secret, comment(article.id, 3), null);
    });
    // Its stored list, as a reader's first visit or a bulk load leaves it.
    await getArticle(store, 'news', 'rounds-page');
    const counted = countingRounds(store);
    const page = await getArticle(counted.store, 'news', 'rounds-page');
    // Each round waits for the one before it: on PostgreSQL, a round trip each.
    assert.equal(counted.rounds(), 1, `rounds (${counted.statements()} statements)`);
    assert.equal(counted.statements(), 1);
    assert.equal(page.related?.id, pick.id, 'it shows the other grain article as "Check Also"');
    assert.deepEqual(page.related.authors.map((a) => a.slug), ['grain-writer']);
    assert.equal(page.related.commentCount, 2);
    assert.equal(page.commentCount, 1);
    // The same card as a card read on its own.
    const [alone] = await cardsFor(store.db, [pick.id]);
    assert.deepEqual(page.related, alone);
  });

  it('reads a list of cards in one statement, each with its byline and comment count', async () => {
    const store = server.store;
    await definePerson(store, { slug: 'list-writer-a', name: 'List Writer A', bio: '', url: null });
    await definePerson(store, { slug: 'list-writer-b', name: 'List Writer B', bio: '', url: null });
    const bylined = await createArticle(store, { section: 'news', slug: 'list-two-writers', headline: 'Two writers', body: 'Salt.', authors: ['list-writer-b', 'list-writer-a'] });
    const unsigned = await createArticle(store, { section: 'news', slug: 'list-no-writer', headline: 'No writer', body: 'Pepper.' });
    const commented = await createArticle(store, { section: 'akhbar', slug: 'list-commented', language: 'ar', headline: 'تعليقات', body: 'ملح.', authors: ['list-writer-a'] });
    const secret = await resolveSecret(store.db, server.config);
    const comment = (articleId: number, n: number, status: 'approved' | 'pending') => ({ articleId, parentId: null, author: `Reader ${n}`, email: `list${n}@example.org`, url: null, text: `Note ${n}.`, status, createdAt: '2026-11-21T10:00:00.000Z' });
    await store.writeTransaction(async (trx) => {
      for (const [n, status] of [[1, 'approved'], [2, 'approved'], [3, 'pending'], [4, 'approved']] as const) await importCommentIn(trx, secret, comment(commented.id, n, status), null);
    });
    const counted = countingRounds(store);
    const ids = [commented.id, unsigned.id, bylined.id];
    const cards = await cardsFor(counted.store.db, ids);
    assert.equal(counted.statements(), 1, 'the cards, their bylines and their counts in one statement');
    assert.deepEqual(cards.map((c) => c.id), ids, 'in the order asked');
    assert.deepEqual(cards.map((c) => c.authors.map((a) => a.slug)), [['list-writer-a'], [], ['list-writer-b', 'list-writer-a']], 'each byline in its order');
    assert.deepEqual(cards.map((c) => c.commentCount), [3, 0, 0], 'approved comments only');
    // A section's listing: its count beside its ids, then the cards.
    counted.reset();
    const [news] = await store.db.selectFrom('sections').select('id').where('slug', '=', 'news').execute();
    counted.reset();
    const listing = await listArticles(counted.store.db, { sectionId: news!.id }, 1, 5);
    assert.ok(listing.items.some((c) => c.id === bylined.id));
    assert.equal(listing.items.find((c) => c.id === bylined.id)?.authors.length, 2);
    assert.equal(counted.statements(), 3, 'a listing page: its count and ids, then its cards');
    assert.equal(counted.rounds(), 2, 'the count beside the ids');
    // A page past the end is still refused, and reads no cards.
    counted.reset();
    await assert.rejects(listArticles(counted.store.db, { sectionId: news!.id }, 1000, 5), /There is no page 1000/);
    assert.equal(counted.statements(), 2);
  });

  it('reads cards by lists of ids compiled once per length: each length gives its own rows, in the order asked, past the reused lengths too', async () => {
    const db = server.store.db;
    const ids = (await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id').limit(20).execute()).map((r) => r.id);
    assert.equal(ids.length, 20);
    for (const n of [1, 2, 3, 2, 1, 17, 20]) {
      const wanted = ids.slice(0, n).reverse();
      const got = await findPublishedByIds(db, wanted);
      assert.deepEqual(got.map((r) => r.id), wanted, `${n} ids`);
      const cards = await cardsFor(db, wanted);
      assert.deepEqual(cards.map((c) => c.id), wanted, `${n} cards`);
    }
    // The same length with other ids: the values are bound, not compiled in.
    assert.deepEqual((await findPublishedByIds(db, [ids[5]!, ids[6]!])).map((r) => r.id), [ids[5], ids[6]]);
  });

  it("shows an article's comments and counts on its uncached page, and none on an article without", async () => {
    const store = server.store;
    const quiet = await createArticle(store, { section: 'news', slug: 'quiet-note', headline: 'Quiet note', body: 'Nobody has written about this.' });
    const talked = await createArticle(store, { section: 'news', slug: 'talked-about', headline: 'Talked about', body: 'Everybody has written about this.', pins: ['news/quiet-note'] });
    const secret = await resolveSecret(store.db, server.config);
    const comment = (author: string, text: string, status: 'approved' | 'pending') => ({ articleId: talked.id, parentId: null, author, email: `${author.replace(/ /g, '.')}@example.org`, url: null, text, status, createdAt: '2026-11-20T10:00:00.000Z' });
    await store.writeTransaction(async (trx) => {
      await importCommentIn(trx, secret, comment('Reader One', 'First approved comment.', 'approved'), null);
      await importCommentIn(trx, secret, comment('Reader Two', 'Second approved comment.', 'approved'), null);
      await importCommentIn(trx, secret, comment('Reader Three', 'A held comment.', 'pending'), null);
    });
    const page = async (p: string) => (await fetch(server.url + p)).text();
    const withComments = await page('/news/talked-about');
    assert.match(withComments, /First approved comment\./);
    assert.match(withComments, /Second approved comment\./);
    assert.doesNotMatch(withComments, /A held comment/);
    const without = await page('/news/quiet-note');
    assert.doesNotMatch(without, /approved comment/);
  });

  it('shows the "Check Also" pick\'s own authors and comment count when the first pinned article is not published', async () => {
    const store = server.store;
    for (const slug of ['pick-writer', 'draft-writer']) await definePerson(store, { slug, name: slug, bio: '', url: null });
    await createArticle(store, { section: 'news', slug: 'unpublished-pin', headline: 'Unpublished pin', body: 'Not yet.', status: 'draft', authors: ['draft-writer'] });
    const second = await createArticle(store, { section: 'news', slug: 'second-pin', headline: 'Second pin', body: 'The one shown.', authors: ['pick-writer'] });
    await createArticle(store, { section: 'news', slug: 'pins-a-draft', headline: 'Pins a draft', body: 'Its first pin is a draft.', pins: ['news/unpublished-pin', 'news/second-pin'] });
    const secret = await resolveSecret(store.db, server.config);
    await store.writeTransaction((trx) =>
      importCommentIn(trx, secret, { articleId: second.id, parentId: null, author: 'Reader Four', email: 'reader.four@example.org', url: null, text: 'On the second pin.', status: 'approved', createdAt: '2026-11-20T10:00:00.000Z' }, null),
    );
    const article = await getArticle(store, 'news', 'pins-a-draft');
    assert.equal(article.related?.id, second.id);
    // Read ahead for the first pin, these would be the draft's (draft-writer, no comment).
    assert.deepEqual(article.related.authors.map((a) => a.slug), ['pick-writer']);
    assert.equal(article.related.commentCount, 1);
    assert.deepEqual(article.authors, []);
    assert.equal(article.commentCount, 0);
  });

  it('names a generated social card on the page without drawing it; the card is drawn when its address is first asked for', async () => {
    const store = server.store;
    await createArticle(store, { section: 'news', slug: 'card-later', headline: 'A card drawn later', body: 'The page names its card.' });
    const cards = path.join(server.config.mediaDir, 'cards');
    const files = () => (fs.existsSync(cards) ? fs.readdirSync(cards).length : 0);
    const before = files();
    const html = await (await fetch(`${server.url}/news/card-later`)).text();
    const og = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
    assert.match(og ?? '', /\/media\/cards\/\d+\/[0-9a-f]{24}\.png$/);
    assert.equal(files(), before, 'reading the page drew no card');
    const card = await fetch(server.url + new URL(og!).pathname);
    assert.equal(card.status, 200);
    assert.equal(card.headers.get('content-type'), 'image/png');
    assert.equal(files(), before + 1, 'the card is kept once drawn');
  });
});
