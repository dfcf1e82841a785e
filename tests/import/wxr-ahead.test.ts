// The import's reading thread (src/import/wxr.ahead.ts, decision 0051): it hands on what readWxr reads, in
// the same chunks, with the content converted ahead exactly as the importer would convert it; a file
// refused in the thread after several chunks were handed on is reported with its file, line and column,
// and the import that was writing those chunks leaves no rows; a reader that stops early ends the thread.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import path from 'node:path';
import { runCli, type TestServer } from '../helpers/server.ts';
import { readWxrAhead } from '../../src/import/wxr.ahead.ts';
import { readWxr, WxrError, type WxrChunk, type WxrItem } from '../../src/import/wxr.parser.ts';
import { wordpressToHtml, wordpressToText } from '../../src/import/wp-content.ts';
import { FIXTURES, importServer, rowCountsOf, runImport, wxr } from './helpers.ts';

const TABLES = ['articles', 'comments', 'sections', 'people', 'tags', 'import_map', 'legacy_links'] as const;

const paragraph = (n: number) => `<p>Paragraph ${n} of a story about the council's budget, the roads & the schools, told at some length so that the export runs over several chunks of the reader.</p>`;

/** A post with a few paragraphs, an excerpt and comments; every fifth names a picture, every seventh a gallery. */
function post(n: number): string {
  const picture = n % 5 === 0 ? `<img src="https://old.example/wp-content/uploads/2020/01/photo-${n}-300x200.jpg" alt="Photo ${n}">` : '';
  const gallery = n % 7 === 0 ? '[gallery ids="901,902"]' : '';
  const body = [picture, gallery, ...Array.from({ length: 12 }, (_, i) => paragraph(i))].join('\n\n');
  const comments = [1, 2, 3]
    .map((c) => `<wp:comment><wp:comment_id>${c}</wp:comment_id><wp:comment_author>Reader ${c}</wp:comment_author><wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Comment <b>${c}</b> on ${n}<br>second line]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>${c === 3 ? 1 : 0}</wp:comment_parent></wp:comment>`)
    .join('');
  return `<item><title>Story ${n}</title><dc:creator>ann</dc:creator><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[<p>The <em>short</em> version of ${n}</p>]]></excerpt:encoded><wp:post_id>${n}</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>story-${n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>${comments}</item>\n`;
}

/** An export of `posts` posts (some 3 KiB each: 400 of them make about five chunks of 256 KiB). */
function exportOf(posts: number): string {
  const items = Array.from({ length: posts }, (_, i) => post(i + 1)).join('');
  return wxr('https://old.example', `<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann</wp:author_display_name></wp:author>\n${items}`);
}

/** Every chunk a reader yields, and the error it ends with (null when it ends well). */
async function readAll(chunks: AsyncGenerator<WxrChunk>): Promise<{ chunks: WxrChunk[]; error: unknown }> {
  const out: WxrChunk[] = [];
  try {
    for await (const chunk of chunks) out.push(chunk);
  } catch (error) {
    return { chunks: out, error };
  }
  return { chunks: out, error: null };
}

type Prepared = WxrItem & { prepared?: { excerpt: string; html: string | null; pictureUrls: string[] } };

/** A chunk without what the reading thread adds (converted texts), to compare with readWxr's. */
function plain(chunk: WxrChunk): unknown {
  return JSON.parse(JSON.stringify(chunk, (key, value) => (key === 'prepared' || key === 'text' ? undefined : value)));
}

describe('the import reading thread', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));

  it('hands on the chunks readWxr reads, each post converted as the importer converts it', async () => {
    const file = tmp.write('whole.xml', exportOf(400));
    const main = await readAll(readWxr(file));
    const ahead = await readAll(readWxrAhead(file));
    assert.equal(main.error, null);
    assert.equal(ahead.error, null);
    assert.ok(main.chunks.length >= 4, `the export spans several chunks (${main.chunks.length})`);
    assert.deepEqual(ahead.chunks.map(plain), main.chunks.map(plain));
    const items = ahead.chunks.flatMap((c) => c.parts.flatMap((p) => (p.kind === 'item' ? [p.item as Prepared] : [])));
    assert.equal(items.length, 400);
    for (const item of items) {
      const n = Number(item.postId);
      const p = item.prepared!;
      assert.equal(p.excerpt, wordpressToText(item.excerpt));
      for (const c of item.comments) assert.equal((c as { text?: string }).text, wordpressToText(c.content));
      // A gallery asks for attachments: left to the importer, which knows them.
      if (n % 7 === 0) assert.equal(p.html, null, `post ${n}`);
      else assert.equal(p.html, wordpressToHtml(item.content, { byUrl: () => undefined, byAttachment: () => undefined, children: () => [] }), `post ${n}`);
      // A picture's address is noted, so the importer can tell whether the library holds it.
      assert.deepEqual(p.pictureUrls.length > 0, n % 5 === 0, `post ${n}`);
    }
  });

  it('a file refused in the thread after chunks were handed on: the same chunks, then the same WxrError', async () => {
    const whole = exportOf(400);
    const file = tmp.write('cut.xml', `${whole.slice(0, Math.floor(whole.length * 0.8))}<wp:oops></channel>`);
    const main = await readAll(readWxr(file));
    const ahead = await readAll(readWxrAhead(file));
    assert.ok(main.error instanceof WxrError);
    assert.ok(ahead.error instanceof WxrError, String(ahead.error));
    assert.deepEqual([ahead.error.file, ahead.error.line, ahead.error.column, ahead.error.problem], [main.error.file, main.error.line, main.error.column, main.error.problem]);
    assert.ok(ahead.chunks.length >= 3);
    assert.deepEqual(ahead.chunks.map(plain), main.chunks.map(plain));
  });

  it('an import of a file found broken in the thread, after posts were written, reports file:line:column and leaves no rows', async () => {
    const whole = exportOf(400);
    const file = tmp.write('broken.xml', `${whole.slice(0, Math.floor(whole.length * 0.8))}<wp:oops></channel>`);
    const expected = (await readAll(readWxr(file))).error as WxrError;
    const before = await rowCountsOf(server, TABLES);
    let posts = 0;
    await assert.rejects(
      runImport(server, file, { onProgress: (p) => (posts = p.posts) }),
      (error: unknown) => error instanceof WxrError && error.message === expected.message && error.message.startsWith(`${file}:${expected.line}:${expected.column}: not well-formed XML`),
    );
    assert.ok(posts >= 100, `posts were written before the problem was found (${posts})`);
    assert.deepEqual(await rowCountsOf(server, TABLES), before);
    assert.ok(Object.values(before).every((n) => n === 0));
  });

  it('a body converted ahead is converted again when it names a picture the import took into the library', async () => {
    // No gallery, no attachment: the thread converts the body, knowing no picture; the importer takes
    // dunes.jpg from --uploads just before it writes the post, so the body must show the library's figure.
    const item = (n: number, picture: string) =>
      `<item><title>Dunes ${n}</title><dc:creator>ann</dc:creator><content:encoded><![CDATA[<p>Sand ${n}.</p>\n\n<img src="https://old.example/wp-content/uploads/${picture}" alt="Dunes at noon">]]></content:encoded><wp:post_id>${n}</wp:post_id><wp:post_name>dunes-${n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n`;
    const file = tmp.write('pictures.xml', wxr('https://old.example', `<wp:author><wp:author_login>ann</wp:author_login></wp:author>\n${item(1, '2020/03/dunes.jpg')}${item(2, '2019/05/lost.jpg')}`));
    const r = await runCli(server, ['import', 'wordpress', file, '--uploads', path.join(FIXTURES, 'uploads')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const bodies = await server.store.db.selectFrom('articles').select(['slug', 'body_html']).where('slug', 'in', ['dunes-1', 'dunes-2']).orderBy('slug').execute();
    assert.equal(bodies.length, 2);
    assert.match(bodies[0]!.body_html, /<img src="[^"]*" alt="Dunes at noon" data-media-id="\d+"/);
    // A picture not in --uploads keeps its address: the body converted ahead is the one written.
    assert.match(bodies[1]!.body_html, /<img src="https:\/\/old\.example\/wp-content\/uploads\/2019\/05\/lost\.jpg" alt="Dunes at noon"/);
    assert.doesNotMatch(bodies[1]!.body_html, /data-media-id/);
  });

  it('a reader that stops early ends the thread', async () => {
    const file = tmp.write('early.xml', exportOf(400));
    // The process's threads as the system lists them (Linux): a worker thread is one of them.
    const threads = () => fs.readdirSync('/proc/self/task').length;
    const idle = threads();
    for await (const chunk of readWxrAhead(file)) {
      assert.ok(chunk.parts.length);
      assert.ok(threads() > idle, 'the thread runs while the file is read');
      break;
    }
    assert.equal(threads(), idle, 'the thread has ended');
  });
});
