// The few schema details that differ between SQLite and PostgreSQL, decided from the Kysely adapter
// so that migrations stay one file for every dialect.
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/** True when the Kysely instance talks to PostgreSQL. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-numbered integer primary key: an identity column on PostgreSQL, the rowid alias on SQLite. */
export function idColumn(db: Kysely<unknown>) {
  const pg = isPostgres(db);
  return (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());
}
