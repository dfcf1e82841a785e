// PostgreSQL ranks a search's matches in one call of gazette_search_ranked instead of three round trips
// (the window of matches, then their scores, a batch at a time), and sends back only the page's ids
// with the match count instead of every match of the window (decision 0065). SQLite ranks in FTS5 and
// adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.addRankedSearch(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.removeRankedSearch(db);
}
