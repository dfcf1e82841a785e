// Keeping the search index compact while the server runs. Every published or changed article adds a
// small piece to the index (see compact() in search-index.sqlite.ts); left alone, a year of single
// articles makes every search seek through dozens of pieces. The server merges them in small slices
// between requests, only after content changed, so an idle site does no work.
import type { Store } from '../db/store.ts';

export interface UpkeepOptions {
  /** How often to look for new work. */
  everyMs: number;
  /** Work per slice (FTS5 pages); a slice holds the event loop for a few milliseconds. */
  slice: number;
  onError(error: unknown): void;
  /** Told after each run that looked for work, with the number of slices that did some. */
  onRun?(slices: number): void;
}

export const DEFAULT_UPKEEP: Omit<UpkeepOptions, 'onError'> = { everyMs: 60_000, slice: 32 };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Merges the index in slices until there is nothing left to merge, yielding to other work between
 * slices. Returns the number of slices that did work. `shouldStop` is asked between slices.
 */
export async function compactInSlices(store: Store, slice: number, shouldStop: () => boolean = () => false): Promise<number> {
  const index = store.search;
  let worked = 0;
  while (!shouldStop() && (await index.compact(store.db, slice))) {
    worked++;
    await nextTurn();
  }
  return worked;
}

/** Starts the periodic upkeep; stop() waits for a slice in progress to finish. */
export function startIndexUpkeep(store: Store, options: UpkeepOptions): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> | null = null;
  // The change clock when the index was last found fully merged: no change since, no work to look for.
  let cleanAt: string | null = null;

  const run = async () => {
    const clock = store.changes.current();
    if (clock === cleanAt) return;
    const slices = await compactInSlices(store, options.slice, () => stopped);
    if (stopped) return;
    cleanAt = clock;
    options.onRun?.(slices);
  };
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
