// SQLite's side of the schema: rowid primary keys, the FTS5 search tables, the change log.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../../store.ts';

export const sqliteSchema: SchemaDialect = {
  idColumn: (c) => c.primaryKey(),

  async createSearchSchema(db: Kysely<unknown>) {
    // porter: English stemming over unicode61 word splitting; remove_diacritics folds Latin accents.
    // Arabic and Persian folding happens before text reaches the index, identically for queries.
    await sql`create virtual table article_search using fts5(headline, subtitle, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
    await sql`create virtual table article_search_terms using fts5vocab(article_search, 'row')`.execute(db);
    // What search filters read, one small row per indexed article: reading these columns from
    // articles would load each matching article's whole body (they sit after it in the row).
    await db.schema
      .createTable('article_search_facets')
      .addColumn('article_id', 'integer', (c) => c.primaryKey())
      .addColumn('section_id', 'integer', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .execute();
  },

  async dropSearchSchema(db: Kysely<unknown>) {
    await sql`drop table if exists article_search_facets`.execute(db);
    await sql`drop table if exists article_search_terms`.execute(db);
    await sql`drop table if exists article_search`.execute(db);
  },

  async beginMigration() {},

  // FTS5 ranks from its own doclists: nothing to add.
  async addRankingDocument() {},
  async separateRankingDocument() {},

  // A rowid key always continues from the highest id in the table.
  async moveIdentityPast() {},

  async createChangeLog(db: Kysely<unknown>) {
    // Other processes (the CLI, a second server on the same file) learn what changed from here.
    await db.schema
      .createTable('change_log')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('keys', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },

  async dropChangeLog(db: Kysely<unknown>) {
    await db.schema.dropTable('change_log').ifExists().execute();
  },
};
