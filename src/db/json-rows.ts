// A subquery's rows read as one JSON array column of the outer row (decision 0070): an article page's
// tags, sources, authors and pins come with the article's own row instead of four statements of their
// own, each a round trip on PostgreSQL. The two engines spell the same SQL with other function names,
// which the store registers for its Kysely instance when it opens (openStore chooses the engine once).
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DialectAdapter } from 'kysely';

/** The engine's names for a JSON array aggregate and a JSON object built from key/value arguments. */
export interface JsonFunctions {
  /** An aggregate taking one JSON value and an ORDER BY (SQLite: json_group_array; PostgreSQL: json_agg). */
  readonly array: string;
  /** A function of alternating keys and values (SQLite: json_object; PostgreSQL: json_build_object). */
  readonly object: string;
}

/** A Kysely instance or transaction: all that is asked of it is its adapter. */
type WithAdapter = Pick<Kysely<never>, 'getExecutor'>;

// By the instance's adapter, which its transactions share: a query built on a transaction finds them too.
const registered = new WeakMap<DialectAdapter, JsonFunctions>();

/** Called by a store as it opens: what `jsonRows` writes for queries on `db` and its transactions. */
export function useJsonFunctions(db: WithAdapter, functions: JsonFunctions): void {
  registered.set(db.getExecutor().adapter, functions);
}

/** The JSON functions the store registered for `db`; `caller` names the builder in the error. */
function functionsOf(db: WithAdapter, caller: string): JsonFunctions {
  const functions = registered.get(db.getExecutor().adapter);
  if (!functions) throw new Error(`${caller}: the store did not register its JSON functions for this database`);
  return functions;
}

/**
 * The rows of `from` as a JSON array of objects holding `columns`, in the order of `orderBy` (columns
 * of `from`), '[]' when it has none. The value comes back parsed on PostgreSQL and as text on SQLite:
 * read it with `parseJsonRows`.
 */
export function jsonRows<T>(db: WithAdapter, from: Expression<unknown>, columns: readonly (keyof T & string)[], orderBy: readonly (keyof T & string)[]): RawBuilder<T[] | string> {
  const functions = functionsOf(db, 'jsonRows');
  const object = sql.join(columns.flatMap((c) => [sql.lit(c), sql.ref(`rows.${c}`)]));
  const order = sql.join(orderBy.map((c) => sql.ref(`rows.${c}`)));
  return sql<T[] | string>`(select coalesce(${sql.raw(functions.array)}(${sql.raw(functions.object)}(${object}) order by ${order}), '[]') from ${from} as rows)`;
}

/**
 * One JSON object of the given keys and values (SQL expressions of the outer query), built with the
 * engine's function; a value that is itself a `jsonRows` column arrives in it as JSON on PostgreSQL and
 * as text on SQLite (read it with `parseJsonRows`). Comes back parsed on PostgreSQL, as text on SQLite.
 */
export function jsonObject<T>(db: WithAdapter, values: Readonly<Record<string, Expression<unknown>>>): RawBuilder<T | string> {
  const functions = functionsOf(db, 'jsonObject');
  const pairs = sql.join(Object.entries(values).flatMap(([k, v]) => [sql.lit(k), v]));
  return sql<T | string>`${sql.raw(functions.object)}(${pairs})`;
}

/** A `jsonObject` value as read back (null stays null). */
export function parseJsonObject<T>(value: T | string | null): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** A `jsonRows` column as read back: PostgreSQL's driver parsed it already, SQLite's gives its text. */
export function parseJsonRows<T>(value: T[] | string): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}
