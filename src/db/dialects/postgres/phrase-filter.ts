// A small filter of each article's adjacent word pairs (decision 0059), so that a phrase search checks
// against the whole document (stored out of line) only the articles that may hold the phrase, not every
// article holding all of its words. It is a Bloom filter: each pair of lexemes at positions p and p + 1
// of the indexed document sets a few bits of a bit string kept beside the document; a phrase whose
// pairs do not all find their bits set is not in the document. A filter never says no to a document
// that holds the phrase, so the phrase is still checked against the document for the ones it lets
// through, and results are exactly those of the phrase query alone.
//
// The bits are computed here, from the document PostgreSQL built (its text form, so from the same
// lexemes and positions the phrase check reads), and tested inside gazette_search_window (migration
// 027), which hashes the query's pairs the same way (lexemeHash).

// The filters already written depend on the hash and the constants below: changing any of them (but
// BITS_PER_PAIR, which only sizes new filters) needs a migration that computes every filter again.

/** Bits set by each pair (the Bloom filter's k). */
export const PAIR_HASHES = 3;
/** Bits of filter per distinct pair of the document, before rounding up to FILTER_STEP_BYTES. */
export const BITS_PER_PAIR = 6;
/** Filters are a multiple of this many bytes long: the query builds one mask per possible length. */
export const FILTER_STEP_BYTES = 64;
/** The longest filter: a longer document shares it among more pairs and lets more through. */
export const FILTER_MAX_BYTES = 1024;

/** One lexeme of a tsvector's text form, with its positions (weights dropped). */
export interface Lexeme {
  lexeme: string;
  positions: number[];
}

/**
 * The lexemes of a tsvector's text form (`'word':1A,4 'other':2`): each lexeme quoted, a quote inside
 * doubled and a backslash escaped, then its positions, each with an optional weight letter.
 */
export function parseTsvector(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === SPACE) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) !== QUOTE) throw new Error(`unexpected character in a tsvector at ${i}`);
    // The lexeme runs to the next quote not doubled; most hold neither quotes nor backslashes.
    let end = text.indexOf("'", i + 1);
    while (end !== -1 && text.charCodeAt(end + 1) === QUOTE) end = text.indexOf("'", end + 2);
    if (end === -1) throw new Error('unterminated lexeme in a tsvector');
    let lexeme = text.slice(i + 1, end);
    if (lexeme.includes("'") || lexeme.includes('\\')) lexeme = lexeme.replace(/''|\\(.)/g, (m, c: string | undefined) => c ?? "'");
    i = end + 1;
    const positions: number[] = [];
    if (text.charCodeAt(i) === COLON) {
      i++;
      for (;;) {
        let n = 0;
        for (let c = text.charCodeAt(i); c >= DIGIT_0 && c <= DIGIT_9; c = text.charCodeAt(++i)) n = n * 10 + c - DIGIT_0;
        positions.push(n);
        const c = text.charCodeAt(i);
        if (c >= WEIGHT_A && c <= WEIGHT_D) i++;
        if (text.charCodeAt(i) !== COMMA) break;
        i++;
      }
    }
    out.push({ lexeme, positions });
  }
  return out;
}

const [SPACE, QUOTE, COLON, COMMA, DIGIT_0, DIGIT_9, WEIGHT_A, WEIGHT_D] = [..." ':,09AD"].map((c) => c.charCodeAt(0)) as [number, number, number, number, number, number, number, number];

/**
 * A lexeme's 32-bit hash: FNV-1a over its UTF-8 bytes, then MurmurHash3's finaliser, which spreads
 * FNV's weak high bits. Written out here and in SQL (PAIR_FILTER_TEST, migration 027) with nothing but
 * arithmetic, so both sides agree on any Node.js and PostgreSQL version (a built-in md5 per lexeme cost
 * about 2.8 µs, 0.6 ms an article).
 */
export function lexemeHash(lexeme: string): number {
  let h = FNV_OFFSET;
  const step = (byte: number) => {
    h = Math.imul(h ^ byte, FNV_PRIME);
  };
  // The UTF-8 bytes of each code point, without building a buffer per lexeme.
  for (let i = 0; i < lexeme.length; i++) {
    let c = lexeme.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < lexeme.length) {
      const low = lexeme.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) step(c);
    else if (c < 0x800) {
      step(0xc0 | (c >> 6));
      step(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      step(0xe0 | (c >> 12));
      step(0x80 | ((c >> 6) & 0x3f));
      step(0x80 | (c & 0x3f));
    } else {
      step(0xf0 | (c >> 18));
      step(0x80 | ((c >> 12) & 0x3f));
      step(0x80 | ((c >> 6) & 0x3f));
      step(0x80 | (c & 0x3f));
    }
  }
  return mix(h);
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
/** The multipliers of MurmurHash3's finaliser. */
export const MIX_1 = 0x85ebca6b;
export const MIX_2 = 0xc2b2ae35;

/** MurmurHash3's 32-bit finaliser. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), MIX_1) >>> 0;
  h = Math.imul(h ^ (h >>> 13), MIX_2) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The two 32-bit hashes of a lexeme a pair is hashed from: its hash, and that hash mixed again with a constant. */
function lexemeHashes(lexeme: string): [number, number] {
  const h = lexemeHash(lexeme);
  return [h, mix(h ^ SECOND_SEED)];
}

export const SECOND_SEED = 0x9e3779b9;

/**
 * The filter's length for a document of this many distinct pairs: BITS_PER_PAIR each, in steps of
 * FILTER_STEP_BYTES, at least one step and at most FILTER_MAX_BYTES.
 */
export function filterBytes(pairs: number): number {
  const steps = Math.ceil((pairs * BITS_PER_PAIR) / (FILTER_STEP_BYTES * 8));
  return Math.min(FILTER_MAX_BYTES, Math.max(1, steps) * FILTER_STEP_BYTES);
}

/**
 * The filter of a document (its tsvector's text form) as hexadecimal digits (for `('x' || …)::varbit`),
 * or null when the document does not say where every lexeme is (a lexeme without positions: a phrase
 * then matches on the lexemes alone, and no filter may say no).
 * A pair (a at p, b at p + 1) hashes to g1 = a1 xor b2 and g2 = (a2 xor b1) | 1, from the lexemes'
 * hashes (a1, a2) and (b1, b2); it sets bits (g1 + i·g2) mod m for i < PAIR_HASHES, m the filter's bits.
 * Bit n is the n-th of the bit string: byte n / 8, from the high bit down.
 */
export function phraseFilterHex(documentText: string): string | null {
  const lexemes = parseTsvector(documentText);
  const at = new Map<number, number[]>();
  const hashes: [number, number][] = [];
  for (const [index, l] of lexemes.entries()) {
    if (!l.positions.length) return null;
    hashes.push(lexemeHashes(l.lexeme));
    for (const p of l.positions) {
      const list = at.get(p);
      if (list) list.push(index);
      else at.set(p, [index]);
    }
  }
  // Distinct pairs, by the lexemes' indexes (a tsvector holds fewer than 2^21 lexemes).
  const pairs = new Set<number>();
  for (const [p, here] of at) {
    const next = at.get(p + 1);
    if (next) for (const a of here) for (const b of next) pairs.add(a * 2_097_152 + b);
  }
  const bytes = filterBytes(pairs.size);
  const bits = bytes * 8;
  const filter = new Uint8Array(bytes);
  for (const key of pairs) {
    const [a1, a2] = hashes[Math.floor(key / 2_097_152)]!;
    const [b1, b2] = hashes[key % 2_097_152]!;
    const g1 = (a1 ^ b2) >>> 0;
    const g2 = ((a2 ^ b1) | 1) >>> 0;
    for (let i = 0; i < PAIR_HASHES; i++) {
      const n = (g1 + i * g2) % bits;
      filter[n >>> 3]! |= 0x80 >>> (n & 7);
    }
  }
  return Buffer.from(filter).toString('hex');
}
