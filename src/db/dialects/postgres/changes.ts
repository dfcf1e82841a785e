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

export interface PostgresChangeFeed extends ChangeFeed {
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
      let payload = JSON.stringify({ n: node, k: keys });
      if (payload.length > MAX_PAYLOAD) payload = JSON.stringify({ n: node, k: [EVERYTHING] });
      pool.query('select pg_notify($1, $2)', [CHANNEL, payload]).catch(onError);
    },
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
