// What the rest of the application holds of a database: the Kysely instance, a clock that says when
// content changed, and a way to close it. Each dialect in ./dialects/ builds one.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** Tells whether stored content changed since a reading; cheap enough to ask on every request. */
export interface ChangeClock {
  /** An opaque value that differs after any committed change. */
  current(): string;
  /** Called by services after they commit a change through this process. */
  bump(): void;
}

export interface Store {
  readonly db: Db;
  readonly changes: ChangeClock;
  close(): Promise<void>;
}
