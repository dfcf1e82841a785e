// Search results answered from memory when the same search is asked again: readers repeat the news of
// the day ("ceasefire", a minister's name), and at 100,000 articles one search costs about 10 ms of a
// single database connection. Results hold cards (section, authors, comment counts), so any announced
// change empties this cache; it is small and kept apart from the page cache, so a flood of distinct
// queries cannot push article pages out. The outcome is data (see search.service.ts), not HTML.
// A search asked again while it is still running is not run twice: the later request waits for the
// running one (under load, a popular query otherwise runs once per connection that asks it before the
// first answer is stored).
import type { Store } from '../db/store.ts';
import type { SearchOutcome, SearchRequest } from './search.service.ts';

export interface CachedSearch {
  (request: SearchRequest): Promise<{ outcome: SearchOutcome; hit: boolean }>;
  /** Stops listening to changes (on close). */
  close(): void;
  readonly size: number;
}

/**
 * Searches (with `search`) through a bounded least-recently-used cache of outcomes, emptied by any
 * content change; the same search asked while it runs shares its outcome (reported as a hit).
 */
export function cachedSearch(store: Store, search: (request: SearchRequest) => Promise<SearchOutcome>, maxEntries = 500): CachedSearch {
  const entries = new Map<string, SearchOutcome>();
  const running = new Map<string, Promise<SearchOutcome>>();
  // A search started before a change must not be stored, nor shared, after it.
  let generation = 0;
  const stop = store.changes.subscribe(() => {
    generation++;
    entries.clear();
    running.clear();
  });
  const run = async (request: SearchRequest) => {
    store.changes.current();
    const key = JSON.stringify([request.q ?? '', request.section ?? '', request.language ?? '', request.from ?? '', request.to ?? '', request.page ?? '']);
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return { outcome: hit, hit: true };
    }
    const shared = running.get(key);
    if (shared) return { outcome: await shared, hit: true };
    const started = generation;
    const pending = search(request);
    running.set(key, pending);
    try {
      const outcome = await pending;
      if (generation === started) {
        entries.set(key, outcome);
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      }
      return { outcome, hit: false };
    } finally {
      if (running.get(key) === pending) running.delete(key);
    }
  };
  return Object.assign(run, {
    close: stop,
    get size() {
      return entries.size;
    },
  });
}
