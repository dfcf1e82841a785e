// The JSON-LD of every article page, read as a search engine would: parsed, expanded to RDF offline in
// safe mode, and held strictly against the schema.org vocabulary (tests/fixtures/schemaorg/).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Quad } from 'jsonld';
import { parseHTML } from 'linkedom';
import { getArticle, type Article } from '../../src/articles/article.service.ts';
import { SEED_PATH, startTestServer, type TestServer } from '../helpers/server.ts';
import { namesBelow, offlineLoader, propertiesOf, subjectsOfType, toRdf, vocabularyProblems } from './schemaorg.ts';

const ARTICLES = [
  SEED_PATH,
  '/occupied-palestinian-territories/israel-and-occupied-palestinian-territories-2022',
  '/akhbar/kashf-wathiqa-sirriya',
  '/khabar/efshaye-sanad-mahramaneh',
];

const REQUIRED = ['headline', 'alternativeHeadline', 'datePublished', 'dateModified', 'author', 'publisher', 'image', 'articleSection', 'inLanguage'];

interface Fetched {
  article: Article;
  blocks: string[];
}

/** The text of each <script type="application/ld+json"> of a page. */
function ldJsonBlocks(html: string): string[] {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent ?? '');
}

/** Literal values of one property of a subject. */
function literals(quads: readonly Quad[], subject: string, property: string): string[] {
  return quads.filter((q) => q.subject.value === subject && q.predicate.value.replace(/^https?:\/\/schema\.org\//, '') === property).map((q) => q.object.value);
}

describe('JSON-LD on article pages (schema.org, offline)', () => {
  let server: TestServer;
  const pages = new Map<string, Fetched>();

  before(async () => {
    server = await startTestServer();
    for (const path of ARTICLES) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, `GET ${path}`);
      const [, section = '', slug = ''] = path.split('/');
      pages.set(path, { article: await getArticle(server.store, section, slug), blocks: ldJsonBlocks(await response.text()) });
    }
  });
  after(async () => {
    await server?.close();
  });

  for (const path of ARTICLES) {
    describe(path, () => {
      let data: unknown;
      let quads: Quad[] = [];

      test('has one ld+json block that parses as JSON', () => {
        const { blocks } = pages.get(path)!;
        assert.equal(blocks.length, 1, 'one application/ld+json script');
        data = JSON.parse(blocks[0]!);
        assert.equal(typeof data, 'object');
      });

      test('expands to RDF in safe mode with only the stored schema.org context', async () => {
        quads = await toRdf(data);
        assert.ok(quads.length > 20, `expected a real graph, got ${quads.length} triples`);
      });

      test('uses only schema.org types and properties, each within its domain and range', () => {
        assert.ok(quads.length, 'the graph was built');
        const problems = vocabularyProblems(quads);
        assert.deepEqual(problems, [], `schema.org problems on ${path}:\n${problems.join('\n')}`);
      });

      test('describes one NewsArticle with the fields news search needs and the article\'s own values', () => {
        const { article } = pages.get(path)!;
        const [node, ...others] = subjectsOfType(quads, 'NewsArticle');
        assert.ok(node, 'a NewsArticle node');
        assert.equal(others.length, 0, 'only one NewsArticle');
        const present = propertiesOf(quads, node);
        assert.deepEqual(REQUIRED.filter((p) => !present.has(p)), [], 'missing NewsArticle properties');
        assert.ok(present.has('isBasedOn') || present.has('citation'), 'sources as isBasedOn or citation');
        assert.deepEqual(literals(quads, node, 'headline'), [article.headline]);
        assert.deepEqual(literals(quads, node, 'alternativeHeadline'), [article.subtitle]);
        assert.deepEqual(literals(quads, node, 'inLanguage'), [article.language]);
        assert.deepEqual(literals(quads, node, 'articleSection'), [article.section.name]);
        assert.deepEqual(literals(quads, node, 'datePublished').map((d) => new Date(d).toISOString()), [new Date(article.publishedAt).toISOString()]);
        assert.deepEqual(literals(quads, node, 'dateModified').map((d) => new Date(d).toISOString()), [new Date(article.updatedAt).toISOString()]);
      });

      test('names every source of the article in isBasedOn or citation', () => {
        const { article } = pages.get(path)!;
        const [node] = subjectsOfType(quads, 'NewsArticle');
        assert.ok(node);
        const names = namesBelow(quads, node, ['isBasedOn', 'citation']);
        assert.ok(article.sources.length > 0, 'the demo article has sources');
        for (const s of article.sources) {
          // A document may go by its full title, which is what a reader would search for.
          const accepted = [s.name, s.document?.title].filter((n): n is string => !!n);
          assert.ok(accepted.some((n) => names.includes(n)), `source "${s.name}" not named among ${JSON.stringify(names)}`);
        }
      });
    });
  }

  test('the seed article carries its four sources by name', async () => {
    const quads = await toRdf(JSON.parse(pages.get(SEED_PATH)!.blocks[0]!));
    const [node] = subjectsOfType(quads, 'NewsArticle');
    assert.ok(node);
    const names = namesBelow(quads, node, ['isBasedOn', 'citation']);
    for (const expected of [/^Al-Akhbar$/, /^Fars News Agency\b.*International Group$/, /^Classified statement on the US–Iraqi strategic dialogue/, /^General Richard Bell$/]) {
      assert.ok(names.some((n) => expected.test(n)), `${expected} among ${JSON.stringify(names)}`);
    }
  });
});

describe('the schema.org checker itself', () => {
  test('finds unknown and superseded terms, and domain and range errors', async () => {
    const quads = await toRdf({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'A headline',
      headlne: 'a misspelt property',
      price: '12', // an Offer's property, outside NewsArticle's domain
      author: { '@type': 'Place', name: 'Not a person' }, // outside author's range
      articleSection: { '@type': 'Person', name: 'Nobody' }, // a node where only Text fits
      datePublished: 'last Tuesday', // not a date
      isBasedOnUrl: 'https://example.org/', // superseded by isBasedOn
      about: { '@type': 'NewsArticel', name: 'A misspelt type' },
    });
    const problems = vocabularyProblems(quads).join('\n');
    for (const expected of [/schema:headlne is not a schema.org property/, /schema:price is used on schema:NewsArticle, outside its domain/, /schema:author holds a schema:Place, outside its range/, /schema:articleSection holds a schema:Person/, /schema:datePublished holds "last Tuesday"/, /schema:isBasedOnUrl is superseded by schema:isBasedOn/, /schema:NewsArticel .* is not a schema.org type/]) {
      assert.match(problems, expected);
    }
  });

  test('safe mode rejects what a JSON-LD processor would drop or guess', async () => {
    await assert.rejects(toRdf({ '@context': 'https://schema.org', '@type': 'NewsArticle', url: 'relative/address' }), /Safe mode validation error/);
    await assert.rejects(toRdf({ '@context': 'https://schema.org', '@type': 'NewsArticle', '@headline': 'keyword-like' }), /Safe mode validation error/);
  });

  test('the document loader never goes online', async () => {
    await assert.rejects(offlineLoader('https://example.org/context.jsonld'), /serves only the schema.org context/);
    await assert.rejects(toRdf({ '@context': 'https://example.org/context.jsonld', '@type': 'NewsArticle' }), /example\.org\/context\.jsonld/);
  });
});
