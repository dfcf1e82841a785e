// Changes on SQLite: writes through this process reach listeners at once; writes by other processes
// on the same file (the `gazette` CLI while the server runs) are found when PRAGMA data_version moves,
// by reading the change log those processes appended to.
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { EVERYTHING, type ChangeFeed, type ChangeKey, type Db } from '../../store.ts';

/** Rows kept in the log; a reader that fell further behind than this drops everything. */
const KEEP = 5000;

/**
 * The change feed over a file. `native` is the connection Kysely's `db` also uses: reads go to it directly,
 * but the log is appended to through `db`, which waits for a transaction another request holds open on the
 * connection (a statement run beside Kysely would join that transaction and be undone with it).
 */
export function sqliteChangeFeed(native: SQLite.Database, db: Db): ChangeFeed & { settled(): Promise<void> } {
  const dataVersion = native.prepare('PRAGMA data_version').pluck();
  const listeners = new Set<(keys: readonly ChangeKey[]) => void>();
  let seenVersion = dataVersion.get() as number;
  let seenId: number | null = null;
  let counter = 0;
  /** Ids this process wrote: its own changes were told to listeners when they were made. */
  const own = new Set<number>();
  /** Log rows still being written; closing waits for them, so a CLI command's change reaches the server. */
  const writing = new Set<Promise<void>>();

  const hasLog = () => Boolean(native.prepare("select 1 from sqlite_master where type = 'table' and name = 'change_log'").get());
  const lastId = () => (native.prepare('select coalesce(max(id), 0) from change_log').pluck().get() as number) ?? 0;
  // Changes made before this process opened the file are in nothing it holds (and the stored pages they
  // made stale were dropped by the process that made them): start after the last one.
  if (hasLog()) seenId = lastId();

  function tell(keys: readonly ChangeKey[]) {
    counter++;
    for (const l of listeners) l(keys);
  }

  /** Appends keys to the log for other processes; before migration 005 there is no log, and they drop everything instead. */
  async function appendToLog(keys: readonly ChangeKey[]): Promise<void> {
    try {
      if (seenId === null && hasLog()) seenId = lastId();
      const result = await sql`insert into change_log (keys, created_at) values (${JSON.stringify(keys)}, ${new Date().toISOString()})`.execute(db);
      const id = Number(result.insertId);
      own.add(id);
      if (own.size > KEEP) own.clear();
      if (id % 500 === 0) await sql`delete from change_log where id <= ${id - KEEP}`.execute(db);
    } catch {
      // No log yet (before migration 005), or the store closed: other processes see data_version move.
    }
  }

  function readOthers(): void {
    if (!hasLog()) return tell([EVERYTHING]);
    if (seenId === null) {
      seenId = lastId();
      return tell([EVERYTHING]);
    }
    const rows = native.prepare('select id, keys from change_log where id > ? order by id').all(seenId) as { id: number; keys: string }[];
    // Rows past ours were pruned before we read them (or a writer rolled back): drop everything to be safe.
    if (rows.length && rows[0]!.id > seenId + 1) {
      seenId = rows[rows.length - 1]!.id;
      return tell([EVERYTHING]);
    }
    const keys = new Set<ChangeKey>();
    for (const r of rows) {
      seenId = r.id;
      if (own.delete(r.id)) continue;
      for (const k of parseKeys(r.keys)) keys.add(k);
    }
    if (keys.size) tell([...keys]);
  }

  return {
    announce(keys) {
      tell(keys);
      const write = appendToLog(keys).finally(() => writing.delete(write));
      writing.add(write);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settled() {
      await Promise.all([...writing]);
    },
    current() {
      const v = dataVersion.get() as number;
      if (v !== seenVersion) {
        seenVersion = v;
        readOthers();
      }
      return String(counter);
    },
  };
}

function parseKeys(text: string): ChangeKey[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [EVERYTHING];
  } catch {
    return [EVERYTHING];
  }
}
