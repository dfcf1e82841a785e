// Arabic and Persian normalisation: every variant a reader may type folds to the same indexed word.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { indexText, normaliseText, queryWords, words } from '../../src/search/normalise.ts';

const same = (a: string, b: string) => assert.equal(indexText(a), indexText(b), `${a} should index like ${b}`);

test('harakat, shadda, tanwin and the dagger alef are dropped', () => {
  same('مُحَمَّدٌ', 'محمد');
  same('الْعِرَاقِ', 'العراق');
  same('كِتَابًا', 'كتابا');
  same('هٰذا', 'هذا');
});

test('tatweel (kashida) is dropped', () => {
  same('العـــراق', 'العراق');
  same('خبـر', 'خبر');
});

test('alef with hamza above or below, with madda, and alef wasla fold to bare alef', () => {
  same('أحمد', 'احمد');
  same('إسلام', 'اسلام');
  same('آمن', 'امن');
  same('ٱلكتاب', 'الكتاب');
});

test('Arabic yeh, alef maksura and Persian yeh are one letter', () => {
  same('علي', 'علی');
  same('على', 'علي');
  same('ایران', 'ايران');
});

test('Persian keheh and Arabic kaf are one letter', () => {
  same('کتاب', 'كتاب');
  same('آمریکا', 'امريكا');
});

test('teh marbuta and heh match, as both are written for the same word', () => {
  same('مدرسة', 'مدرسه');
  same('وثيقة', 'وثیقه');
});

test('Arabic-Indic and Persian digits become ASCII digits', () => {
  assert.equal(indexText('٢٠٢٠'), '2020');
  assert.equal(indexText('۲۰۲۰'), '2020');
  same('سال ۱۴۰۰', 'سال 1400');
});

test('zero-width non-joiner does not split a Persian word', () => {
  same('می‌شود', 'میشود');
  assert.equal(indexText('نیروهای‌ خارجی').split(' ').length, 2);
  assert.deepEqual(queryWords('بین‌الملل'), [normaliseText('بینالملل')]);
});

test('presentation forms pasted from PDFs fold to ordinary letters', () => {
  same('\uFEFB', 'لا');
  same('\uFE8D\uFEDF\uFECC\uFEAE\uFE8D\uFED8', 'العراق');
});

test('Latin text is lower-cased; punctuation separates words', () => {
  assert.equal(indexText('The US-Iraqi Dialogue, 2021!'), 'the us iraqi dialogue 2021');
  assert.equal(indexText('<script>alert(1)</script>'), 'script alert 1 script');
});

test('words() keeps each word’s span in the original text', () => {
  const text = 'Al-Akhbar: «الْعِرَاقُ» و می‌شود café';
  const ws = words(text);
  assert.deepEqual(
    ws.map((w) => text.slice(w.start, w.end)),
    ['Al', 'Akhbar', 'الْعِرَاقُ', 'و', 'می‌شود', 'café'],
  );
  assert.deepEqual(ws.map((w) => w.norm), ['al', 'akhbar', 'العراق', 'و', 'ميشود', 'café']);
});

test('indexText and words() agree word for word, so highlights line up with the original', () => {
  const samples = [
    'Disclosure of a confidential document — the US–Iraqi strategic dialogue (September 2021).',
    'ذكرت صحيفة «الأخبار» اللبنانية أنّ وثيقةً سرّية… كُشفت؛ ٢٠٢٠',
    'روزنامه لبنانی الاخبار گزارش داد که سندی محرمانه فاش شده است: ۲۰۲۰ می‌شود',
    'Cafe\u0301 ½ ﬁnal ＡＢＣ e\u0301te\u0301 x\u0301y',
  ];
  for (const s of samples) assert.equal(indexText(s), words(s).map((w) => w.norm).join(' '), s);
});

test('indexText and words() agree on every naughty string, called twice (the second time from memory)', () => {
  const entries = JSON.parse(readFileSync(new URL('../fixtures/naughty/blns-shared.json', import.meta.url), 'utf8')) as { string: string }[];
  const strings = entries.map((e) => e.string);
  assert.ok(strings.length > 300, `expected the big list of naughty strings, got ${strings.length}`);
  for (let round = 0; round < 2; round++)
    for (const s of strings) {
      const ws = words(s);
      assert.equal(ws.map((w) => w.norm).join(' '), indexText(s), s);
      for (const w of ws) assert.ok(w.start < w.end && w.end <= s.length, `span of ${w.norm} in ${s}`);
    }
});
