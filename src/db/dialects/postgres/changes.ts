// Changes on PostgreSQL: writes through this process reach listeners at once; every process (the
// CLI, other app nodes) also sends them with NOTIFY, and each listens on one connection of its own.
// A lost listening connection is opened again, and since notices sent meanwhile are lost, listeners
// are then told that everything changed.
import { randomUUID } from 'node:crypto';
import { pg } from './pg.ts';
import type * as Pg from 'pg';
import { EVERYTHING, type ChangeFeed, type ChangeKey } from '../../store.ts';

const CHANNEL = 'gazette_changes';
/** NOTIFY payloads must stay under 8000 bytes; a longer list is sent as "everything". */
const MAX_PAYLOAD = 7000;

/**
 * How a statement to be sent with its transaction's commit begins: the store's connections hold it until
 * the `commit` and send both in one message (store.ts).
 */
export const ON_COMMIT = '/* gazette: with commit */ ';

export interface PostgresChangeFeed extends ChangeFeed {
  /**
   * The NOTIFY of an announcement, as a statement for a write transaction to run last (marked ON_COMMIT):
   * the server delivers it when the transaction commits, and never if it rolls back. tellHere() then
   * tells this process's listeners.
   */
  notifyOnCommit(keys: readonly ChangeKey[]): string;
  /** Tells this process's listeners only: the NOTIFY went with the transaction's commit. */
  tellHere(keys: readonly ChangeKey[]): void;
  close(): Promise<void>;
}

export function postgresChangeFeed(pool: Pg.Pool, clientConfig: Pg.ClientConfig, onError: (error: unknown) => void): PostgresChangeFeed {
  const node = randomUUID();
  const listeners = new Set<(keys: readonly ChangeKey[]) => void>();
  let counter = 0;
  let client: Pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let delay = 250;

  function payloadOf(keys: readonly ChangeKey[]): string {
    const payload = JSON.stringify({ n: node, k: keys });
    return payload.length > MAX_PAYLOAD ? JSON.stringify({ n: node, k: [EVERYTHING] }) : payload;
  }

  function tell(keys: readonly ChangeKey[]) {
    counter++;
    for (const l of listeners) l(keys);
  }

  async function listen(): Promise<void> {
    if (closed) return;
    const c = new pg.Client(clientConfig);
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const parsed = parsePayload(msg.payload);
      if (parsed.node !== node) tell(parsed.keys);
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
      if (closed) return void c.end().catch(() => {});
      const wasLost = client === null && counter > 0;
      client = c;
      delay = 250;
      if (wasLost) tell([EVERYTHING]);
    } catch (error) {
      onError(error);
      lost(c);
    }
  }

  function lost(c: Pg.Client) {
    if (client === c) client = null;
    c.removeAllListeners('end');
    c.end().catch(() => {});
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void listen();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 10_000);
  }

  void listen();

  return {
    announce(keys) {
      tell(keys);
      pool.query('select pg_notify($1, $2)', [CHANNEL, payloadOf(keys)]).catch(onError);
    },
    notifyOnCommit(keys) {
      // No parameters, so that it can share the commit's message (simple protocol); the channel is a
      // constant and the payload a quoted literal.
      return `${ON_COMMIT}select pg_notify('${CHANNEL}', ${pg.Client.prototype.escapeLiteral(payloadOf(keys))})`;
    },
    tellHere: tell,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => String(counter),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}

function parsePayload(text: string): { node: string; keys: ChangeKey[] } {
  try {
    const p = JSON.parse(text) as { n?: unknown; k?: unknown };
    const keys = Array.isArray(p.k) ? p.k.filter((k): k is string => typeof k === 'string') : [EVERYTHING];
    return { node: typeof p.n === 'string' ? p.n : '', keys };
  } catch {
    return { node: '', keys: [EVERYTHING] };
  }
}
