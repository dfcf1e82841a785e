// Read queries compiled once and run many times. Kysely builds an operation tree and compiles it to SQL
// on every call; for the small queries an uncached page makes, that cost more than the database took
// to answer them. A reusable query is built once per Kysely instance with placeholder values, and each
// call binds the real values to the SQL it compiled to.
import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './store.ts';

/** A value bound into a reusable query: one scalar (a list would change the SQL with its length). */
export type Bound = string | number;

const PLACEHOLDER = '\u0000gazette-bound:';

/**
 * The SQL text of every reusable query compiled so far. A store may prepare these once per connection
 * and run them by name afterwards (PostgreSQL: the server then parses and plans each of them once per
 * connection rather than on every call); nothing else is prepared, so the set stays as small as the
 * code's list of reusable queries.
 */
export const reusableStatements = new Set<string>();

/**
 * Runs a reusable query's SQL outside the Kysely instance's executor and returns its rows (SQLite: at
 * once; PostgreSQL: once a pooled connection answers); or undefined when it cannot now (SQLite: the
 * connection is held by a transaction or another query), and the query then goes through Kysely as any
 * other.
 */
export type DirectReader = (sql: string, parameters: readonly unknown[]) => unknown[] | Promise<unknown[]> | undefined;

const directReaders = new WeakMap<Db, DirectReader>();

/**
 * Lets reusable queries on this Kysely instance (not its transactions, nor instances made from it with
 * withPlugin) be read through `reader`, sparing them Kysely's executor and connection handling, a dozen
 * promise hops per query: SQLite's reads are synchronous calls in the process (decision 0044);
 * PostgreSQL's take a pooled connection and run a named statement (decision 0061).
 */
export function readReusableQueriesDirectly(db: Db, reader: DirectReader): void {
  directReaders.set(db, reader);
}

interface Compiled {
  sql: string;
  /** Each parameter of the compiled query: the index of a bound value, or a constant of the builder. */
  parameters: ({ bound: number } | { constant: unknown })[];
}

/**
 * Wraps a query builder whose only varying parts are the values `build` receives (each used as a
 * value, never as SQL text, a table or a column): the query is built and compiled the first time it
 * runs on a Kysely instance, and later calls run the same SQL with their own values. Rows come back as
 * the builder's query would return them.
 */
export function reusableQuery<P extends Bound[], R>(build: (db: Db, ...values: P) => Compilable<R>): (db: Db, ...values: P) => Promise<R[]> {
  const compiled = new WeakMap<Db, Compiled>();
  return async (db, ...values) => {
    let c = compiled.get(db);
    if (!c) compiled.set(db, (c = compileWithPlaceholders(values.length, (placeholders) => build(db, ...(placeholders as P)))));
    return run<R>(db, c, values);
  };
}

/** Lists longer than this are built and compiled on each call (each length is a different SQL text). */
const MAX_REUSED_LENGTH = 16;

/**
 * A reusable query over a list of ids (`where id in (…)`): compiled once per Kysely instance and list
 * length, up to MAX_REUSED_LENGTH ids; a longer list is built and compiled for its call. An empty list
 * is the caller's to avoid (`in ()` is not SQL).
 */
export function reusableListQuery<R>(build: (db: Db, ids: readonly number[]) => Compilable<R>): (db: Db, ids: readonly number[]) => Promise<R[]> {
  const compiled = new WeakMap<Db, Map<number, Compiled>>();
  return async (db, ids) => {
    if (ids.length > MAX_REUSED_LENGTH) return (await db.executeQuery<R>(build(db, ids).compile())).rows;
    let byLength = compiled.get(db);
    if (!byLength) compiled.set(db, (byLength = new Map()));
    let c = byLength.get(ids.length);
    if (!c) byLength.set(ids.length, (c = compileWithPlaceholders(ids.length, (placeholders) => build(db, placeholders as unknown as number[]))));
    return run<R>(db, c, ids);
  };
}

/** Builds the query with one placeholder per value and checks that each became a bound parameter. */
function compileWithPlaceholders(arity: number, build: (placeholders: string[]) => Compilable<unknown>): Compiled {
  const placeholders = Array.from({ length: arity }, (_, i) => `${PLACEHOLDER}${i}`);
  const query = build(placeholders).compile();
  if (query.sql.includes(PLACEHOLDER)) throw new Error('reusableQuery: a value was written into the SQL text; it must be a bound value');
  const parameters = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(PLACEHOLDER) ? { bound: Number(p.slice(PLACEHOLDER.length)) } : { constant: p }));
  const used = new Set(parameters.flatMap((p) => ('bound' in p ? [p.bound] : [])));
  if (used.size !== arity) throw new Error(`reusableQuery: ${arity - used.size} value(s) did not reach the query as bound values`);
  reusableStatements.add(query.sql);
  return { sql: query.sql, parameters };
}

async function run<R>(db: Db, c: Compiled, values: readonly unknown[]): Promise<R[]> {
  const parameters = c.parameters.map((p) => ('bound' in p ? values[p.bound] : p.constant));
  const rows = directReaders.get(db)?.(c.sql, parameters);
  if (rows) return rows as R[] | Promise<R[]>;
  return (await db.executeQuery<R>(CompiledQuery.raw(c.sql, parameters))).rows;
}
