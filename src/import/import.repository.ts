// The import_map table (migration 020): which Gazette row each imported WordPress object became.
import type { Db } from '../db/store.ts';

export type MappedKind = 'author' | 'category' | 'tag' | 'post' | 'page' | 'comment';

/** The Gazette ids already recorded for this site and kind, by WordPress id. */
export async function mappedIds(db: Db, site: string, kind: MappedKind): Promise<Map<string, number>> {
  const rows = await db.selectFrom('import_map').select(['wp_id', 'gazette_id']).where('site', '=', site).where('kind', '=', kind).execute();
  return new Map(rows.map((r) => [r.wp_id, r.gazette_id]));
}

/** Records (or moves) what a WordPress object became. */
export async function recordMapping(db: Db, site: string, kind: MappedKind, wpId: string, gazetteId: number, at: string): Promise<void> {
  await db
    .insertInto('import_map')
    .values({ site, kind, wp_id: wpId, gazette_id: gazetteId, imported_at: at })
    .onConflict((oc) => oc.columns(['site', 'kind', 'wp_id']).doUpdateSet({ gazette_id: gazetteId, imported_at: at }))
    .execute();
}
