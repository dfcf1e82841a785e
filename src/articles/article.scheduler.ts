// Publishing scheduled articles while the server runs, with no traffic needed: a timer (unref'd, so it
// never keeps the process alive) looks for due articles at start, which publishes what was missed while
// the server was down, and then every `everyMs`. Stopped on close like the search index upkeep.
import type { Store } from '../db/store.ts';
import { publishDueArticles } from './article.workflow.ts';

export interface SchedulerOptions {
  /** How often to look for due articles; a scheduled article is published at most this late. */
  everyMs: number;
  onError(error: unknown): void;
  /** Told of the articles each run published. */
  onPublished?(ids: readonly number[]): void;
}

/** Looks twice a minute, so an article appears within a minute of its time. */
export const DEFAULT_SCHEDULER: Omit<SchedulerOptions, 'onError'> = { everyMs: 30_000 };

/** Starts looking for due articles at once and then periodically; stop() waits for a run in progress. */
export function startScheduler(store: Store, options: SchedulerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running || stopped) return;
    running = publishDueArticles(store)
      .then((ids) => {
        if (ids.length) options.onPublished?.(ids);
      })
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
