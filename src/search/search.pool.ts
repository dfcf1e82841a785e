// Searches spread over worker threads when the store reads through one connection per thread (SQLite):
// the main thread keeps serving pages while other cores run searches. On stores whose reads already run
// in parallel (PostgreSQL's pool) searches run in the main thread. Errors come back as they were thrown:
// an AppError keeps its code, so the reader sees the same message either way.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config.ts';
import type { Store } from '../db/store.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { startThread } from '../lib/worker-thread.ts';
import { search, type SearchOutcome, type SearchRequest } from './search.service.ts';

export interface SearchRunner {
  (request: SearchRequest): Promise<SearchOutcome>;
  close(): Promise<void>;
}

type Reply = { id: number; outcome?: SearchOutcome; error?: { code?: ErrorCode; message: string; fields?: Record<string, string>; stack?: string } };

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve(o: SearchOutcome): void; reject(e: unknown): void }>;
}

/** A search thread: dist/search-worker.mjs from the bundle, search.worker.ts from the sources. */
function startWorker(target: DatabaseTarget): Worker {
  return startThread(import.meta.url, { bundled: './search-worker.mjs', source: './search.worker.ts' }, { target });
}

/**
 * Threads to use: SEARCH_THREADS when set, else one per core beside the main thread's (at least one, at
 * most 4); 0 on stores whose reads already run in parallel. The main thread is busy too under a search
 * load (requests, the cache's hits, drawing the pages), so on two cores a second search thread mostly
 * waited for a core, and each thread costs about 40 MB (decision 0046).
 */
export function searchThreads(store: Store, configured: number | null): number {
  if (!store.readsInParallelThreads) return 0;
  return configured ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** A search function over `threads` worker threads (0: the main thread). */
export function searchRunner(store: Store, target: DatabaseTarget, threads: number): SearchRunner {
  if (threads <= 0) return Object.assign((request: SearchRequest) => search(store, request), { close: async () => {} });
  let nextId = 1;
  const pool: Thread[] = [];
  const start = (): Thread => {
    const worker = startWorker(target);
    const pending = new Map<number, { resolve(o: SearchOutcome): void; reject(e: unknown): void }>();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: Reply | 'ready') => {
        if (message === 'ready') return resolve();
        const job = pending.get(message.id);
        if (!job) return;
        pending.delete(message.id);
        if (message.outcome) return job.resolve(message.outcome);
        const e = message.error!;
        if (e.code) job.reject(new AppError(e.code, e.message, e.fields));
        else job.reject(Object.assign(new Error(e.message), { stack: e.stack }));
      });
    });
    worker.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
    return { worker, ready, pending };
  };
  const run = async (request: SearchRequest): Promise<SearchOutcome> => {
    // Threads start with the first search: a site that is only read pays no memory for them.
    if (!pool.length) for (let i = 0; i < threads; i++) pool.push(start());
    // The thread with the fewest searches waiting.
    const thread = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    await thread.ready;
    const id = nextId++;
    return new Promise<SearchOutcome>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, request });
    });
  };
  return Object.assign(run, {
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  });
}
