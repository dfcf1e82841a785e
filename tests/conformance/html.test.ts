// Every kind of page the site serves, checked by the Nu Html Checker (vnu.jar, the W3C's validator)
// as a valid HTML5 document. One JVM run checks all pages: each start costs seconds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
import { SEED_PATH, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { serviceFor } from '../comments/helpers.ts';

// vnu-jar's main export is the path of the jar.
const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const JAVA = process.env.JAVA ?? 'java';

/** Page name (also its file name), address, and the status the page must come with. */
const PAGES: [name: string, path: string, status: number][] = [
  ['home', '/', 200],
  ['home-page-2', '/?page=2', 200],
  ['section-news', '/news/', 200],
  ['section-news-page-2', '/news/?page=2', 200],
  ['section-occupied-palestinian-territories', '/occupied-palestinian-territories/', 200],
  ['section-akhbar', '/akhbar/', 200],
  ['section-khabar', '/khabar/', 200],
  ['tag', '/tag/iraq/', 200],
  ['tag-arabic', `/tag/${encodeURIComponent('العراق')}/`, 200],
  ['author', '/author/international-desk/', 200],
  ['author-page-2', '/author/international-desk/?page=2', 200],
  ['article-seed', SEED_PATH, 200],
  ['article-related', '/occupied-palestinian-territories/israel-and-occupied-palestinian-territories-2022', 200],
  ['article-arabic', '/akhbar/kashf-wathiqa-sirriya', 200],
  ['article-persian', '/khabar/efshaye-sanad-mahramaneh', 200],
  ['article-escaping', '/news/filler-1', 200],
  ['article-html-body', '/news/html-body', 200],
  ['article-comments-page-2', `${SEED_PATH}?cpage=2`, 200],
  ['article-arabic-comments-page-2', '/akhbar/kashf-wathiqa-sirriya?cpage=2', 200],
  ['article-comments-past-the-last-page', `${SEED_PATH}?cpage=9`, 404],
  ['not-found', '/no-such-section/no-such-article', 404],
  ['static-page', '/about', 200],
  ['static-page-missing', '/no-such-page', 404],
  ['not-found-page', '/news/?page=999', 404],
  ['bad-page-number', '/?page=abc', 400],
  ['malformed-percent', '/news/%E0%A4%A', 400],
  ['uri-too-long', `/news/${'a'.repeat(3000)}`, 414],
];

const CONTROL = 'control-invalid';

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  message: string;
  extract?: string;
}

describe('HTML conformance (Nu Html Checker)', () => {
  let server: TestServer;
  const out = tempDir('gazette-vnu-');
  const statuses = new Map<string, number>();
  const messages = new Map<string, VnuMessage[]>();
  let closed = false;

  before(async () => {
    // Two threads per comment page, so that a few comments give pages with the whole navigation.
    server = await startTestServer({ env: { COMMENTS_PER_PAGE: '2', COMMENTS_MODERATION: 'hold-none', COMMENTS_MIN_SECONDS: '0', COMMENTS_RATE_MAX: '1000' } });
    // Enough articles for every listing to have a second page; a headline with characters HTML must
    // escape, so the checker sees that escaping holds in titles, headings, attributes and JSON-LD.
    for (let i = 1; i <= 13; i++) {
      await createArticle(server.store, {
        section: 'news',
        slug: `filler-${i}`,
        headline: `Filler ${i}: "quotes" & <angle> brackets`,
        subtitle: `A subtitle with 'apostrophes' & ampersands, number ${i}`,
        body: `Paragraph one of filler ${i}, with a [link](https://example.org/?a=1&b=2).\n\n> A quotation.\n\n- a list item\n- another`,
        authors: ['international-desk'],
        tags: ['Iraq'],
        sources: [{ name: 'Example & Co <Press>', kind: 'outlet', role: 'reported', url: 'https://example.org/?x=1&y=2' }],
        publishedAt: new Date(Date.UTC(2021, 0, i)).toISOString(),
      });
    }
    // A body written with the admin's editor: every element the server keeps, both kinds of figure.
    await createArticle(server.store, {
      section: 'news',
      slug: 'html-body',
      headline: 'An HTML body',
      bodyFormat: 'html',
      body:
        '<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4><p>Text with <strong>bold</strong>, <em>italic</em>, <code>code</code>,<br>a <a href="https://example.org/?a=1&b=2">link</a>.</p>' +
        '<blockquote><p>A quotation.</p></blockquote><ul><li><p>one</p></li></ul><ol start="2"><li><p>two</p></li></ol><hr>' +
        '<figure class="body-image"><img src="https://example.org/a.jpg" alt="A quay"><figcaption>Caption & more <small class="credit">Photo: Desk</small></figcaption></figure>' +
        '<figure class="body-embed"><a href="https://video.example/v/1">https://video.example/v/1</a><figcaption>A video</figcaption></figure><p dir="rtl">سطر</p>',
    });
    const comments = await serviceFor(server);
    for (const articlePath of [SEED_PATH, '/akhbar/kashf-wathiqa-sirriya']) {
      const { id } = await server.store.db.selectFrom('articles').select('id').where('slug', '=', articlePath.split('/').pop()!).executeTakeFirstOrThrow();
      const token = comments.formToken(id, new Date(Date.now() - 60_000));
      let last = 0;
      for (let i = 1; i <= 7; i++) {
        // The fourth answers the third: a thread with a reply.
        const parent = i === 4 ? last : 0;
        const sent = { article_id: String(id), token, author: `Reader ${i}`, email: `reader${i}@example.org`, comment: `Comment ${i} & <more>.`, comment_parent: String(parent) };
        last = (await comments.post(sent, { ip: '192.0.2.1', userAgent: 'test', now: new Date(), browserComments: [] })).id;
      }
    }
    for (const [name, pagePath] of PAGES) {
      const response = await fetch(server.url + pagePath);
      statuses.set(name, response.status);
      fs.writeFileSync(path.join(out.dir, `${name}.html`), await response.text());
    }
    await server.close();
    closed = true;
    // A control page with a known error proves the checker runs and its report is read.
    fs.writeFileSync(path.join(out.dir, `${CONTROL}.html`), '<!DOCTYPE html><html lang="en"><head><title>control</title></head><body><p id="x">a</p><p id="x">b</p></body></html>');

    const files = [...PAGES.map(([name]) => path.join(out.dir, `${name}.html`)), path.join(out.dir, `${CONTROL}.html`)];
    const run = spawnSync(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw new Error(`Cannot run the Nu Html Checker with "${JAVA}": ${run.error.message}`);
    // vnu writes its JSON report to stderr; exit status 1 only means "errors found".
    let report: { messages: VnuMessage[] };
    try {
      report = JSON.parse(run.stderr) as { messages: VnuMessage[] };
    } catch {
      throw new Error(`The Nu Html Checker gave no JSON report (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
    }
    for (const m of report.messages) {
      const file = m.url ? path.basename(fileURLToPath(m.url), '.html') : '(no file)';
      messages.set(file, [...(messages.get(file) ?? []), m]);
    }
  });

  after(async () => {
    if (server && !closed) await server.close();
    out.remove();
  });

  test('the checker flags the control page and reports on no other file', () => {
    assert.ok((messages.get(CONTROL) ?? []).some((m) => m.type === 'error' && /Duplicate ID/.test(m.message)), 'the duplicate id of the control page is reported');
    const known = new Set([...PAGES.map(([name]) => name), CONTROL]);
    assert.deepEqual([...messages.keys()].filter((name) => !known.has(name)), []);
  });

  for (const [name, pagePath, status] of PAGES) {
    test(`${name} (${pagePath.length > 60 ? `${pagePath.slice(0, 60)}…` : pagePath}) is valid HTML`, () => {
      assert.equal(statuses.get(name), status, `status of ${pagePath}`);
      const found = (messages.get(name) ?? []).map((m) => `${name}.html:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'} ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, '⏎')}` : ''}`);
      assert.deepEqual(found, [], `Nu Html Checker on ${name}.html:\n${found.join('\n')}`);
    });
  }
});
