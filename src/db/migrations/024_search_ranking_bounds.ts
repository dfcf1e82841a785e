// PostgreSQL ranks a one-word search's newest matches with ts_rank over each match's ranking document,
// about 13 µs a match read by key: 2,000 of them for a common word. Two small columns beside the
// matching document bound a match's score without reading its ranking document, so that only the
// matches that can reach the page shown are ranked (decision 0041). SQLite ranks from FTS5's own index
// and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.addRankingBounds(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.removeRankingBounds(db);
}
