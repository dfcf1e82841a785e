// Search and related articles: the full-text index (each engine's own, see SchemaDialect), stored "Check Also" lists, and the translation link between articles that
// sitemaps and pages turn into hreflang alternates.
//
// The index starts empty: its text is normalised in application code (src/search/normalise.ts), so an
// existing database is filled by `gazette reindex`; new and changed articles are indexed as they are written.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  // Translations point at the article they translate; the original is the group's key.
  await db.schema.alterTable('articles').addColumn('translation_of', 'integer', (c) => c.references('articles.id').onDelete('set null')).execute();
  await db.schema.createIndex('articles_translation_of_idx').on('articles').column('translation_of').execute();
  // Sitemaps and the news sitemap read by modification and publication time.
  await db.schema.createIndex('articles_status_updated_idx').on('articles').columns(['status', 'updated_at']).execute();

  await db.schema
    .createTable('related_articles')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('related_article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_articles_pk', ['article_id', 'related_article_id'])
    .execute();
  await db.schema.createIndex('related_articles_related_idx').on('related_articles').column('related_article_id').execute();

  // One row per article whose list has been computed, so an empty list is told apart from one never made.
  await db.schema
    .createTable('related_lists')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();

  await dialect.createSearchSchema(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.dropSearchSchema(db);
  await db.schema.dropTable('related_lists').execute();
  await db.schema.dropTable('related_articles').execute();
  await db.schema.dropIndex('articles_status_updated_idx').execute();
  await db.schema.dropIndex('articles_translation_of_idx').execute();
  await db.schema.alterTable('articles').dropColumn('translation_of').execute();
}
