// Snippets: matches found in the normalised index text are marked in the original text, as segments of
// that text (data, not HTML: tests/search/search.test.ts checks that the page escapes them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexText } from '../../src/search/normalise.ts';
import { MARK_CLOSE, MARK_OPEN, highlightWhole, markedWords, snippetAround, type Segment } from '../../src/search/snippet.ts';

/** Segments written the way a page shows them, for readable assertions: [matched] words in brackets. */
const show = (segments: readonly Segment[] | null) => segments && segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');

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
  const out = highlightWhole(original, highlight(original, ['العراق']));
  assert.deepEqual(out, [
    { text: 'قال إنّ ', match: false },
    { text: 'الْعِرَاقَ', match: true },
    { text: ' يرفض', match: false },
  ]);
});

test('markup in the text is kept as text, and the segments put together give the text back', () => {
  const original = '<img src=x onerror=alert(1)> Zanzibar & <b>bold</b> "quoted" \'single\'';
  const out = highlightWhole(original, highlight(original, ['zanzibar', 'img', 'b']));
  assert.equal(show(out), '<[img] src=x onerror=alert(1)> [Zanzibar] & <[b]>bold</[b]> "quoted" \'single\'');
  assert.equal(out.map((s) => s.text).join(''), original);
  assert.deepEqual(out.filter((s) => s.match).map((s) => s.text), ['img', 'Zanzibar', 'b', 'b']);
});

test('a snippet is a window around the matches with ellipses where text was left out', () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
  words[60] = 'target';
  const original = words.join(' ');
  const out = show(snippetAround(original, highlight(original, ['target']), 20))!;
  assert.match(out, /^… /);
  assert.match(out, / …$/);
  assert.match(out, / \[target\] /);
  assert.equal(out.replace(/^… | …$/g, '').split(' ').length, 20);
});

test('no match in a text gives no snippet; a text that no longer lines up is not marked', () => {
  assert.equal(snippetAround('nothing here', highlight('nothing here', [])), null);
  assert.equal(snippetAround('one two three', `${MARK_OPEN}one${MARK_CLOSE} two`), null);
  assert.deepEqual(highlightWhole('a <b>', 'a'), [{ text: 'a <b>', match: false }]);
});
