// Article bodies written as HTML by the admin's body editor (decision 0021): the server cleans what it
// is sent to a strict allowlist before storing it, so no payload of the XSS corpora in
// tests/fixtures/naughty/ leaves anything live; the derived HTML, text and word count come from the
// cleaned HTML; and an article written either way (Markdown still the default) renders on its public page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { parseHTML } from 'linkedom';
import { deriveBody } from '../../src/articles/article.body.ts';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { AppError } from '../../src/errors.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore } from '../../src/db/database.ts';
import { migrationsFor } from '../../src/db/migrations/index.ts';
import * as m012 from '../../src/db/migrations/012_article_body_format.ts';
import { cleanBodyHtml, cleanedBodyHtml } from '../../src/lib/body-html.ts';
import { freshDatabase } from '../helpers/database.ts';
import { SEED_PATH, startTestServer, type TestServer } from '../helpers/server.ts';

const NAUGHTY = new URL('../fixtures/naughty/', import.meta.url);

/** The XSS payloads of DOMPurify's cases, OWASP's evasion sheet and PayloadsAllTheThings' XSS lists. */
function xssPayloads(): string[] {
  const read = (file: string) => fs.readFileSync(new URL(file, NAUGHTY), 'utf8');
  const all: string[] = [];
  all.push(...(JSON.parse(read('dompurify-shared.json')) as { payload: string }[]).map((e) => e.payload));
  all.push(...(JSON.parse(read('owasp-xss-shared.json')) as { payload: string }[]).map((e) => e.payload));
  for (const file of fs.readdirSync(new URL('payloads/xss/', NAUGHTY)).sort()) {
    all.push(...read(path.posix.join('payloads/xss', file)).split('\n').map((l) => l.replace(/\r$/, '')));
  }
  return [...new Set(all.filter((s) => s.trim() !== ''))];
}

const ALLOWED = new Set(['P', 'H2', 'H3', 'H4', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'STRONG', 'EM', 'CODE', 'BR', 'HR', 'FIGURE', 'IMG', 'FIGCAPTION', 'SMALL']);
const ATTRIBUTES: Record<string, readonly string[]> = {
  A: ['href', 'rel'],
  IMG: ['src', 'alt'],
  FIGURE: ['class'],
  SMALL: ['class'],
  OL: ['start'],
};
const DIRECTED = new Set(['P', 'H2', 'H3', 'H4', 'BLOCKQUOTE', 'LI']);
// A value no browser can parse as a URL (an invalid host) leads nowhere: 'invalid:' is safe too.
const SAFE_SCHEMES = { href: new Set(['http:', 'https:', 'mailto:', 'tel:', 'invalid:']), src: new Set(['http:', 'https:', 'invalid:']) };

/** The scheme a browser would follow for this attribute value on an article page (WHATWG URL parsing). */
function schemeOf(value: string): string {
  try {
    return new URL(value, 'https://gazette.test/news/article').protocol;
  } catch {
    return 'invalid:';
  }
}

/** What is live or outside the allowlist in body HTML, parsed as a browser would, one line each. */
function problemsIn(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body><div id="body">${html}</div></body></html>`);
  const problems: string[] = [];
  for (const el of document.getElementById('body')!.querySelectorAll('*')) {
    if (!ALLOWED.has(el.tagName)) problems.push(`element ${el.tagName}`);
    for (const { name, value } of el.attributes) {
      const allowed = ATTRIBUTES[el.tagName]?.includes(name) || (name === 'dir' && DIRECTED.has(el.tagName));
      if (!allowed) problems.push(`${el.tagName}[${name}]`);
      if ((name === 'href' || name === 'src') && !SAFE_SCHEMES[name].has(schemeOf(value))) problems.push(`${el.tagName}[${name}=${value}]`);
    }
  }
  return problems;
}

describe('cleaning body HTML', () => {
  it('keeps what a news article is made of', () => {
    const sent = [
      '<h2>Heading</h2><h3 dir="rtl">Sub</h3><h4>Small</h4>',
      '<blockquote><p>A quotation</p></blockquote>',
      '<ul><li><p>one</p></li></ul><ol start="3"><li><p>three</p></li></ol>',
      '<p><strong>bold</strong> <em>italic</em> <code>code</code> <a href="https://example.org/a?b=1">out</a> <a href="/news/x">in</a> <a href="mailto:desk@example.org">mail</a></p>',
      '<figure class="body-image"><img src="https://example.org/p.jpg" alt="A harbour at dawn"><figcaption>The harbour <small class="credit">Photo: A. Person</small></figcaption></figure>',
      '<figure class="body-embed"><a href="https://video.example/v/1">https://video.example/v/1</a><figcaption>The video</figcaption></figure>',
    ].join('');
    const clean = cleanBodyHtml(sent);
    assert.deepEqual(problemsIn(clean), []);
    for (const kept of ['<h2>Heading</h2>', '<h3 dir="rtl">Sub</h3>', '<blockquote><p>A quotation</p></blockquote>', '<ol start="3">', '<code>code</code>',
      '<a href="https://example.org/a?b=1" rel="noopener noreferrer">out</a>', '<a href="/news/x">in</a>', '<small class="credit">Photo: A. Person</small>',
      '<figure class="body-embed"><a href="https://video.example/v/1" rel="noopener noreferrer">']) {
      assert.ok(clean.includes(kept), `${kept} in ${clean}`);
    }
    assert.match(clean, /<img src="https:\/\/example\.org\/p\.jpg" alt="A harbour at dawn"/);
  });

  it('drops what a word processor pastes and what the page does not use', () => {
    const clean = cleanBodyHtml(
      '<h1 class="MsoTitle" style="color:red">Title</h1><p class="MsoNormal" style="margin:0" id="x" lang="en"><span style="font-weight:700">Bold</span><o:p></o:p> <b>b</b> <i>i</i> <u>u</u></p>' +
        '<table><tr><td>cell</td></tr></table><img src="file:///C:/Users/a/clip.png"><img src="data:image/png;base64,AAAA"><a href="https://e.org" target="_blank">t</a><figure class="evil body-image"><img src="https://e.org/i.jpg"></figure>',
    );
    assert.equal(
      clean,
      '<h2>Title</h2><p>Bold <strong>b</strong> <em>i</em> u</p>cell<a href="https://e.org" rel="noopener noreferrer">t</a><figure class="body-image"><img src="https://e.org/i.jpg" alt="" /></figure>',
    );
  });

  it('leaves nothing live of any XSS payload, as a body, inside a paragraph, a link or an image', () => {
    const payloads = xssPayloads();
    assert.ok(payloads.length > 1000, `${payloads.length} payloads`);
    const failures: string[] = [];
    for (const p of payloads) {
      for (const sent of [p, `<p>${p}</p>`, `<a href="${p}">x</a>`, `<figure class="body-image"><img src="${p}" alt="${p}"></figure>`]) {
        const clean = cleanBodyHtml(sent);
        const problems = problemsIn(clean);
        if (problems.length) failures.push(`${JSON.stringify(sent)} -> ${JSON.stringify(clean)}: ${problems.join(', ')}`);
        // What is stored is stable: cleaning it again (the next save from the editor) changes nothing.
        else if (cleanBodyHtml(clean) !== clean) failures.push(`not stable: ${JSON.stringify(sent)} -> ${JSON.stringify(clean)} -> ${JSON.stringify(cleanBodyHtml(clean))}`);
        // The article service takes a body just cleaned as it is (cleanedBodyHtml): that holds only
        // because cleaning is stable, with headings levelled too; anything else it cleans.
        const levelled = cleanBodyHtml(sent, { levelHeadings: true });
        if (cleanBodyHtml(levelled) !== levelled) failures.push(`levelled, not stable: ${JSON.stringify(sent)} -> ${JSON.stringify(levelled)}`);
        if (cleanedBodyHtml(sent) !== clean) failures.push(`cleanedBodyHtml differs: ${JSON.stringify(sent)}`);
      }
    }
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} payloads left something`);
  });

  it('levels headings on request only: from h2, never skipping a level', () => {
    const sent = '<h3>A</h3><p>x</p><h4>B</h4><h1>C</h1><h6>D</h6>';
    assert.equal(cleanBodyHtml(sent), '<h3>A</h3><p>x</p><h4>B</h4><h2>C</h2><h4>D</h4>');
    assert.equal(cleanBodyHtml(sent, { levelHeadings: true }), '<h2>A</h2><p>x</p><h3>B</h3><h2>C</h2><h3>D</h3>');
  });

  it('derives plain text and words from the cleaned HTML, blocks apart', () => {
    const d = deriveBody('<h2>Port&nbsp;closes</h2><p>Ships <em>wait</em> outside.</p><script>alert("not text")</script><ul><li><p>one</p></li><li><p>two</p></li></ul>', 'en', 'html');
    assert.equal(d.text, 'Port\u00a0closes Ships wait outside. one two'.replace('\u00a0', ' '));
    assert.equal(d.words, 7);
    assert.equal(d.source, d.html);
    assert.doesNotMatch(d.source, /script|not text/);
  });

  it('leaves figure captions and credits out of the plain text (excerpts, snippets, reading time)', () => {
    const d = deriveBody('<p>Before.</p><figure class="body-image"><img src="https://example.org/a.jpg" alt="A market"><figcaption>The covered market <small class="credit">Desk</small></figcaption></figure><p>After.</p>', 'en', 'html');
    assert.equal(d.text, 'Before. After.');
    assert.equal(d.words, 2);
    assert.match(d.html, /The covered market/, 'the page still shows the caption');
  });

  it('keeps Markdown bodies as they were: raw HTML shown as text, the source stored as written', () => {
    const md = '## Heading\n\n> quoted\n\n<script>alert(1)</script>';
    const d = deriveBody(md, 'en');
    assert.equal(d.source, md);
    assert.match(d.html, /<h2>Heading<\/h2>/);
    assert.match(d.html, /&lt;script&gt;/);
  });
});

describe('an HTML body through the article service and on the public page', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const storedBody = (id: number) => server.store.db.selectFrom('articles').select(['body', 'body_format', 'body_html', 'word_count']).where('id', '=', id).executeTakeFirstOrThrow();
  const articleBody = async (pagePath: string) => {
    const response = await fetch(new URL(pagePath, server.url));
    assert.equal(response.status, 200);
    const { document } = parseHTML(await response.text());
    return document.querySelector('.article-body')!;
  };

  it('stores the cleaned HTML and shows it, with no script, on the article page; updates show on the next request', async () => {
    const body =
      '<h2>What the harbour master said</h2><blockquote><p>We are closed.</p></blockquote><ul><li><p>No ships</p></li></ul>' +
      '<p onclick="alert(1)">Read <a href="javascript:alert(2)">this</a> and <a href="https://example.org/report">the report</a>.<script>alert(3)</script></p>' +
      '<figure class="body-image"><img src="https://example.org/harbour.jpg" alt="The empty harbour" onerror="alert(4)"><figcaption>Empty. <small class="credit">Photo: Desk</small></figcaption></figure>' +
      '<iframe src="https://evil.example/"></iframe><img src="x" onerror="alert(5)">';
    const { id, path: pagePath } = await createArticle(server.store, { section: 'news', headline: 'Harbour closed', body, bodyFormat: 'html', authors: [] });
    const row = await storedBody(id);
    assert.equal(row.body_format, 'html');
    assert.equal(row.body, row.body_html);
    assert.doesNotMatch(row.body, /script|onclick|onerror|javascript:|iframe|evil/i);

    let shown = await articleBody(pagePath);
    assert.equal(shown.querySelector('h2')?.textContent, 'What the harbour master said');
    assert.equal(shown.querySelector('blockquote p')?.textContent, 'We are closed.');
    assert.equal(shown.querySelector('figure.body-image img')?.getAttribute('alt'), 'The empty harbour');
    assert.equal(shown.querySelector('figure.body-image small.credit')?.textContent, 'Photo: Desk');
    assert.deepEqual(problemsIn(shown.innerHTML), []);
    assert.equal(shown.querySelectorAll('script, iframe').length, 0);

    await updateArticle(server.store, id, { body: '<p>Open again.</p><script>alert(6)</script>' });
    shown = await articleBody(pagePath);
    assert.equal(shown.innerHTML.trim(), '<p>Open again.</p>');
    assert.equal((await storedBody(id)).word_count, 2);
  });

  it('turns a Markdown article into an HTML one when the editor saves it, and back', async () => {
    const { id, path: pagePath } = await createArticle(server.store, { section: 'news', headline: 'Format switch', body: '## Markdown <b>raw</b>' });
    assert.equal((await storedBody(id)).body_format, 'markdown');
    assert.match((await articleBody(pagePath)).innerHTML, /<h2>Markdown &lt;b&gt;raw&lt;\/b&gt;<\/h2>/);
    await updateArticle(server.store, id, { body: '<h2>HTML <b>bold</b></h2>', bodyFormat: 'html' });
    assert.equal((await storedBody(id)).body_format, 'html');
    assert.match((await articleBody(pagePath)).innerHTML, /<h2>HTML <strong>bold<\/strong><\/h2>/);
    await updateArticle(server.store, id, { body: '*emphasis*', bodyFormat: 'markdown' });
    assert.match((await articleBody(pagePath)).innerHTML, /<em>emphasis<\/em>/);
  });

  it('refuses a format without its body, and an unknown format, naming the field', async () => {
    await assert.rejects(updateArticle(server.store, 1, { bodyFormat: 'html' }), (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && 'body' in e.fields);
    await assert.rejects(
      createArticle(server.store, { section: 'news', headline: 'Bad format', body: 'x', bodyFormat: 'docx' as 'html' }),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && e.fields.bodyFormat === 'expected markdown or html',
    );
  });

  it('still renders the Markdown seed article as before', async () => {
    const shown = await articleBody(SEED_PATH);
    assert.ok(shown.querySelectorAll('p').length > 2);
    const seed = await server.store.db.selectFrom('articles').select('body_format').where('slug', '=', SEED_PATH.split('/').pop()!).executeTakeFirstOrThrow();
    assert.equal(seed.body_format, 'markdown');
  });
});

describe('migration 012', () => {
  it('marks the bodies stored before it as Markdown, refuses an unknown format, and goes down and up again', async () => {
    const database = await freshDatabase();
    const store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrationsFor(store.schema) } });
      assert.equal((await migrator.migrateTo('009_comment_threads')).error, undefined);
      await sql`insert into sections (slug, name) values ('news', 'News')`.execute(store.db);
      await sql`insert into articles (section_id, slug, language, headline, body, status, created_at, updated_at)
        values (1, 'old', 'en', 'Old', '## Old *Markdown*', 'published', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`.execute(store.db);
      await migrateToLatest(store);
      const format = () => store.db.selectFrom('articles').select('body_format').executeTakeFirstOrThrow();
      assert.equal((await format()).body_format, 'markdown');
      await assert.rejects(store.db.updateTable('articles').set({ body_format: 'docx' as 'html' }).execute());
      await m012.down(store.db as unknown as Kysely<unknown>);
      await m012.up(store.db as unknown as Kysely<unknown>);
      assert.equal((await format()).body_format, 'markdown');
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
