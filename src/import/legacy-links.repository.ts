// The legacy_links table (migration 022, decision 0031): old WordPress addresses, normalised, and what
// each became. Also reads the import_map rows of uploads, which the link pass turns into addresses.
import type { Db } from '../db/store.ts';

export interface LegacyLinkRow {
  path: string;
  kind: string;
  targetId: number;
}

/** Inserts links for `site`; `replace` decides whether a path already recorded takes the new target. */
export async function saveLinks(db: Db, site: string, at: string, links: readonly LegacyLinkRow[], replace: boolean): Promise<void> {
  if (!links.length) return;
  const rows = links.map((l) => ({ path: l.path, kind: l.kind, target_id: l.targetId, site, imported_at: at }));
  await db
    .insertInto('legacy_links')
    .values(rows)
    .onConflict((oc) =>
      replace
        ? oc.column('path').doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), target_id: eb.ref('excluded.target_id'), site: eb.ref('excluded.site'), imported_at: eb.ref('excluded.imported_at') }))
        : oc.column('path').doNothing(),
    )
    .execute();
}

/** The links recorded at these paths, by path. */
export async function findLinks(db: Db, paths: readonly string[]): Promise<Map<string, LegacyLinkRow>> {
  if (!paths.length) return new Map();
  const rows = await db.selectFrom('legacy_links').select(['path', 'kind', 'target_id']).where('path', 'in', [...new Set(paths)]).execute();
  return new Map(rows.map((r) => [r.path, { path: r.path, kind: r.kind, targetId: Number(r.target_id) }]));
}

/** Upload mappings of one site (wp_id = path under the uploads folder), in wp_id order, after `after`. */
export async function uploadMappingsAfter(db: Db, site: string, after: string, limit: number): Promise<{ wpId: string; imageId: number }[]> {
  const rows = await db
    .selectFrom('import_map')
    .select(['wp_id', 'gazette_id'])
    .where('site', '=', site)
    .where('kind', '=', 'upload')
    .where('wp_id', '>', after)
    .orderBy('wp_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ wpId: r.wp_id, imageId: Number(r.gazette_id) }));
}
