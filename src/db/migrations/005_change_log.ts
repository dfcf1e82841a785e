// What an engine needs so that a change made by one process reaches the page caches of the others:
// a change log on SQLite (read when the file's data_version moves); nothing on PostgreSQL, which tells
// other connections through NOTIFY.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.createChangeLog(db);
}

export async function down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await dialect.dropChangeLog(db);
}
