// Search ranking on PostgreSQL reads a small document per article (headline, tags, subtitle, the opening
// of the body) instead of the whole article's, which is stored out of line and cost a second per search
// at 100,000 articles. SQLite ranks from FTS5's own index and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.addRankingDocument(db);
}

export async function down(): Promise<void> {}
