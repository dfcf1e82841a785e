// Old WordPress addresses (issue 14 part 3, decision 0031): each path the imported site answered at,
// normalised (percent-decoded, ASCII lower case, no trailing slash; query links as `path?p=ID`), names the
// kind of Gazette object it became and its id, so the public site answers it 301 to that object's
// address as it is now. Owned by src/import/.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, _dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('legacy_links')
    .addColumn('path', 'text', (c) => c.primaryKey())
    // article, article-comments, page, section, section-feed, tag, tag-feed, person, person-feed, site-rss, site-atom, upload.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    // The import_map site key of the export that recorded it.
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('legacy_links').execute();
}
