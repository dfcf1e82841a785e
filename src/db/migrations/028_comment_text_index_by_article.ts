// The duplicate rule's index, again (decision 0057). Migration 026's index put the status between the
// article and the text's beginning: (article_id, status, substr(body, 1, 64)). Where a table has no
// planner statistics (a server whose autovacuum is off, or has not yet run), PostgreSQL estimates one
// row for any two equalities, so the article's other indexes on (article_id, status, …) cost the same
// as this one, and the planner took the thread index and read every approved comment of the article
// (the bench's part 4: 1.6 ms of the database's CPU per accepted comment at 3,700 of them). This index
// holds the article and the text's beginning only; the rule no longer names the status in its
// conditions (it judges each row with the same text in its answer), so only this index has two
// equalities of the statement and the plan does not rest on a tie.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_article_text_idx').execute();
  await sql`create index comments_article_prefix_idx on comments (article_id, substr(body, 1, 64))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_article_prefix_idx').execute();
  await sql`create index comments_article_text_idx on comments (article_id, status, substr(body, 1, 64))`.execute(db);
}
