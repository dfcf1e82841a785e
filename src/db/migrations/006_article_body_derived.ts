// An article's rendered HTML, plain text and word count are stored beside its Markdown body, worked out
// when the article is written (src/articles/article.body.ts). Before, every uncached page render parsed
// the body twice and counted its words (about 6.5 ms for the seed article, a third of it counting).
// Existing articles are filled in here, a batch at a time.
import type { Kysely } from 'kysely';
import { deriveBody } from '../../articles/article.body.ts';

const BATCH = 500;

interface BodyRow {
  id: number;
  body: string;
  language: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('body_html', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('body_text', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  const articles = db as unknown as Kysely<{ articles: BodyRow & { body_html: string; body_text: string; word_count: number } }>;
  let after = 0;
  for (;;) {
    const rows = await articles.selectFrom('articles').select(['id', 'body', 'language']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) break;
    for (const r of rows) {
      const d = deriveBody(r.body, r.language);
      await articles.updateTable('articles').set({ body_html: d.html, body_text: d.text, word_count: d.words }).where('id', '=', r.id).execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['word_count', 'body_text', 'body_html']) await db.schema.alterTable('articles').dropColumn(column).execute();
}
