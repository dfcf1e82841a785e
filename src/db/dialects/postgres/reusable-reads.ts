// Reusable queries (src/db/reusable-query.ts) on PostgreSQL: each runs as a named statement, so the
// server parses it once per connection and keeps its plan, and the reads of an uncached page take a
// pooled connection themselves rather than through Kysely's executor (decision 0061).
import type * as Pg from 'pg';
import { readReusableQueriesDirectly, reusableStatements } from '../../reusable-query.ts';
import type { Db } from '../../store.ts';

/** The statement name of each reusable query's SQL text, numbered in the order first run. */
const statementNames = new Map<string, string>();

/**
 * The name a reusable query's SQL is prepared under on every connection of every pool of this
 * process, or undefined for any other SQL (which is sent unnamed, parsed and planned each time). One
 * name per text, so a connection never sees one name for two texts.
 */
export function reusableStatementName(text: string): string | undefined {
  if (!reusableStatements.has(text)) return undefined;
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `gazette_${statementNames.size + 1}`));
  return name;
}

/**
 * Lets the reusable queries of `db` (the store's own Kysely instance, not its transactions) take a
 * connection from `pool` and run their named statement on it. The pool lends a connection to one
 * holder at a time and a transaction keeps its own until it ends, so such a read never runs inside
 * another request's transaction: it sees what was committed when it ran, as a query through Kysely does.
 * Kysely's executor, its driver's connection wrapper and their promise hops are skipped; the rows are
 * node-postgres's, the same Kysely returns.
 */
export function readReusableQueriesOnPool(db: Db, pool: Pg.Pool): void {
  readReusableQueriesDirectly(db, (text, parameters) => readNamed(pool, text, parameters));
}

async function readNamed(pool: Pg.Pool, text: string, values: readonly unknown[]): Promise<unknown[]> {
  const client = await pool.connect();
  try {
    return (await client.query({ name: reusableStatementName(text), text, values: values as unknown[] })).rows;
  } finally {
    // As Kysely's driver does: the pool itself drops a connection whose socket ended.
    client.release();
  }
}
