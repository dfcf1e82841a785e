// Site settings changed on screen: one row per setting, the value as JSON.
import type { Db } from '../db/store.ts';

export async function readSettingRows(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('site_settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSettingRow(db: Db, key: string, value: string, at: string): Promise<void> {
  await db
    .insertInto('site_settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}
