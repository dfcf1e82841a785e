// Write transactions on PostgreSQL: writers take turns, as on SQLite (decision 0013). A read-committed
// transaction never fails at once for another writer, but it lets two writers both pass a read-then-write
// check; taking one advisory lock first makes every write transaction see no other writer in between.
import { CompiledQuery } from 'kysely';
import type { Db } from '../../store.ts';

/**
 * Every write transaction first takes this transaction-level advisory lock (the number is Gazette's own:
 * "gazette" and 1 in ASCII). It waits at most 5 s, like SQLite's busy_timeout, then fails with lock_not_available (answered 503); the
 * statements after it get the server's usual lock_timeout back. One round trip: a query without
 * parameters goes through the simple protocol, which runs several statements; the pool's connections
 * send the transaction's `begin` in the same message (store.ts, decision 0052).
 */
const TAKE_WRITE_TURN = CompiledQuery.raw(
  "set local lock_timeout = '5s'; select pg_advisory_xact_lock(7449369834811581697); set local lock_timeout to default",
);

/** Waits for the write turn inside transaction trx; it is released when trx ends. */
export async function takeWriteTurn(trx: Db): Promise<void> {
  await trx.executeQuery(TAKE_WRITE_TURN);
}

/** lock_not_available (55P03): the write turn was not free within its wait. */
export function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '55P03';
}
