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

describe('words without a segmenter', () => {
  // The reference: Intl.Segmenter's word-like segments.
  const reference = (text: string, language: string) => [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
  const samples: [string, string][] = [
    ['en', "Don't stop: e.g. 3.5 percent, a follow-up by the U.S. on 1,000,000 people (12:30) — Israel’s rule_of_law"],
    ['en', 'Prices rose 4.2% in Q3; analysts said... "unexpected" — café naïve résumé'],
    ['fa', 'نخست‌وزیر عراق گفت که آمریکایی‌ها از عراق خارج نمی‌شوند ۱۲۳٫۵ درصد'],
    ['ar', 'ذكرت صحيفة الأخبار اللبنانية أن وثيقةً سريّة قد كشفت ٣٫٥ في المئة، وقال: «لا»'],
    ['ja', '東京で会議が開かれた。Tokyo meeting'],
  ];

  it('counts the words the segmenter counts', async () => {
    const { countWords } = await import('../../src/lib/words.ts');
    for (const [language, text] of samples) assert.equal(countWords(text, language), reference(text, language).length, text);
  });

  it('finds the same words as the segmenter', async () => {
    const { wordSpans } = await import('../../src/lib/words.ts');
    for (const [language, text] of samples)
      assert.deepEqual([...wordSpans(text, language)].map((w) => text.slice(w.start, w.end)), reference(text, language), text);
  });

  it('cuts excerpts where the segmenter would, at every length', () => {
    // The excerpt as it was cut with the segmenter alone.
    const bySegmenter = (text: string, max: number, language: string) => {
      const clean = text.replace(/\s+/gu, ' ').trim();
      if ([...clean].length <= max) return clean;
      let cut = 0;
      let used = 0;
      for (const seg of new Intl.Segmenter(language, { granularity: 'word' }).segment(clean)) {
        const length = [...seg.segment].length;
        if (used + length > max) break;
        used += length;
        if (seg.isWordLike) cut = seg.index + seg.segment.length;
      }
      const head = clean.slice(0, cut).replace(/[\s,;:.،؛\-–—]+$/u, '');
      return head ? `${head} …` : '…';
    };
    for (const [language, text] of [...samples, ['en', 'Emoji 😀 count as one character each 😀😀 in a cut'] as [string, string]])
      for (let max = 1; max <= text.length + 1; max++) assert.equal(excerpt(text, max, language), bySegmenter(text, max, language), `${language} ${max}`);
  });
});
