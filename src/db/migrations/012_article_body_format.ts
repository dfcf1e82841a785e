// An article's body is Markdown (every article before the admin's body editor) or cleaned HTML written by
// that editor (decision 0021). The column says which, so the derived HTML, text and word count are
// worked out the right way when the body is written again; existing bodies are Markdown.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('body_format', 'text', (c) => c.notNull().defaultTo('markdown').check(sql`body_format in ('markdown', 'html')`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('body_format').execute();
}
