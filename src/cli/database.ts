// Which database a `gazette` command works on. Every command says so on stderr, so one run from the wrong
// folder shows it at once; commands that only read or change content refuse a missing SQLite file
// instead of creating an empty one (DATABASE_URL's default is relative to the current folder).
import fs from 'node:fs';
import { describeDatabase, type DatabaseTarget } from '../config.ts';

/** Exit status when the database DATABASE_URL names does not exist (EX_NOINPUT from sysexits.h). */
export const EX_NOINPUT = 66;

/** Commands that set a database up, and so may create it. */
const CREATING_COMMANDS: ReadonlySet<string> = new Set(['serve', 'migrate', 'demo']);

/** The SQLite file DATABASE_URL names does not exist, and the command would not create it. */
export class DatabaseMissingError extends Error {
  constructor(readonly file: string, command: string) {
    super(
      `gazette ${command}: there is no database at ${file}. Set DATABASE_URL to the site's database ` +
        `(file:<path>; a relative path is taken from the current folder), or run "gazette migrate" to create an empty one there.`,
    );
    this.name = 'DatabaseMissingError';
  }
}

/** Throws DatabaseMissingError when `command` would otherwise create the SQLite file it was pointed at. */
export function ensureDatabaseExists(target: DatabaseTarget, command: string): void {
  if (target.kind !== 'sqlite' || CREATING_COMMANDS.has(command) || fs.existsSync(target.file)) return;
  throw new DatabaseMissingError(target.file, command);
}

/** Says on stderr which database `command` uses, then refuses a missing one where it must exist. */
export function useDatabase(target: DatabaseTarget, command: string): void {
  console.error(`gazette: using ${target.kind === 'sqlite' ? 'the SQLite database' : 'the PostgreSQL database'} ${describeDatabase(target)}`);
  ensureDatabaseExists(target, command);
}
