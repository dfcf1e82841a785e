// Search pages answered from memory when the same search is asked again: readers repeat the news of
// the day ("ceasefire", a minister's name), and at 100,000 articles one search costs about 10 ms of a
// single database connection. What is kept is what the route makes of a search (the page as sent, in
// UTF-8 bytes: decision 0046), bounded by the bytes it holds rather than by a number of entries. Pages
// hold cards (section, authors, comment counts) and the site's chrome, so any announced change empties
// this cache; it is small and kept apart from the page cache, so a flood of distinct queries cannot push
// article pages out.
// A search asked again while it is still running is not run twice: the later request waits for the
// running one (under load, a popular query otherwise runs once per connection that asks it before the
// first answer is stored).
import type { Store } from '../db/store.ts';
import type { SearchRequest } from './search.service.ts';

/**
 * Bytes of kept values (as `bytesOf` counts them, plus their keys) the cache holds at most. The search
 * page is about 12 KB as sent, so this keeps some 650 pages: more than the 500 outcomes the cache held
 * before decision 0046, in about a third of the memory.
 */
export const SEARCH_CACHE_BYTES = 8 * 1024 * 1024;

export interface CachedSearch<T> {
  (request: SearchRequest): Promise<{ value: T; hit: boolean }>;
  /** Stops listening to changes (on close). */
  close(): void;
  readonly size: number;
  /** Bytes held now, as counted against the bound. */
  readonly bytes: number;
}

/**
 * Runs `make` for a search through a least-recently-used cache of its values, bounded by `maxBytes`
 * (each value counted by `bytesOf`, its key by its length) and emptied by any content change; the same
 * search asked while it runs shares its value (reported as a hit). A value larger than the whole bound
 * is answered but not kept.
 */
export function cachedSearch<T>(
  store: Store,
  make: (request: SearchRequest) => Promise<T>,
  bytesOf: (value: T) => number,
  maxBytes = SEARCH_CACHE_BYTES,
): CachedSearch<T> {
  const entries = new Map<string, { value: T; bytes: number }>();
  const running = new Map<string, Promise<T>>();
  let held = 0;
  // A search started before a change must not be stored, nor shared, after it.
  let generation = 0;
  const stop = store.changes.subscribe(() => {
    generation++;
    entries.clear();
    running.clear();
    held = 0;
  });
  const run = async (request: SearchRequest) => {
    store.changes.current();
    const key = JSON.stringify([request.q ?? '', request.section ?? '', request.language ?? '', request.from ?? '', request.to ?? '', request.page ?? '']);
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return { value: hit.value, hit: true };
    }
    const shared = running.get(key);
    if (shared) return { value: await shared, hit: true };
    const started = generation;
    const pending = make(request);
    running.set(key, pending);
    try {
      const value = await pending;
      const bytes = bytesOf(value) + key.length * 2;
      if (generation === started && bytes <= maxBytes && !entries.has(key)) {
        entries.set(key, { value, bytes });
        held += bytes;
        for (const [oldest, entry] of entries) {
          if (held <= maxBytes) break;
          entries.delete(oldest);
          held -= entry.bytes;
        }
      }
      return { value, hit: false };
    } finally {
      if (running.get(key) === pending) running.delete(key);
    }
  };
  // Object.assign would copy the getters' values once; these are read when asked.
  return Object.defineProperties(Object.assign(run, { close: stop }), {
    size: { get: () => entries.size },
    bytes: { get: () => held },
  }) as CachedSearch<T>;
}
