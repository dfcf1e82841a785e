// Changes on SQLite: writes through this process reach listeners at once; writes by other processes
// on the same file (the `gazette` CLI while the server runs) are found when PRAGMA data_version moves,
// by reading the change log those processes appended to.
import type SQLite from 'better-sqlite3';
import { EVERYTHING, type ChangeFeed, type ChangeKey } from '../../store.ts';

/** Rows kept in the log; a reader that fell further behind than this drops everything. */
const KEEP = 5000;

export function sqliteChangeFeed(native: SQLite.Database): ChangeFeed {
  const dataVersion = native.prepare('PRAGMA data_version').pluck();
  const listeners = new Set<(keys: readonly ChangeKey[]) => void>();
  let seenVersion = dataVersion.get() as number;
  let seenId: number | null = null;
  let counter = 0;
  /** Ids this process wrote: its own changes were told to listeners when they were made. */
  const own = new Set<number>();

  const hasLog = () => Boolean(native.prepare("select 1 from sqlite_master where type = 'table' and name = 'change_log'").get());
  const lastId = () => (native.prepare('select coalesce(max(id), 0) from change_log').pluck().get() as number) ?? 0;

  function tell(keys: readonly ChangeKey[]) {
    counter++;
    for (const l of listeners) l(keys);
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
      try {
        if (seenId === null && hasLog()) seenId = lastId();
        const id = Number(native.prepare('insert into change_log (keys, created_at) values (?, ?)').run(JSON.stringify(keys), new Date().toISOString()).lastInsertRowid);
        own.add(id);
        if (own.size > KEEP) own.clear();
        if (id % 500 === 0) native.prepare('delete from change_log where id <= ?').run(id - KEEP);
      } catch {
        // Before migration 005 there is no log; other processes then see data_version move and drop everything.
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
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
