// An article's approved comments and threads, kept instead of counted (decision 0062). The page a new
// comment lands on needs how many approved threads its article has and how many come after its own;
// counting them read every approved comment of the article (without a visibility map, every heap row
// too), about 2 ms of PostgreSQL's CPU per accepted comment at 3,900 of them, growing by 20 a second in
// the bench's part 4. comment_counts holds the totals per article; comment_live_threads one row per
// thread that has an approved comment, keyed (article_id, root_id), so the threads after a comment's
// own are a short range of its key. Triggers keep both in the transaction of every write of comments,
// whoever writes (a reader, moderation, an import, `gazette copy`, a cascade from a deleted article).
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('comment_counts')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('comments', 'integer', (c) => c.notNull())
    .addColumn('threads', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('comment_live_threads')
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('root_id', 'integer', (c) => c.notNull())
    .addColumn('approved', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_live_threads_pkey', ['article_id', 'root_id'])
    .execute();
  await sql`
    insert into comment_live_threads (article_id, root_id, approved)
    select article_id, root_id, count(*) from comments where status = 'approved' and root_id is not null group by article_id, root_id`.execute(db);
  await sql`
    insert into comment_counts (article_id, comments, threads)
    select article_id, sum(approved), count(*) from comment_live_threads group by article_id`.execute(db);
  await dialect.addCommentCountTriggers(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.removeCommentCountTriggers(db);
  await db.schema.dropTable('comment_live_threads').execute();
  await db.schema.dropTable('comment_counts').execute();
}
