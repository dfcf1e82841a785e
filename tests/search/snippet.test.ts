// Snippets: matches found in the normalised index text are marked in the original text, and nothing
// in an article can turn into markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexText } from '../../src/search/normalise.ts';
import { MARK_CLOSE, MARK_OPEN, highlightWhole, markedWords, snippetAround } from '../../src/search/snippet.ts';

/** Marks the given normalised words in an index text, as FTS5 highlight() does. */
function highlight(text: string, hits: string[]): string {
  return indexText(text)
    .split(' ')
    .map((w) => (hits.includes(w) ? `${MARK_OPEN}${w}${MARK_CLOSE}` : w))
    .join(' ');
}

test('markedWords reads single marks and marks spanning a phrase', () => {
  assert.deepEqual(markedWords(`a ${MARK_OPEN}b${MARK_CLOSE} c`), [false, true, false]);
  assert.deepEqual(markedWords(`${MARK_OPEN}us iraqi${MARK_CLOSE} dialogue`), [true, true, false]);
});

test('marks land on the words as written, diacritics and all', () => {
  const original = 'قال إنّ الْعِرَاقَ يرفض';
  const out = highlightWhole(original, highlight(original, ['العراق'])).value;
  assert.equal(out, 'قال إنّ <mark>الْعِرَاقَ</mark> يرفض');
});

test('markup in the text is escaped before anything is marked', () => {
  const original = '<img src=x onerror=alert(1)> Zanzibar & <b>bold</b> "quoted" \'single\'';
  const out = highlightWhole(original, highlight(original, ['zanzibar', 'img', 'b'])).value;
  assert.equal(
    out,
    '&lt;<mark>img</mark> src=x onerror=alert(1)&gt; <mark>Zanzibar</mark> &amp; &lt;<mark>b</mark>&gt;bold&lt;/<mark>b</mark>&gt; &quot;quoted&quot; &#39;single&#39;',
  );
  assert.doesNotMatch(out, /<(?!\/?mark>)/);
});

test('a snippet is a window around the matches with ellipses where text was left out', () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
  words[60] = 'target';
  const original = words.join(' ');
  const out = snippetAround(original, highlight(original, ['target']), 20)!.value;
  assert.match(out, /^… /);
  assert.match(out, / …$/);
  assert.match(out, /<mark>target<\/mark>/);
  assert.equal(out.replace(/^… | …$/g, '').split(' ').length, 20);
});

test('no match in a text gives no snippet; a text that no longer lines up is not marked', () => {
  assert.equal(snippetAround('nothing here', highlight('nothing here', [])), null);
  assert.equal(snippetAround('one two three', `${MARK_OPEN}one${MARK_CLOSE} two`), null);
  assert.equal(highlightWhole('a <b>', 'a').value, 'a &lt;b&gt;');
});
