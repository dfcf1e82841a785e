// Site structure (issue 11, part 7): old section addresses that keep answering with 301 after a rename,
// static pages (About, Contact, …) at /<slug>, authors' profiles (photo, links, languages), and the site
// settings an admin changes on screen (name, time zone, navigation…), one row per setting.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  // An old slug names the section by id, so renaming twice keeps both old slugs pointing at the section.
  await db.schema
    .createTable('section_redirects')
    .addColumn('old_slug', 'text', (c) => c.primaryKey())
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('section_redirects_section_idx').on('section_redirects').column('section_id').execute();

  await db.schema
    .createTable('pages')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(statusCheck()))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('people').addColumn('photo_url', 'text').execute();
  // JSON array of { label, url }.
  await db.schema.alterTable('people').addColumn('links', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // Comma-separated language tags the person writes in ("en,ar").
  await db.schema.alterTable('people').addColumn('languages', 'text', (c) => c.notNull().defaultTo('')).execute();

  // One row per setting that differs from the configured default; the value is JSON.
  await db.schema
    .createTable('site_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('site_settings').execute();
  await db.schema.alterTable('people').dropColumn('languages').execute();
  await db.schema.alterTable('people').dropColumn('links').execute();
  await db.schema.alterTable('people').dropColumn('photo_url').execute();
  await db.schema.dropTable('pages').execute();
  await db.schema.dropIndex('section_redirects_section_idx').execute();
  await db.schema.dropTable('section_redirects').execute();
}

function statusCheck() {
  return sql`status in ('draft', 'published')`;
}
