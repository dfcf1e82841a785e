// "Check Also": chosen by content similarity, an editor's pin wins, never the article itself, never
// a draft, and lists follow articles as they are published and changed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseHTML } from 'linkedom';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { dropList } from '../../src/related/related.repository.ts';
import { relatedIds } from '../../src/related/related.service.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const ids: Record<string, number> = {};

const LIGHTHOUSE = 'The lighthouse keepers of the northern cape kept the lamp burning through the storm; the keepers logged every ship, every gale and every repair to the lantern and its lenses.';

async function checkAlso(path: string): Promise<{ href: string | null; excerpt: string }> {
  const res = await fetch(server.url + path);
  assert.equal(res.status, 200);
  const doc = parseHTML(await res.text()).document;
  const link = doc.querySelector('.check-also .card-title a');
  return { href: link?.getAttribute('href') ?? null, excerpt: doc.querySelector('.check-also .card-excerpt')?.textContent ?? '' };
}

before(async () => {
  server = await startTestServer();
  const s = server.store;
  const make = async (key: string, input: Parameters<typeof createArticle>[1]) => (ids[key] = (await createArticle(s, input)).id);
  await make('a', { section: 'news', slug: 'keepers-a', headline: 'Lighthouse keepers remember the storm', body: LIGHTHOUSE, tags: ['Lighthouses'], publishedAt: '2023-01-10T08:00:00Z' });
  await make('b', { section: 'news', slug: 'keepers-b', headline: 'The last lighthouse keepers of the cape', body: `${LIGHTHOUSE} Now the lamp runs itself.`, tags: ['Lighthouses'], publishedAt: '2023-01-11T08:00:00Z' });
  await make('draft', { section: 'news', slug: 'keepers-draft', headline: 'Lighthouse keepers lantern lenses storm', body: `${LIGHTHOUSE} ${LIGHTHOUSE}`, tags: ['Lighthouses'], status: 'draft' });
  await make('far', { section: 'news', slug: 'orchard', headline: 'Apple harvest begins early', body: 'Orchards in the valley began picking apples two weeks early this year.', publishedAt: '2023-01-12T08:00:00Z' });
  await make('pinned', { section: 'news', slug: 'keepers-pinned', headline: 'Lighthouse keepers and their lamps', body: LIGHTHOUSE, pins: ['news/orchard'], publishedAt: '2023-01-13T08:00:00Z' });
});

after(() => server.close());

test('the most similar published article is chosen, never the article itself or a draft', async () => {
  const list = await relatedIds(server.store, server.store.db, ids.a!);
  assert.ok(list.length > 0);
  assert.ok(!list.includes(ids.a!), 'not itself');
  assert.ok(!list.includes(ids.draft!), 'not a draft');
  assert.ok(!list.includes(ids.far!) || list.indexOf(ids.far!) > list.indexOf(ids.b!), 'the unrelated article ranks below');
  assert.ok([ids.b, ids.pinned].includes(list[0]), 'a lighthouse article comes first');
  const shown = await checkAlso('/news/keepers-a');
  assert.ok(shown.href === '/news/keepers-b' || shown.href === '/news/keepers-pinned');
});

test('an editor’s pin wins over similarity', async () => {
  assert.equal((await checkAlso('/news/keepers-pinned')).href, '/news/orchard');
  // The demo's seed article is pinned to the Amnesty report.
  assert.equal((await checkAlso('/news/disclosure-of-confidential-document')).href, '/occupied-palestinian-territories/israel-and-occupied-palestinian-territories-2022');
});

test('publishing an article offers it to the lists of similar articles', async () => {
  assert.ok(!(await relatedIds(server.store, server.store.db, ids.b!)).includes(ids.draft!));
  await updateArticle(server.store, ids.draft!, { status: 'published' });
  assert.ok((await relatedIds(server.store, server.store.db, ids.b!)).includes(ids.draft!));
  assert.ok((await relatedIds(server.store, server.store.db, ids.draft!)).length > 0);
});

test('changing an article recomputes the lists that held it', async () => {
  assert.ok((await relatedIds(server.store, server.store.db, ids.a!)).includes(ids.b!));
  await updateArticle(server.store, ids.b!, { headline: 'Harbour dredging contract signed', body: 'The port authority signed a dredging contract for the harbour channel.', tags: ['Ports'] });
  assert.ok(!(await relatedIds(server.store, server.store.db, ids.a!)).includes(ids.b!));
});

test('an unpublished article leaves every "Check Also"', async () => {
  await updateArticle(server.store, ids.draft!, { status: 'draft' });
  assert.ok(!(await relatedIds(server.store, server.store.db, ids.b!)).includes(ids.draft!));
  assert.ok(!(await relatedIds(server.store, server.store.db, ids.a!)).includes(ids.draft!));
  assert.notEqual((await checkAlso('/news/keepers-a')).href, '/news/keepers-draft');
});

test('a pin that is not published gives way to the first published article of the list', async () => {
  // The pin is read first and alone (article.service.ts, firstPublished); a draft sends the page on to the rest.
  await createArticle(server.store, { section: 'news', slug: 'keepers-pin-draft', headline: 'Lighthouse keepers in winter', body: LIGHTHOUSE, pins: ['news/keepers-draft'], publishedAt: '2023-01-14T08:00:00Z' });
  const shown = await checkAlso('/news/keepers-pin-draft');
  assert.ok(shown.href !== null && shown.href !== '/news/keepers-draft', `shows a published article (got ${shown.href})`);
  const db = server.store.db;
  const own = await db.selectFrom('articles').select('id').where('slug', '=', 'keepers-pin-draft').executeTakeFirstOrThrow();
  const list = await relatedIds(server.store, db, own.id);
  assert.ok(list.length > 0);
  const first = await db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select(['a.slug', 'a.status', 's.slug as section']).where('a.id', '=', list[0]!).executeTakeFirstOrThrow();
  assert.equal(first.status, 'published');
  assert.equal(shown.href, `/${first.section}/${first.slug}`, 'the first article of its list');
});

test('the "Check Also" excerpt is cut at a word boundary with an ellipsis, in Arabic too', async () => {
  const words = 'قالت مصادر محلية إن المرفأ استأنف العمل بعد توقف طويل بسبب العاصفة التي ضربت الساحل الشمالي للبلاد'.split(' ');
  const body = Array.from({ length: 6 }, () => words.join(' ')).join(' ');
  await createArticle(server.store, { section: 'akhbar', slug: 'marfa-1', language: 'ar', headline: 'المرفأ يستأنف العمل بعد العاصفة', body, publishedAt: '2023-02-01T08:00:00Z' });
  await createArticle(server.store, { section: 'akhbar', slug: 'marfa-2', language: 'ar', headline: 'العاصفة تضرب الساحل والمرفأ يتوقف', body, publishedAt: '2023-02-02T08:00:00Z' });
  const shown = await checkAlso('/akhbar/marfa-2');
  assert.equal(shown.href, '/akhbar/marfa-1');
  assert.match(shown.excerpt, / …$/);
  const kept = shown.excerpt.replace(/ …$/, '');
  assert.ok(body.startsWith(kept), 'the excerpt is the start of the text');
  assert.ok(body[kept.length] === ' ', 'and ends between two words');
});

test('readers arriving together at a page whose list is not computed yet all get the page', async () => {
  await dropList(server.store.db, ids.a!);
  const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${server.url}/news/keepers-a?r=${i}`).then((r) => r.status)));
  assert.deepEqual(new Set(statuses), new Set([200]));
  assert.ok((await relatedIds(server.store, server.store.db, ids.a!)).length > 0);
});
