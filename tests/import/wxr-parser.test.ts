// Reading WordPress exports: the counts and values WordPress's own importer tests assert
// (tests/fixtures/wordpress/expectations.json), and every kind of file that must be refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseWxrFile, WxrError } from '../../src/import/wxr.parser.ts';
import { tempDir } from '../helpers/server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/wordpress');
const fixture = (name: string) => path.join(FIXTURES, name);
const expectations = JSON.parse(fs.readFileSync(fixture('expectations.json'), 'utf8'));

describe('WXR parser: what WordPress importer tests assert', () => {
  const counts = expectations.parse_counts_test_parse_multiple_wxr_files as Record<string, { posts: number; authors: number }>;
  for (const [file, want] of Object.entries(counts)) {
    it(`${file}: ${want.posts} posts and ${want.authors} authors`, async () => {
      const doc = await parseWxrFile(fixture(file));
      assert.equal(doc.items.length, want.posts);
      assert.equal(doc.authors.length, want.authors);
    });
  }

  it('valid-wxr-1.1.xml: site, author, category, tag and term exactly', async () => {
    const want = expectations.parser['valid-wxr-1.1.xml'];
    const doc = await parseWxrFile(fixture('valid-wxr-1.1.xml'));
    assert.equal(doc.version, '1.1');
    assert.equal(`${doc.siteUrl}`, want.base_url);
    const john = doc.authors.find((a) => a.login === 'john')!;
    assert.deepEqual(
      { author_id: Number(john.id), author_login: john.login, author_email: john.email, author_display_name: john.displayName, author_first_name: john.firstName, author_last_name: john.lastName },
      want['authors.john'],
    );
    const categories = doc.terms.filter((t) => t.taxonomy === 'category');
    const c = want['categories[0]'];
    assert.deepEqual({ term_id: Number(categories[0]!.id), category_nicename: categories[0]!.slug, category_parent: categories[0]!.parent, cat_name: categories[0]!.name, category_description: categories[0]!.description }, c);
    const tags = doc.terms.filter((t) => t.taxonomy === 'post_tag');
    assert.deepEqual({ term_id: Number(tags[0]!.id), tag_slug: tags[0]!.slug, tag_name: tags[0]!.name, tag_description: tags[0]!.description }, want['tags[0]']);
    const terms = doc.terms.filter((t) => t.taxonomy !== 'category' && t.taxonomy !== 'post_tag');
    assert.deepEqual(
      { term_id: Number(terms[0]!.id), term_taxonomy: terms[0]!.taxonomy, slug: terms[0]!.slug, term_parent: terms[0]!.parent, term_name: terms[0]!.name, term_description: terms[0]!.description },
      want['terms[0]'],
    );
    assert.equal(doc.items.length, want['posts.length']);
  });

  it('valid-wxr-1.0.xml: categories, tags (domain "tag") and the terms of each post', async () => {
    const want = expectations.parser['valid-wxr-1.0.xml'];
    const doc = await parseWxrFile(fixture('valid-wxr-1.0.xml'));
    assert.equal(doc.version, '1.0');
    assert.equal(doc.siteUrl, want.base_url);
    const category = doc.terms.find((t) => t.taxonomy === 'category')!;
    assert.deepEqual({ category_nicename: category.slug, cat_name: category.name, category_parent: category.parent, category_description: category.description }, want['categories[0]']);
    const tag = doc.terms.find((t) => t.taxonomy === 'post_tag')!;
    assert.deepEqual({ tag_slug: tag.slug, tag_name: tag.name }, want['tags[0]']);
    assert.equal(doc.items.length, want['posts.length']);
    for (const i of [0, 2, 3]) {
      const terms = doc.items[i]!.terms.map((t) => ({ name: t.name, slug: t.slug, domain: t.domain }));
      assert.deepEqual(terms, want[`posts[${i}].terms`], `post ${i}`);
    }
    assert.deepEqual(doc.items[1]!.postmeta, want['posts[1].postmeta']);
  });

  it('crazy-cdata-escaped.xml: CDATA inside content and meta values survives exactly', async () => {
    const want = expectations.parser['crazy-cdata-escaped.xml'];
    const doc = await parseWxrFile(fixture('crazy-cdata-escaped.xml'));
    assert.equal(doc.items[0]!.content, want['posts[0].post_content']);
    assert.deepEqual(Object.fromEntries(doc.items[0]!.postmeta.map((m) => [m.key, m.value])), want.postmeta);
  });

  it('wxr-simple.xml: version, addresses, first author and post; a second parse gives the same', async () => {
    const want = expectations.parser['wxr-simple.xml'];
    const doc = await parseWxrFile(fixture('wxr-simple.xml'));
    assert.equal(doc.version, want.version);
    assert.equal(doc.siteUrl, want.base_url);
    assert.equal(doc.blogUrl, want.base_blog_url);
    const a = doc.authors[0]!;
    assert.deepEqual({ author_id: a.id, author_login: a.login, author_email: a.email }, want.first_author);
    const p = doc.items[0]!;
    assert.deepEqual({ post_id: p.postId, post_title: p.title, post_type: p.postType, post_name: p.postName, status: p.status }, want.first_post);
    assert.deepEqual(await parseWxrFile(fixture('wxr-simple.xml')), doc);
  });
});

describe('WXR parser: refused files name the file, line, column and problem', () => {
  const tmp = tempDir('gazette-wxr-');
  after(() => tmp.remove());
  const write = (name: string, text: string) => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const simple = fs.readFileSync(fixture('wxr-simple.xml'), 'utf8');

  async function refused(file: string, problem: RegExp, line?: number): Promise<WxrError> {
    const error = await parseWxrFile(file).then(
      () => assert.fail(`${file} was accepted`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WxrError, String(error));
    assert.equal(error.file, file);
    assert.match(error.problem, problem);
    assert.ok(error.message.startsWith(`${file}:${error.line}:${error.column}: `), error.message);
    if (line !== undefined) assert.equal(error.line, line);
    return error;
  }

  it('malformed.xml (an unknown WXR version, no channel)', async () => {
    await refused(fixture('malformed.xml'), /unknown WXR version "abc"/, 33);
  });

  it('missing-version-tag.xml', async () => {
    await refused(fixture('missing-version-tag.xml'), /wxr_version> is missing/);
  });

  it('a path that does not exist', async () => {
    await refused(path.join(tmp.dir, 'nowhere.xml'), /cannot read the file \(ENOENT\)/);
  });

  it('text that is not XML', async () => {
    await refused(write('text.xml', 'This is not valid XML content'), /not well-formed XML/, 1);
  });

  it('an empty file', async () => {
    await refused(write('empty.xml', ''), /empty/);
  });

  it('XML that is not WXR', async () => {
    await refused(write('svg.xml', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), /not a WordPress export: the document is <svg>/, 2);
  });

  it('a file cut off half-way', async () => {
    const error = await refused(write('cut.xml', simple.slice(0, Math.floor(simple.length / 2))), /not well-formed XML/);
    assert.ok(error.line > 1);
  });

  it('a bare & in a title, at the line it is on', async () => {
    const lines = simple.split('\n');
    const at = lines.findIndex((l) => l.includes('<title>'));
    lines[at] = lines[at]!.replace('<title>', '<title>Tom & Jerry ');
    await refused(write('amp.xml', lines.join('\n')), /not well-formed XML/, at + 1);
  });

  it('a DOCTYPE: billion laughs and external entities are never expanded', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&c;</title></item></channel></rss>`;
    await refused(write('laughs.xml', laughs), /DOCTYPE is not accepted/, 2);
    const xxe = simple.replace(/<rss/, '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss').replace('<title>', '<title>&xxe;');
    await refused(write('xxe.xml', xxe), /DOCTYPE is not accepted/);
    // Without the DOCTYPE the reference is just an unknown entity: refused, never a file read.
    await refused(write('entity.xml', simple.replace('<title>', '<title>&xxe;')), /not well-formed XML/);
  });
});
