// Cursors of the Content API: where a walk through the articles stopped, as the (time, id) pair of the
// last article sent and the order walked in, in an opaque base64url token. Nothing in it is secret, and
// a cursor that does not decode, or belongs to another order, is a 400 naming `cursor`.
import { AppError } from '../../errors.ts';
import type { WalkColumn } from '../../articles/article.repository.ts';

export const SORTS = ['-publishedAt', 'publishedAt', '-updatedAt', 'updatedAt'] as const;
export type Sort = (typeof SORTS)[number];

const COLUMNS: Record<string, WalkColumn> = { publishedAt: 'published_at', updatedAt: 'updated_at' };

/** The column and direction a sort walks. */
export function sortOrder(sort: Sort): { column: WalkColumn; descending: boolean } {
  const descending = sort.startsWith('-');
  return { column: COLUMNS[descending ? sort.slice(1) : sort]!, descending };
}

export function encodeCursor(sort: Sort, at: { value: string; id: number }): string {
  return Buffer.from(JSON.stringify([sort, at.value, at.id]), 'utf8').toString('base64url');
}

const refused = (message: string) => new AppError('bad_request', 'Some query parameters are not accepted.', { cursor: message });

/** The position a cursor names, for a walk in `sort` order; throws a 400 naming `cursor`. */
export function decodeCursor(cursor: string, sort: Sort): { value: string; id: number } {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused('This is not a cursor this API gave out. Use a page\'s nextCursor as it came.');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[1] !== 'string' || !Number.isSafeInteger(parsed[2]) || !(SORTS as readonly unknown[]).includes(parsed[0])) {
    throw refused('This is not a cursor this API gave out. Use a page\'s nextCursor as it came.');
  }
  if (parsed[0] !== sort) throw refused(`This cursor continues a walk sorted by ${String(parsed[0])}; ask with sort=${String(parsed[0])}, or start again without a cursor.`);
  if (Number.isNaN(Date.parse(parsed[1]))) throw refused('This cursor names no time. Use a page\'s nextCursor as it came.');
  return { value: parsed[1], id: parsed[2] as number };
}
