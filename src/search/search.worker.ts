// A search thread: opens its own read-only connection to the store and answers search requests from
// the server's main thread (see search.pool.ts), or "Check Also" similarity requests from a bulk load
// (similarThread, decision 0056). On SQLite one connection runs one query at a time, so searches, which
// take milliseconds at 100,000 articles, are spread over a few of these threads.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseTarget } from '../config.ts';
import { openStore } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { heapCeiling } from '../lib/heap.ts';
import { search, type SearchRequest } from './search.service.ts';

/** A search, or the articles most similar to each of `ids` (SearchIndex.similarMany). */
type Job = { id: number; request: SearchRequest } | { id: number; similar: { ids: number[]; limit: number } };

const port = parentPort;
if (!port) throw new Error('search.worker.ts runs as a worker thread');
const store = await openStore(workerData.target as DatabaseTarget, { readOnly: true });
/**
 * A bulk load's similarity requests follow one another as fast as they are answered, and V8 lets the
 * heap of a thread that allocates that fast grow far past what it keeps (decision 0064): past this, a
 * full collection runs after a request (src/lib/heap.ts, as the import's reading thread does).
 */
const heap = heapCeiling(64 * 1024 * 1024);

/** What the job asks, answered on this thread's connection. */
async function answer(job: Job): Promise<object> {
  if ('request' in job) return { outcome: await search(store, job.request) };
  const similar = await store.search.similarMany(store.db, job.similar.ids, job.similar.limit);
  heap.check();
  return { similar: [...similar] };
}

port.on('message', (job: Job | 'close') => {
  if (job === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  answer(job).then(
    (reply) => port.postMessage({ id: job.id, ...reply }),
    (error: unknown) =>
      port.postMessage({
        id: job.id,
        error:
          error instanceof AppError
            ? { code: error.code, message: error.message, fields: error.fields }
            : { message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined },
      }),
  );
});
port.postMessage('ready');
