// Pure helpers: excerpts cut between words in every script, slugs, HTML escaping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excerpt } from '../../src/lib/excerpt.ts';
import { escapeHtml, html, trusted } from '../../src/lib/html.ts';
import { isSlug, slugify } from '../../src/lib/slug.ts';

describe('excerpt', () => {
  it('keeps short text whole', () => {
    assert.equal(excerpt('  A short   line. ', 50), 'A short line.');
  });

  it('cuts English at a word boundary and adds " …"', () => {
    const text = 'According to Mouood, quoting by Amnesty: Israel And Occupied Palestinian Territories 2022 Israel’s continuing oppressive rule over';
    assert.equal(excerpt(text, 120), 'According to Mouood, quoting by Amnesty: Israel And Occupied Palestinian Territories 2022 Israel’s continuing oppressive …');
    assert.equal(excerpt('Washington’s genuine intention', 12), 'Washington’s …');
  });

  it('never leaves trailing punctuation before the ellipsis', () => {
    assert.equal(excerpt('One, two, three, four, five', 10), 'One, two …');
  });

  it('cuts Arabic and Persian between words', () => {
    const ar = 'ذكرت صحيفة الأخبار اللبنانية أن وثيقة سرية قد كشفت';
    const cut = excerpt(ar, 20, 'ar');
    assert.ok(cut.endsWith(' …'));
    const words = cut.slice(0, -2).split(' ');
    for (const w of words) assert.ok(ar.split(' ').includes(w), `"${w}" is a whole word`);
    const fa = 'نخست‌وزیر عراق گفت که آمریکایی‌ها از عراق خارج نمی‌شوند';
    const faCut = excerpt(fa, 15, 'fa');
    assert.ok(fa.startsWith(faCut.slice(0, -2)));
    assert.ok(faCut.slice(0, -2).split(' ').every((w) => fa.split(' ').includes(w)), faCut);
  });

  it('cuts text written without spaces between words, never inside one', () => {
    const ja = '東京都は新しい計画を発表しました';
    const cut = excerpt(ja, 6, 'ja');
    assert.ok(cut.endsWith(' …'));
    assert.ok(ja.startsWith(cut.slice(0, -2)));
    assert.ok([...cut.slice(0, -2)].length <= 6);
  });

  it('does not split a grapheme made of several code points', () => {
    const text = '👩‍👩‍👧 family photo caption continues here';
    const cut = excerpt(text, 14);
    assert.ok(cut.startsWith('👩‍👩‍👧'));
  });
});

describe('slugs', () => {
  it('makes readable slugs in any script', () => {
    assert.equal(slugify('Disclosure of confidential document'), 'disclosure-of-confidential-document');
    assert.equal(slugify('Israel’s “plans” — 2022!'), 'israels-plans-2022');
    assert.equal(slugify('افشای سند محرمانه'), 'افشای-سند-محرمانه');
    assert.equal(slugify('!!!'), '');
  });

  it('recognises well-formed slugs only', () => {
    assert.ok(isSlug('news'));
    assert.ok(isSlug('a-b-2'));
    for (const bad of ['', '-a', 'a-', 'a--b', 'A B', 'a/b', '../x', 'x'.repeat(121)]) assert.ok(!isSlug(bad), bad);
  });
});

describe('html template', () => {
  it('escapes every interpolated value', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    assert.equal(html`<p title="${name}">${name}</p>`.value, '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>');
  });

  it('keeps nested templates and trusted markup, drops null and booleans', () => {
    const inner = html`<b>${'a<b'}</b>`;
    assert.equal(html`${inner}${[html`<i>1</i>`, '2']}${null}${false}${trusted('<br>')}`.value, '<b>a&lt;b</b><i>1</i>2<br>');
    assert.equal(escapeHtml(`"'`), '&quot;&#39;');
  });
});
