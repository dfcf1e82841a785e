// A search thread: opens its own read-only connection to the store and answers search requests from
// the server's main thread (see search.pool.ts). On SQLite one connection runs one query at a time, so
// searches, which take milliseconds at 100,000 articles, are spread over a few of these threads.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseTarget } from '../config.ts';
import { openStore } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { search, type SearchRequest } from './search.service.ts';

interface Job {
  id: number;
  request: SearchRequest;
}

const port = parentPort;
if (!port) throw new Error('search.worker.ts runs as a worker thread');
const store = await openStore(workerData.target as DatabaseTarget, { readOnly: true });

port.on('message', (job: Job | 'close') => {
  if (job === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  search(store, job.request).then(
    (outcome) => port.postMessage({ id: job.id, outcome }),
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
