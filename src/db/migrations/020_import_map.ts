// WordPress import (issue 14, decision 0028): which Gazette row each imported WordPress object became,
// keyed by the exporting site's address, the kind of object and its WordPress id, so that importing the
// same export again updates those rows instead of adding new ones. Owned by src/import/.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, _dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('import_map')
    // The export's <wp:base_site_url> (the site it came from).
    .addColumn('site', 'text', (c) => c.notNull())
    // author, category, tag, post, page, comment.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('wp_id', 'text', (c) => c.notNull())
    .addColumn('gazette_id', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_map_pk', ['site', 'kind', 'wp_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_map').execute();
}
