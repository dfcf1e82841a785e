// The import_map table (migration 020): which Gazette row each imported WordPress object became.
import { sql } from 'kysely';
import type { Db } from '../db/store.ts';

/**
 * What a row maps. Media (decision 0030): 'attachment' is a WordPress attachment id → library image id;
 * 'upload' is a file's path under wp-content/uploads without any -WxH size suffix (2020/01/photo.jpg) →
 * library image id (the /wp-content/uploads/… redirects read these two); 'missing-media' is the original
 * address of a file the import could not take (wp_id) → the WordPress attachment id, 0 when only content
 * named it.
 */
export type MappedKind = 'author' | 'category' | 'tag' | 'post' | 'page' | 'comment' | 'attachment' | 'upload' | 'missing-media';

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

/** Forgets one mapping (a missing file that a later run found). */
export async function forgetMapping(db: Db, site: string, kind: MappedKind, wpId: string): Promise<void> {
  await db.deleteFrom('import_map').where('site', '=', site).where('kind', '=', kind).where('wp_id', '=', wpId).execute();
}

/**
 * Runs `work` inside a savepoint of the import's transaction: when it throws, what it wrote is undone and
 * the error passes on, so one refused object leaves nothing half-written while the import goes on.
 * SAVEPOINT is the same statement on both engines.
 */
export async function withSavepoint<T>(trx: Db, work: () => Promise<T>): Promise<T> {
  await sql`savepoint wp_item`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint wp_item`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint wp_item`.execute(trx);
    await sql`release savepoint wp_item`.execute(trx);
    throw error;
  }
}

/** Of `wpIds`, those already recorded for this site and kind, with their Gazette ids. */
export async function mappedIdsAmong(db: Db, site: string, kind: MappedKind, wpIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  // In slices: SQLite caps the number of bound values in one statement.
  for (let i = 0; i < wpIds.length; i += 500) {
    const slice = wpIds.slice(i, i + 500);
    const rows = await db.selectFrom('import_map').select(['wp_id', 'gazette_id']).where('site', '=', site).where('kind', '=', kind).where('wp_id', 'in', slice).execute();
    for (const r of rows) found.set(r.wp_id, r.gazette_id);
  }
  return found;
}

/** Records (or moves) many mappings at once; a WordPress id given twice keeps its last Gazette id. */
export async function recordMappings(db: Db, site: string, rows: readonly { kind: MappedKind; wpId: string; gazetteId: number }[], at: string): Promise<void> {
  // One row per key: an upsert may not touch the same row twice in one statement.
  const latest = new Map(rows.map((r) => [`${r.kind}\u0000${r.wpId}`, r]));
  const values = [...latest.values()].map((r) => ({ site, kind: r.kind, wp_id: r.wpId, gazette_id: r.gazetteId, imported_at: at }));
  for (let i = 0; i < values.length; i += 200) {
    await db
      .insertInto('import_map')
      .values(values.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['site', 'kind', 'wp_id']).doUpdateSet((eb) => ({ gazette_id: eb.ref('excluded.gazette_id'), imported_at: eb.ref('excluded.imported_at') })))
      .execute();
  }
}
