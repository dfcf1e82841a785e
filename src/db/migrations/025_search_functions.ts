// PostgreSQL's search ran its statements in a transaction of their own, opened only to set the planner
// settings it needs (BEGIN, a statement of settings, the id range, the window, the scores, COMMIT): six
// round trips or more per search. Two functions whose SET clauses carry those settings find the window
// and score its matches in one call each (decision 0054). SQLite searches in process and adds nothing.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.addSearchFunctions(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.removeSearchFunctions(db);
}
