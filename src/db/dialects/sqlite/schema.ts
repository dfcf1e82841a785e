// SQLite's side of the schema: rowid primary keys, the FTS5 search tables, the change log.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../../store.ts';

export const sqliteSchema: SchemaDialect = {
  idColumn: (c) => c.primaryKey(),
  bytesType: 'blob',

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

  async replaceColumnCheck(db: Kysely<unknown>, { table, from, to }) {
    // SQLite cannot alter a constraint: the table is rebuilt under its name with the new check, the
    // documented way (sqlite.org/lang_altertable.html, "other kinds of table schema changes"). Foreign
    // keys are off meanwhile, so dropping the old table deletes no child row; migrations on SQLite run
    // outside a transaction, so this one takes its own.
    const rows = await sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_master where tbl_name = ${table}`.execute(db);
    const definition = rows.rows.find((r) => r.type === 'table')?.sql ?? '';
    const oldCheck = `check (${from})`;
    const head = `CREATE TABLE "${table}"`;
    if (!definition.startsWith(head) || !definition.includes(oldCheck)) throw new Error(`${table}: no ${oldCheck} to replace`);
    const rebuilt = `CREATE TABLE "${table}_rebuilt"` + definition.slice(head.length).replace(oldCheck, `check (${to})`);
    const indexes = rows.rows.filter((r) => r.type === 'index' && r.sql !== null).map((r) => r.sql!);
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin immediate`.execute(db);
      try {
        await sql.raw(rebuilt).execute(db);
        await sql`insert into ${sql.table(`${table}_rebuilt`)} select * from ${sql.table(table)}`.execute(db);
        await sql`drop table ${sql.table(table)}`.execute(db);
        await sql`alter table ${sql.table(`${table}_rebuilt`)} rename to ${sql.table(table)}`.execute(db);
        for (const index of indexes) await sql.raw(index).execute(db);
        const broken = await sql`pragma foreign_key_check`.execute(db);
        if (broken.rows.length) throw new Error(`${table}: rebuilding it broke ${broken.rows.length} foreign keys`);
        await sql`commit`.execute(db);
      } catch (error) {
        await sql`rollback`.execute(db);
        throw error;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  },

  // FTS5 ranks from its own doclists: nothing to add.
  async addRankingDocument() {},
  async separateRankingDocument() {},
  async addRankingBounds() {},
  async removeRankingBounds() {},
  async addSearchFunctions() {},
  async removeSearchFunctions() {},
  async addPhraseFilter() {},
  async removePhraseFilter() {},
  async addRankedSearch() {},
  async removeRankedSearch() {},
  async rewriteSearchWindow() {},

  async addCommentCountTriggers(db: Kysely<unknown>) {
    // A comment counts while it is approved and has its thread (root_id, set in the inserting
    // transaction). The update triggers act only when one of those changed, so an edit of the text or a
    // status set again to what it was costs nothing. The two update triggers never touch the same thread:
    // when both fire, the status stayed approved and the thread or the article changed.
    const counted = (row: 'new' | 'old') => `${row}.status = 'approved' and ${row}.root_id is not null`;
    const changed = `(old.status is not new.status or old.root_id is not new.root_id or old.article_id is not new.article_id)`;
    const add = `
      insert into comment_live_threads (article_id, root_id, approved) values (new.article_id, new.root_id, 1)
        on conflict (article_id, root_id) do update set approved = approved + 1;
      insert into comment_counts (article_id, comments, threads)
        values (new.article_id, 1, (select approved = 1 from comment_live_threads where article_id = new.article_id and root_id = new.root_id))
        on conflict (article_id) do update set comments = comments + 1, threads = threads + excluded.threads;`;
    const remove = `
      update comment_live_threads set approved = approved - 1 where article_id = old.article_id and root_id = old.root_id;
      update comment_counts set comments = comments - 1,
          threads = threads - (select count(*) from comment_live_threads where article_id = old.article_id and root_id = old.root_id and approved = 0)
        where article_id = old.article_id;
      delete from comment_live_threads where article_id = old.article_id and root_id = old.root_id and approved = 0;`;
    await sql.raw(`create trigger comment_counts_insert after insert on comments when ${counted('new')} begin ${add} end`).execute(db);
    await sql.raw(`create trigger comment_counts_delete after delete on comments when ${counted('old')} begin ${remove} end`).execute(db);
    await sql.raw(`create trigger comment_counts_update_old after update of status, root_id, article_id on comments when ${counted('old')} and ${changed} begin ${remove} end`).execute(db);
    await sql.raw(`create trigger comment_counts_update_new after update of status, root_id, article_id on comments when ${counted('new')} and ${changed} begin ${add} end`).execute(db);
  },

  async removeCommentCountTriggers(db: Kysely<unknown>) {
    for (const name of ['comment_counts_insert', 'comment_counts_delete', 'comment_counts_update_old', 'comment_counts_update_new']) await sql.raw(`drop trigger if exists ${name}`).execute(db);
  },

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
