// PostgreSQL checks a phrase ("central bank") against the whole document of every article holding all
// of its words, each stored out of line: at 100,000 articles some 14,000 documents read for 440 matches.
// A small Bloom filter of each article's adjacent word pairs, kept beside its document, lets the search
// read only the documents that may hold the phrase (decision 0059). SQLite answers phrases from FTS5's
// own positions and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.addPhraseFilter(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.removePhraseFilter(db);
}
