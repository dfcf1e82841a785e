// PostgreSQL ranks search matches by a small document per article (migration 007). Kept beside the
// matching document, it was stored out of line like it (a tsvector of about 2.4 KB), and reading 2,000
// of them to rank a common word's newest matches cost 25–30 ms. In a table of its own it stays in the
// row, so ranking reads the window's rows directly, and the table the full-text index points into stays
// narrow. SQLite ranks from FTS5's own index and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.separateRankingDocument(db);
}

export async function down(): Promise<void> {}
