// Comment pages (decision 0016) hold whole threads: each comment records the top-level comment of its
// thread (`root_id`, its own id for a top-level comment), so a page's threads are found with one indexed
// query instead of walking parent links. Existing comments are filled in from the top down, one reply
// level per statement.
import type { Kysely } from 'kysely';

interface ThreadColumns {
  comments: { id: number; parent_id: number | null; root_id: number | null; article_id: number; status: string };
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('root_id', 'integer').execute();
  const k = db as unknown as Kysely<ThreadColumns>;
  await k.updateTable('comments').set((eb) => ({ root_id: eb.ref('id') })).where('parent_id', 'is', null).execute();
  // Each pass reaches one level deeper; replies nest at most COMMENTS_MAX_DEPTH (<= 20) levels.
  for (;;) {
    const result = await k
      .updateTable('comments')
      .set((eb) => ({ root_id: eb.selectFrom('comments as p').select('p.root_id').whereRef('p.id', '=', 'comments.parent_id') }))
      .where('root_id', 'is', null)
      .where('parent_id', 'in', (eb) => eb.selectFrom('comments as p').select('p.id').where('p.root_id', 'is not', null))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) break;
  }
  // An article's approved threads in order, and the comments of a page's threads.
  await db.schema.createIndex('comments_article_thread_idx').on('comments').columns(['article_id', 'status', 'root_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_article_thread_idx').execute();
  await db.schema.alterTable('comments').dropColumn('root_id').execute();
}
