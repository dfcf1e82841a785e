// The duplicate rule (a comment repeating an approved comment of its article is refused) looks for the
// text among the article's approved comments. With only comments_article_thread_idx it read every one of
// them and compared their texts: the cost of each post grew with the article's comments (decision 0055).
// This index adds the text's first characters to the article and status, so the rule finds the few
// comments that begin alike and compares only theirs. A prefix, not the whole text: an index entry has a
// size limit (about 2.7 KB on PostgreSQL) that a comment may pass. SQLite and PostgreSQL both count
// substr() in characters, and use the index when a query names the same expression.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index comments_article_text_idx on comments (article_id, status, substr(body, 1, 64))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_article_text_idx').execute();
}
