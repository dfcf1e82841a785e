// Stored rendered pages (decision 0038): the second level of the page cache, read on a memory miss
// before rendering. One row per cache key with what a cached copy sends again, and an index from each
// change key to the pages that recorded it, so an announced key deletes exactly those rows. Owned by
// src/db/page-store.ts.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('stored_pages')
    // Rising with every write: the lowest ids are the oldest pages, evicted first.
    .addColumn('id', 'integer', (c) => dialect.idColumn(c))
    // The page cache's key: the path and the route's query parameters, normalised.
    .addColumn('url_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    // JSON of the headers every copy sends again (cache-control, last-modified, surrogate-key).
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    // gzip (bodies of 1 KB and more) or identity (smaller ones, which are sent uncompressed).
    .addColumn('encoding', 'text', (c) => c.notNull().check(sql`encoding in ('gzip', 'identity')`))
    .addColumn('body', dialect.bytesType, (c) => c.notNull())
    // JSON array of the change keys the page was built from.
    .addColumn('change_keys', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('stored_page_keys')
    .addColumn('change_key', 'text', (c) => c.notNull())
    .addColumn('page_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stored_page_keys_pk', ['change_key', 'page_id'])
    .execute();
  await db.schema.createIndex('stored_page_keys_page').on('stored_page_keys').column('page_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stored_page_keys').execute();
  await db.schema.dropTable('stored_pages').execute();
}
