// Writing articles through the service: bad input is refused with a message naming the field, and a
// refusal half-way through leaves nothing behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createArticle, createArticles, updateArticle } from '../src/articles/article.service.ts';
import { search } from '../src/search/search.service.ts';
import { AppError } from '../src/errors.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const isError = (code: string, message: RegExp) => (e: unknown) => e instanceof AppError && e.code === code && message.test(e.message);

describe('createArticle and updateArticle', () => {
  let server: TestServer;
  const counts = async () => {
    const db = server.store.db;
    const n = async (table: 'articles' | 'sources' | 'documents' | 'article_tags' | 'article_authors' | 'tags') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { articles: await n('articles'), sources: await n('sources'), documents: await n('documents'), tags: await n('tags'), articleTags: await n('article_tags'), authors: await n('article_authors') };
  };
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('names each bad field', async () => {
    await assert.rejects(
      createArticle(server.store, { section: 'news', headline: '', publishedAt: 'yesterday', sources: [{ name: 'X', kind: 'rumour' as 'outlet', role: 'reported', url: 'javascript:alert(1)' }] }),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'invalid_input' &&
        /headline: a headline is required/.test(e.message) &&
        /publishedAt: expected an ISO-8601 date-time/.test(e.message) &&
        /sources\.0\.url: expected an http or https URL/.test(e.message) &&
        'sources.0.kind' in e.fields,
    );
  });

  it('refuses unknown sections, authors and pins, and a taken address', async () => {
    await assert.rejects(createArticle(server.store, { section: 'sport', headline: 'Match report' }), isError('invalid_input', /There is no section "sport"/));
    await assert.rejects(createArticle(server.store, { section: 'news', headline: 'Byline', authors: ['nobody'] }), isError('invalid_input', /There is no author "nobody"/));
    await assert.rejects(createArticle(server.store, { section: 'news', headline: 'Pinned', pins: ['news/missing'] }), isError('invalid_input', /Cannot pin "news\/missing"/));
    await assert.rejects(
      createArticle(server.store, { section: 'news', headline: 'Disclosure of confidential document' }),
      isError('conflict', /\/news\/disclosure-of-confidential-document already exists/),
    );
  });

  it('stores nothing when a refusal comes after the article row was written', async () => {
    const before = await counts();
    // The tag is checked after the article, its authors and earlier tags are inserted.
    await assert.rejects(
      createArticle(server.store, {
        section: 'news',
        headline: 'Half written',
        authors: ['international-desk'],
        tags: ['Fresh tag', '!!!'],
        sources: [{ name: 'Wire', kind: 'agency', role: 'relayed', document: { title: 'A memo' } }],
      }),
      isError('invalid_input', /The tag "!!!" has no letters or digits/),
    );
    assert.deepEqual(await counts(), before);
    assert.equal((await fetch(`${server.url}/news/half-written`)).status, 404);
  });

  it('refuses bad changes and unknown articles without touching the stored one', async () => {
    const { id } = await createArticle(server.store, { section: 'news', headline: 'To be edited', body: 'First version.' });
    await assert.rejects(updateArticle(server.store, id, { headline: '' }), isError('invalid_input', /headline: a headline is required/));
    await assert.rejects(updateArticle(server.store, 999_999, { headline: 'Ghost' }), isError('not_found', /no article with id 999999/));
    const page = await (await fetch(`${server.url}/news/to-be-edited`)).text();
    assert.match(page, /First version\./);
  });

  it('stores many articles through the same validation, searchable at once, and stops at a bad one', async () => {
    const before = await counts();
    const good = (n: number) => ({ section: 'news', slug: `bulk-${n}`, headline: `Harbour cranes report ${n}`, body: `The port authority counted cranes, report ${n}.`, tags: ['Ports'] });
    const ids = await createArticles(server.store, [good(1), good(2), good(3)]);
    assert.equal(ids.length, 3);
    assert.equal((await counts()).articles, before.articles + 3);
    const found = await search(server.store, { q: 'harbour cranes' });
    assert.equal(found.total, 3, 'indexed in the same transactions');

    // The second batch holds a bad article: it is named, and its batch leaves nothing behind.
    await assert.rejects(
      createArticles(server.store, [good(4), { section: 'news', headline: '', body: 'x' }, good(5)]),
      isError('invalid_input', /Article 2 is not valid: headline: a headline is required/),
    );
    await assert.rejects(createArticles(server.store, [good(6), { ...good(1) }]), isError('conflict', /\/news\/bulk-1 already exists/));
    assert.equal((await counts()).articles, before.articles + 3, 'no article of a refused batch stays');
  });

  it('writers racing for one address: one article is stored, the others are told it is taken', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, n) => createArticle(server.store, { section: 'news', slug: 'race-for-this-address', headline: `Racing writer ${n}`, body: 'Same address.' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results)
      if (r.status === 'rejected')
        assert.ok(
          (r.reason instanceof AppError && r.reason.code === 'conflict') || server.store.isUniqueViolation(r.reason),
          `a conflict, not another failure: ${String(r.reason)}`,
        );
  });
});
