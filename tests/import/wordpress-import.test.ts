// `gazette import wordpress`: WordPress importer's own test exports imported through the real command on
// the test engine, with the counts and values expectations.json gives; twice (no duplicates); broken or
// interrupted (nothing kept); hostile (nothing live).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'htmlparser2';
import { textContent } from 'domutils';
import type { ChildNode, Element } from 'domhandler';
import { parseWxrFile, WxrError } from '../../src/import/wxr.parser.ts';
import { ImportRun, importWordpress } from '../../src/import/wordpress.import.ts';
import { runCli, type TestServer } from '../helpers/server.ts';
import { fixture, importServer, rowCountsOf, runImport, wxr } from './helpers.ts';

const expectations = JSON.parse(fs.readFileSync(fixture('expectations.json'), 'utf8'));

const TABLES = ['articles', 'article_tags', 'article_authors', 'sections', 'people', 'tags', 'pages', 'comments', 'import_map'] as const;

const rowCounts = (server: TestServer) => rowCountsOf(server, TABLES);

/** Script elements with alert in them, event-handler attributes, and javascript: links of a page, as parsed. */
function liveHostileParts(html: string): string[] {
  const found: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'tag' && node.type !== 'script') continue;
      const el = node as Element;
      // JSON-LD is data a browser never runs (and its < are escaped as \u003c anyway).
      if (el.name === 'script' && el.attribs.type !== 'application/ld+json' && textContent(el).includes('alert')) found.push(`<script>${textContent(el)}`);
      for (const [name, value] of Object.entries(el.attribs)) {
        if (/^on/i.test(name)) found.push(`${el.name} ${name}=${value}`);
        if ((name === 'href' || name === 'src') && /^\s*javascript:/i.test(value)) found.push(`${el.name} ${name}=${value}`);
      }
      visit(el.children);
    }
  };
  visit(parseDocument(html).children);
  return found;
}

const EMPTY = Object.fromEntries(TABLES.map((t) => [t, 0]));

describe('gazette import wordpress', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));

  it('refuses a malformed file with its line and column, and imports nothing', async () => {
    const r = await runCli(server, ['import', 'wordpress', fixture('malformed.xml')]);
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /malformed\.xml:33:\d+: unknown WXR version "abc"/);
    assert.match(r.stderr, /Nothing was imported/);
    const cut = path.join(tmp.dir, 'cut.xml');
    const whole = fs.readFileSync(fixture('small-export.xml'), 'utf8');
    fs.writeFileSync(cut, whole.slice(0, Math.floor(whole.length / 2)));
    const r2 = await runCli(server, ['import', 'wordpress', cut]);
    assert.equal(r2.code, 65, r2.stderr);
    assert.match(r2.stderr, /cut\.xml:\d+:\d+: not well-formed XML/);
    assert.deepEqual(await rowCounts(server), EMPTY);
  });

  it('--dry-run reports the counts and changes nothing', async () => {
    const r = await runCli(server, ['import', 'wordpress', fixture('small-export.xml'), '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Dry run: nothing was changed/);
    assert.match(r.stdout, /post: 6 imported, 0 updated, 0 skipped, 0 failed/);
    assert.match(r.stdout, /page: 5 imported/);
    assert.deepEqual(await rowCounts(server), EMPTY);
  });

  it('small-export.xml: users, categories, tags, posts by status, pages and comments as WordPress counts them', async () => {
    const want = expectations.import['small-export.xml'];
    const r = await runCli(server, ['import', 'wordpress', fixture('small-export.xml')]);
    assert.equal(r.code, 0, r.stderr);
    const db = server.store.db;
    const counts = await rowCounts(server);
    assert.equal(counts.people, want.total_users);
    assert.equal(counts.sections, want.category_count);
    assert.equal(counts.tags, want.post_tag_count);
    assert.equal(counts.comments, want.comments_total);
    const articles = await db.selectFrom('articles').select(['headline', 'slug', 'status', 'published_at']).execute();
    // Published posts are public; the private post is a draft with no publication date.
    assert.equal(articles.filter((a) => a.status === 'published').length, want.posts['post.publish']);
    const privatePost = articles.find((a) => a.slug === 'private-post')!;
    assert.deepEqual([privatePost.status, privatePost.published_at], ['draft', null]);
    const pages = await db.selectFrom('pages').select(['title', 'slug', 'status']).execute();
    assert.equal(pages.filter((p) => p.status === 'published').length, want.posts['page.publish']);
    assert.equal(pages.filter((p) => p.status === 'draft').length, want.posts['page.draft']);
    for (const item of want.all_items_ordered_by_ID as { title: string; slug: string; type: string }[]) {
      const found = item.type === 'post' ? articles.find((a) => a.headline === item.title) : pages.find((p) => p.title === item.title);
      assert.ok(found, `${item.type} "${item.title}"`);
      if (item.slug) assert.equal(found.slug, item.slug);
    }
    // Each post is credited to its WordPress author; people carry no email or password.
    const credits = await db
      .selectFrom('article_authors as aa')
      .innerJoin('articles as a', 'a.id', 'aa.article_id')
      .innerJoin('people as p', 'p.id', 'aa.person_id')
      .select(['a.slug', 'p.slug as person'])
      .execute();
    for (const item of want.all_items_ordered_by_ID as { slug: string; type: string; author: string }[]) {
      if (item.type === 'post') assert.equal(credits.find((c) => c.slug === item.slug)?.person, item.author, item.slug);
    }
    // The private post's page is at no public door.
    assert.equal((await fetch(`${server.url}/uncategorized/private-post`)).status, 404);
  });

  it('importing the same export again updates: same counts, no duplicate rows', async () => {
    const before = await rowCounts(server);
    const r = await runCli(server, ['import', 'wordpress', fixture('small-export.xml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /post: 0 imported, 6 updated, 0 skipped, 0 failed/);
    assert.match(r.stdout, /comment: 0 imported, 1 updated/);
    assert.deepEqual(await rowCounts(server), before);
  });

  it('slashes.xml (the same site): backslashes are kept verbatim in names, text and comments', async () => {
    const want = expectations.import['slashes.xml'];
    const r = await runCli(server, ['import', 'wordpress', fixture('slashes.xml')]);
    assert.equal(r.code, 0, r.stderr);
    const db = server.store.db;
    assert.equal((await db.selectFrom('sections').select('name').where('slug', '=', 'alpha').executeTakeFirstOrThrow()).name, want['category alpha.name']);
    assert.ok(await db.selectFrom('tags').select('id').where('name', '=', want['post_tag tag1.name']).executeTakeFirst());
    const bodies = await db.selectFrom('articles').select('body').execute();
    assert.ok(bodies.some((b) => b.body === `<p>${want['posts[0].post_content'].replace(/"/g, '&quot;')}</p>` || b.body === `<p>${want['posts[0].post_content']}</p>`), JSON.stringify(bodies.map((b) => b.body)));
    const comments = await db.selectFrom('comments').select('body').execute();
    assert.ok(comments.some((c) => c.body === want['comments[0].comment_content']));
  });
});

describe('WordPress import: atomic, threaded, hostile', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));

  it('an import stopped half-way by a fatal error leaves no rows', async () => {
    let seen = 0;
    await assert.rejects(
      importWordpress(server.store, fixture('small-export.xml'), {
        dryRun: false,
        skipPingbacks: false,
        secret: 'test-secret',
        onProgress: (p) => {
          seen = Math.max(seen, p.posts);
          // New posts are written in batches: progress may pass 3 in one step.
          if (p.posts >= 3) throw new Error('the disk is full');
        },
      }),
      /the disk is full/,
    );
    assert.ok(seen >= 3, 'three posts or more were written before the error');
    assert.deepEqual(await rowCounts(server), EMPTY);
  });

  it('a file found broken at its end, after every item was written, leaves no rows', async () => {
    const whole = fs.readFileSync(fixture('small-export.xml'), 'utf8');
    const lastItemEnd = whole.lastIndexOf('</item>') + '</item>'.length;
    // Every item is complete and written; the export then breaks (an unclosed element, a cut file).
    const broken = path.join(tmp.dir, 'broken-at-end.xml');
    fs.writeFileSync(broken, `${whole.slice(0, lastItemEnd)}\n<wp:oops></channel></rss>\n`);
    const cut = path.join(tmp.dir, 'cut-at-end.xml');
    fs.writeFileSync(cut, whole.slice(0, lastItemEnd + 3));
    for (const file of [broken, cut]) {
      let posts = 0;
      await assert.rejects(
        importWordpress(server.store, file, { dryRun: false, skipPingbacks: false, secret: 'test-secret', onProgress: (p) => (posts = p.posts) }),
        (error: unknown) => error instanceof WxrError && error.file === file && error.line > 1,
      );
      assert.equal(posts, 6, `${path.basename(file)}: every post was written before the problem was found`);
      assert.deepEqual(await rowCounts(server), EMPTY, path.basename(file));
      const r = await runCli(server, ['import', 'wordpress', file]);
      assert.equal(r.code, 65, r.stderr);
      assert.match(r.stderr, new RegExp(`${path.basename(file).replace('.', '\\.')}:\\d+:\\d+: not well-formed XML`));
      assert.match(r.stderr, /Nothing was imported/);
      assert.deepEqual(await rowCounts(server), EMPTY, path.basename(file));
    }
  });

  it('rollback hooks run when what they went with is undone, newest first, and never after a commit', async () => {
    const ran: string[] = [];
    await assert.rejects(
      server.store.writeTransaction(async (trx) => {
        const run = new ImportRun(trx, server.store, { dryRun: false, skipPingbacks: false, secret: 'test-secret' }, new Date().toISOString());
        run.onRollback(() => void ran.push('first'));
        const before = run.snapshot();
        run.onRollback(() => void ran.push('refused item'));
        await run.restore(before);
        assert.deepEqual(ran, ['refused item'], 'an undone item runs only its own hooks');
        run.onRollback(() => {
          throw new Error('a hook that fails');
        });
        run.onRollback(() => void ran.push('last'));
        await run.rollBack();
        assert.deepEqual(ran, ['refused item', 'last', 'first'], 'a failing hook does not stop the others');
        assert.equal(run.rollbackFailures.length, 1);
        throw new Error('abandoned');
      }),
      /abandoned/,
    );
    // Through the import: a dry run is abandoned, so hooks would run; a real import commits and drops them.
    const summary = await runImport(server, fixture('wxr-simple.xml'), { dryRun: true });
    assert.equal(summary.dryRun, true);
    assert.deepEqual(await rowCounts(server), EMPTY);
  });

  it('a refused post is counted as failed with its reason and undone whole; the rest is imported', async () => {
    const item = (id: number, title: string, category: string) =>
      `<item><title>${title}</title><content:encoded>Text</content:encoded><category domain="category" nicename="${category}">${category}</category><wp:post_id>${id}</wp:post_id><wp:post_name>p-${id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`;
    const file = tmp.write('one-bad.xml', wxr('https://one-bad.example', `${item(1, 'x'.repeat(301), 'lonely')}${item(2, 'Fine', 'news')}`));
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 1, `a failure makes the exit status 1: ${r.stderr}`);
    assert.ok(r.stdout, r.stderr);
    assert.match(r.stdout, /post: 1 imported, 0 updated, 0 skipped, 1 failed/);
    assert.match(r.stdout, /post 1: failed: The article is not valid: headline: expected at most 300 characters/);
    // The section made for the refused post's category went with it.
    const sections = await server.store.db.selectFrom('sections').select('slug').execute();
    assert.deepEqual(sections.map((s) => s.slug), ['news']);
    assert.match(r.stdout, /category: 1 imported/);
    await server.store.db.deleteFrom('import_map').execute();
    await server.store.db.deleteFrom('articles').execute();
    await server.store.db.deleteFrom('sections').execute();
  });

  it('threads comments under their parents, with their status and date, and keeps emails private', async () => {
    const thread = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Threads</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://threads.example</wp:base_site_url>
<item><title>Talk</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[Body]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt>2020-05-01 10:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>talk</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>12</wp:comment_id><wp:comment_author>Bea</wp:comment_author><wp:comment_author_email>bea@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-05-02 09:00:00</wp:comment_date_gmt><wp:comment_content>A reply</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>11</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>11</wp:comment_id><wp:comment_author>Al</wp:comment_author><wp:comment_author_email>al@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-05-01 11:00:00</wp:comment_date_gmt><wp:comment_content>First</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>13</wp:comment_id><wp:comment_author>Held</wp:comment_author><wp:comment_content>Wait</wp:comment_content><wp:comment_approved>0</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>14</wp:comment_id><wp:comment_author>Spammer</wp:comment_author><wp:comment_content>Buy</wp:comment_content><wp:comment_approved>spam</wp:comment_approved></wp:comment>
<wp:comment><wp:comment_id>15</wp:comment_id><wp:comment_author>Blog</wp:comment_author><wp:comment_content>Linked</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>pingback</wp:comment_type></wp:comment>
</item></channel></rss>`;
    const file = path.join(tmp.dir, 'thread.xml');
    fs.writeFileSync(file, thread);
    const r = await runCli(server, ['import', 'wordpress', file, '--skip-pingbacks']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /comment: 4 imported, 0 updated, 1 skipped/);
    assert.match(r.stdout, /pingback skipped/);
    const rows = await server.store.db.selectFrom('comments').select(['id', 'parent_id', 'depth', 'author_name', 'status', 'created_at', 'body']).orderBy('id').execute();
    const by = (name: string) => rows.find((c) => c.author_name === name)!;
    assert.equal(by('Bea').parent_id, by('Al').id);
    assert.equal(by('Bea').depth, 2);
    assert.equal(by('Bea').created_at, '2020-05-02T09:00:00.000Z');
    assert.deepEqual(rows.map((c) => [c.author_name, c.status]).sort(), [['Al', 'approved'], ['Bea', 'approved'], ['Held', 'pending'], ['Spammer', 'spam']]);
    const page = await (await fetch(`${server.url}/uncategorized/talk`)).text();
    assert.match(page, /A reply/);
    assert.doesNotMatch(page, /bea@example\.org|al@example\.org/);
  });

  it('threads the comments of posts written together: replies under parents listed later, a cycle broken, a trashed parent dropped', async () => {
    const post = (id: number, slug: string, comments: [id: number, parent: number, approved: string][]) => `<item><title>Post ${id}</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[Body of ${slug}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2020-06-0${id} 10:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>${slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
${comments.map(([c, parent, approved]) => `<wp:comment><wp:comment_id>${c}</wp:comment_id><wp:comment_author>c${c}</wp:comment_author><wp:comment_author_email>c${c}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-06-0${id} 11:${String(c).padStart(2, '0')}:00</wp:comment_date_gmt><wp:comment_content>Comment ${c}</wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`).join('\n')}
</item>`;
    const file = path.join(tmp.dir, 'threads-batched.xml');
    fs.writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Threads</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://batched.example</wp:base_site_url>
${post(1, 'one', [[3, 2, '1'], [1, 0, '1'], [2, 1, '0'], [4, 0, '1']])}
${post(2, 'two', [[5, 6, '1'], [6, 5, '1'], [7, 6, '1']])}
${post(3, 'three', [[8, 0, 'trash'], [9, 8, '1'], [10, 9, 'spam']])}
</channel></rss>`,
    );
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /post: 3 imported/);
    assert.match(r.stdout, /comment: 9 imported, 0 updated, 1 skipped/);
    const rows = await server.store.db.selectFrom('comments').select(['id', 'article_id', 'parent_id', 'root_id', 'depth', 'author_name', 'status']).where('author_name', 'like', 'c%').execute();
    const by = (name: string) => {
      const row = rows.find((c) => c.author_name === name);
      assert.ok(row, `comment ${name} was imported`);
      return row;
    };
    // Post 1: 1 ← 2 ← 3 listed deepest first; 4 starts its own thread.
    assert.deepEqual([by('c1').parent_id, by('c1').root_id, by('c1').depth], [null, by('c1').id, 1]);
    assert.deepEqual([by('c2').parent_id, by('c2').root_id, by('c2').depth, by('c2').status], [by('c1').id, by('c1').id, 2, 'pending']);
    assert.deepEqual([by('c3').parent_id, by('c3').root_id, by('c3').depth], [by('c2').id, by('c1').id, 3]);
    assert.deepEqual([by('c4').parent_id, by('c4').root_id], [null, by('c4').id]);
    // Post 2: 5 and 6 answer each other; the cycle is broken at one of them, and 7 hangs under 6.
    const starters = ['c5', 'c6'].filter((n) => by(n).parent_id === null);
    assert.equal(starters.length, 1, 'one comment of the cycle starts the thread');
    const root = by(starters[0]!).id;
    for (const n of ['c5', 'c6', 'c7']) assert.equal(by(n).root_id, root, `${n} is in the thread that the cycle became`);
    assert.equal(by('c7').parent_id, by('c6').id);
    // Post 3: the trashed parent is not imported; its reply starts a thread, and the spam reply stays under it.
    assert.equal(rows.some((c) => c.author_name === 'c8'), false);
    assert.deepEqual([by('c9').parent_id, by('c9').root_id, by('c9').depth], [null, by('c9').id, 1]);
    assert.deepEqual([by('c10').parent_id, by('c10').status], [by('c9').id, 'spam']);
    const articles = new Set(['c1', 'c5', 'c9'].map((n) => by(n).article_id));
    assert.equal(articles.size, 3, 'each post has its own comments');
    // A second run updates the same rows.
    const again = await runCli(server, ['import', 'wordpress', file]);
    assert.match(again.stdout, /comment: 0 imported, 9 updated, 1 skipped/);
  });

  it('a hostile export imports as inert text: no script, no javascript: link', async () => {
    const hostile = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Hostile</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://hostile.example</wp:base_site_url>
<item><title><![CDATA[<script>alert("title")</script>Breaking]]></title><dc:creator>x</dc:creator>
<content:encoded><![CDATA[<p onclick="alert(1)">Hello <a href="javascript:alert(2)">click</a> <a href=" JaVaScRiPt:alert(3)">again</a></p><script>alert(4)</script><img src="x" onerror="alert(5)"><iframe src="https://evil.example"></iframe>]]></content:encoded>
<excerpt:encoded><![CDATA[<script>alert(6)</script>Summary]]></excerpt:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2021-01-01 00:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>breaking</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[<img src=x onerror=alert(7)>]]></wp:comment_author><wp:comment_content><![CDATA[<script>alert(8)</script>Nice]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
</item>
<item><title>Page</title><content:encoded><![CDATA[<a href="javascript:alert(9)">x</a><script>alert(10)</script>]]></content:encoded><wp:post_id>2</wp:post_id><wp:post_name>hostile-page</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel></rss>`;
    const file = path.join(tmp.dir, 'hostile.xml');
    fs.writeFileSync(file, hostile);
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const article = await server.store.db.selectFrom('articles').select(['headline', 'body_html', 'summary']).where('slug', '=', 'breaking').executeTakeFirstOrThrow();
    assert.doesNotMatch(article.body_html ?? '', /<script|javascript:|onerror|onclick|<iframe/i);
    assert.equal(article.summary, 'Summary');
    for (const address of ['/uncategorized/breaking', '/hostile-page']) {
      const response = await fetch(`${server.url}${address}`);
      assert.equal(response.status, 200, address);
      const html = await response.text();
      // Live elements only: the same words shown as text (&lt;img … onerror…&gt;) are harmless.
      assert.deepEqual(liveHostileParts(html), [], address);
      if (address === '/uncategorized/breaking') assert.ok(html.includes('&lt;script&gt;alert'), 'the hostile title is shown as text');
    }
    // The title is kept as text, shown escaped.
    assert.equal(article.headline, '<script>alert("title")</script>Breaking');
  });

  it('refuses an export with external entities before touching the database', async () => {
    const before = await rowCounts(server);
    const file = path.join(tmp.dir, 'xxe.xml');
    fs.writeFileSync(file, fs.readFileSync(fixture('wxr-simple.xml'), 'utf8').replace(/<rss/, '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss').replace('<title>', '<title>&xxe;'));
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 65);
    assert.match(r.stderr, /xxe\.xml:\d+:\d+: a DOCTYPE is not accepted/);
    assert.doesNotMatch(r.stdout + r.stderr, /root:/);
    assert.deepEqual(await rowCounts(server), before);
  });
});

describe('WordPress import: authors and terms listed after the posts', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));

  it('authors and terms listed after the posts: nothing lost, each counted once', async () => {
    const post = (id: number, creator: string, category: string) =>
      `<item><title>Late ${id}</title><dc:creator>${creator}</dc:creator><content:encoded>Text ${id}</content:encoded><category domain="category" nicename="${category}"><![CDATA[${category}]]></category><category domain="post_tag" nicename="tagged"><![CDATA[Tagged]]></category><wp:post_id>${id}</wp:post_id><wp:post_name>late-${id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`;
    const file = tmp.write(
      'late.xml',
      wxr(
        'https://late.example',
        `${post(1, 'rana', 'world')}${post(2, 'omar', 'world')}
<wp:author><wp:author_id>3</wp:author_id><wp:author_login>rana</wp:author_login><wp:author_email>rana@example.org</wp:author_email><wp:author_display_name>Rana Haddad</wp:author_display_name></wp:author>
<wp:category><wp:term_id>9</wp:term_id><wp:category_nicename>world</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>The World</wp:cat_name><wp:category_description>News from abroad</wp:category_description></wp:category>
<wp:tag><wp:term_id>10</wp:term_id><wp:tag_slug>extra</wp:tag_slug><wp:tag_name>Extra</wp:tag_name></wp:tag>
${post(3, 'rana', 'science')}`,
      ),
    );
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /author: 2 imported, 0 updated/);
    assert.match(r.stdout, /post: 3 imported/);
    assert.match(r.stdout, /category: 2 imported, 0 updated/);
    const db = server.store.db;
    const people = await db.selectFrom('people').select(['slug', 'name']).orderBy('slug').execute();
    assert.deepEqual(people.map((p) => [p.slug, p.name]), [['omar', 'omar'], ['rana', 'Rana Haddad']]);
    const world = await db.selectFrom('sections').select(['name', 'description']).where('slug', '=', 'world').executeTakeFirstOrThrow();
    assert.deepEqual([world.name, world.description], ['The World', 'News from abroad']);
    assert.ok(await db.selectFrom('tags').select('id').where('slug', '=', 'extra').executeTakeFirst());
    const before = await rowCounts(server);
    const again = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /author: 0 imported, 2 updated/);
    assert.match(again.stdout, /post: 0 imported, 3 updated/);
    assert.deepEqual(await rowCounts(server), before);
  });
});

describe('WordPress import: the theme unit test data', () => {
  let server: TestServer;
  importServer((s) => (server = s));

  it('imports without failures; posts not public in WordPress are at no public door; published ones answer 200', async () => {
    const file = fixture('theme-unit-test-data.xml');
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout, /[1-9]\d* failed/);
    assert.match(r.stdout, /post: 58 imported/);
    assert.match(r.stdout, /page: 21 imported/);
    const doc = await parseWxrFile(file);
    const db = server.store.db;
    const articles = await db
      .selectFrom('import_map as m')
      .innerJoin('articles as a', 'a.id', 'm.gazette_id')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['m.wp_id', 'a.status', 'a.slug', 's.slug as section'])
      .where('m.kind', '=', 'post')
      .execute();
    const byWpId = new Map(articles.map((a) => [a.wp_id, a]));
    const hidden = doc.items.filter((i) => i.postType === 'post' && (i.status !== 'publish' || i.postPassword) && !['trash', 'auto-draft', 'inherit'].includes(i.status));
    assert.ok(hidden.length >= 3, 'the file has a draft, a scheduled and a password-protected post');
    for (const item of hidden) {
      const a = byWpId.get(item.postId)!;
      assert.equal(a.status, item.status === 'future' ? 'scheduled' : 'draft', `post ${item.postId} (${item.status})`);
      assert.equal((await fetch(`${server.url}/${a.section}/${encodeURIComponent(a.slug)}`)).status, 404, `post ${item.postId}`);
    }
    for (const a of articles.filter((x) => x.status === 'published')) {
      assert.equal((await fetch(`${server.url}/${a.section}/${encodeURIComponent(a.slug)}`)).status, 200, `${a.section}/${a.slug}`);
    }
    for (const p of await db.selectFrom('pages').select('slug').where('status', '=', 'published').execute()) {
      assert.equal((await fetch(`${server.url}/${encodeURIComponent(p.slug)}`)).status, 200, p.slug);
    }
    const first = await rowCounts(server);
    const again = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /post: 0 imported, 58 updated/);
    assert.deepEqual(await rowCounts(server), first);
  });
});

describe('WordPress import: --default-author', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));

  const post = (id: number, creator: string) =>
    `<item><title>Post ${id}</title><dc:creator>${creator}</dc:creator><content:encoded>Text</content:encoded><wp:post_id>${id}</wp:post_id><wp:post_name>post-${id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`;
  const file = () => {
    return tmp.write(
      'authors.xml',
      wxr(
        'https://authors.example',
        `<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ed</wp:author_login><wp:author_email>Ed@Example.org</wp:author_email><wp:author_display_name>Ed Itor</wp:author_display_name></wp:author>
${post(1, 'ed')}${post(2, 'ghost')}${post(3, '')}`,
      ),
    );
  };

  it('refuses an email no listed author has, before writing anything', async () => {
    const r = await runCli(server, ['import', 'wordpress', file(), '--default-author', 'nobody@example.org']);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /no author in .*authors\.xml has the email nobody@example\.org/);
    assert.deepEqual(await rowCounts(server), EMPTY);
  });

  it('credits posts by unlisted or no authors to that author, and makes no person for them', async () => {
    const r = await runCli(server, ['import', 'wordpress', file(), '--default-author', 'ed@example.org']);
    assert.equal(r.code, 0, r.stderr);
    const credits = await server.store.db
      .selectFrom('article_authors as aa')
      .innerJoin('articles as a', 'a.id', 'aa.article_id')
      .innerJoin('people as p', 'p.id', 'aa.person_id')
      .select(['a.slug', 'p.slug as person', 'p.name'])
      .orderBy('a.slug')
      .execute();
    assert.deepEqual(credits.map((c) => [c.slug, c.person, c.name]), [['post-1', 'ed', 'Ed Itor'], ['post-2', 'ed', 'Ed Itor'], ['post-3', 'ed', 'Ed Itor']]);
    assert.equal((await rowCounts(server)).people, 1);
  });
});
