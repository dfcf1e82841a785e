// An article's search and social texts and its place on the home page (issue 14's WordPress import needs
// both: sticky posts and the SEO plugins' titles and descriptions; decision 0033). Owned by src/articles/.
// Empty SEO texts mean "use the headline and the subtitle or excerpt", so existing articles read as before.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, _dialect: SchemaDialect): Promise<void> {
  await db.schema.alterTable('articles').addColumn('seo_title', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('seo_description', 'text', (c) => c.notNull().defaultTo('')).execute();
  // 1: an editor pinned it; the home page lists pinned published articles first, newest first among them.
  await db.schema.alterTable('articles').addColumn('home_pinned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The home page's order (pinned, then by time) walked as one index range, like the (status, published_at) listings.
  await db.schema.createIndex('articles_home_order_idx').on('articles').columns(['status', 'home_pinned', 'published_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('articles_home_order_idx').execute();
  await db.schema.alterTable('articles').dropColumn('home_pinned').execute();
  await db.schema.alterTable('articles').dropColumn('seo_description').execute();
  await db.schema.alterTable('articles').dropColumn('seo_title').execute();
}
