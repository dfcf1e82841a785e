// What feeds need beyond article cards: the Markdown body and the creation time (part of each entry's
// permanent id).
import type { Db } from '../db/store.ts';

export interface FeedExtraRow {
  id: number;
  body: string;
  created_at: string;
}

export function feedExtras(db: Db, ids: readonly number[]): Promise<FeedExtraRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('articles').select(['id', 'body', 'created_at']).where('id', 'in', ids).execute();
}
