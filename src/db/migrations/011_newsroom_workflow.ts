// The newsroom's workflow (issue 11, decision 0020): articles move through draft, review, ready,
// scheduled, published and unpublished; each has an owner (the account that created it), a version
// bumped by every save (a save based on an older one is refused), a publication time when scheduled,
// and an edit lock. Every save keeps a revision (a JSON snapshot of every field), editors keep private
// notes, and the addresses a published article had before its slug or section changed answer 301.
// Existing rows keep their status (draft or published) and start at version 1.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

const OLD_STATUSES = `status in ('draft', 'published')`;
const NEW_STATUSES = `status in ('draft', 'review', 'ready', 'scheduled', 'published', 'unpublished')`;

/** A staff account (migration 010); history outlives an account removed from the database. */
const userRef = (c: ColumnDefinitionBuilder) => c.references('users.id').onDelete('set null');

interface StatusColumn {
  articles: { status: string };
}

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema.alterTable('articles').addColumn('owner_user_id', 'integer', userRef).execute();
  await db.schema.alterTable('articles').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('articles').addColumn('scheduled_at', 'text').execute();
  await db.schema.alterTable('articles').addColumn('locked_by', 'integer', userRef).execute();
  await db.schema.alterTable('articles').addColumn('locked_at', 'text').execute();
  await dialect.replaceColumnCheck(db, { table: 'articles', column: 'status', from: OLD_STATUSES, to: NEW_STATUSES });
  // What the scheduler asks once a minute: the scheduled articles that are due.
  await db.schema.createIndex('articles_status_scheduled_idx').on('articles').columns(['status', 'scheduled_at']).execute();

  // The position (within the same article) of the source this one relays, e.g. an agency relaying a newspaper.
  await db.schema.alterTable('sources').addColumn('relays', 'integer').execute();

  await db.schema
    .createTable('article_revisions')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('saved_by', 'integer', userRef)
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('autosave', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_revisions_article_idx').on('article_revisions').columns(['article_id', 'id']).execute();

  await db.schema
    .createTable('article_notes')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_user_id', 'integer', userRef)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_notes_article_idx').on('article_notes').columns(['article_id', 'id']).execute();

  await db.schema
    .createTable('article_old_addresses')
    .addColumn('section_slug', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_old_addresses_pk', ['section_slug', 'slug'])
    .execute();
  await db.schema.createIndex('article_old_addresses_article_idx').on('article_old_addresses').column('article_id').execute();
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema.dropTable('article_old_addresses').execute();
  await db.schema.dropTable('article_notes').execute();
  await db.schema.dropTable('article_revisions').execute();
  await db.schema.alterTable('sources').dropColumn('relays').execute();
  await db.schema.dropIndex('articles_status_scheduled_idx').execute();
  // What is not published goes back to being a draft.
  const k = db as unknown as Kysely<StatusColumn>;
  await k.updateTable('articles').set({ status: 'draft' }).where('status', 'not in', ['draft', 'published']).execute();
  await dialect.replaceColumnCheck(db, { table: 'articles', column: 'status', from: NEW_STATUSES, to: OLD_STATUSES });
  for (const column of ['locked_at', 'locked_by', 'scheduled_at', 'version', 'owner_user_id']) await db.schema.alterTable('articles').dropColumn(column).execute();
}
