// PostgreSQL tests a phrase's candidates against their pair filters by reading the pairs' bits one by
// one (get_bit, written into the query for its pairs) instead of ANDing each filter with a mask of its
// length (decision 0069). Only gazette_search_window's body changes: the filters, their hash and the
// function's arguments and results stay as migration 027 left them. Functions are generated from the
// current code, so a database migrated from before 027 already gets this body there; this migration
// gives it to the databases migrated before it. Going down keeps the body: on the same schema it
// answers as the old one did for every filter Gazette writes. SQLite answers phrases from FTS5's own
// positions and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.rewriteSearchWindow(db);
}

export async function down(): Promise<void> {}
