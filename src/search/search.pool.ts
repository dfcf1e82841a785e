// Searches spread over worker threads when the store reads through one connection per thread (SQLite):
// the main thread keeps serving pages while other cores run searches. On stores whose reads already run
// in parallel (PostgreSQL's pool) searches run in the main thread. Errors come back as they were thrown:
// an AppError keeps its code, so the reader sees the same message either way.
import os from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config.ts';
import type { Store } from '../db/store.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { startThread } from '../lib/worker-thread.ts';
import type { SimilarArticle } from './search-index.ts';
import { search, type SearchOutcome, type SearchRequest } from './search.service.ts';

export interface SearchRunner {
  (request: SearchRequest): Promise<SearchOutcome>;
  close(): Promise<void>;
}

type Reply = { id: number; outcome?: SearchOutcome; similar?: [number, SimilarArticle[]][]; error?: { code?: ErrorCode; message: string; fields?: Record<string, string>; stack?: string } };

/** A job of search.worker.ts: a search, or similarity for "Check Also" (without its id, which ask() adds). */
type Job = { request: SearchRequest } | { similar: { ids: readonly number[]; limit: number } };

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve(r: Reply): void; reject(e: unknown): void }>;
  /** Sends a job once the thread is ready; its reply, or its error as it was thrown (an AppError keeps its code). */
  ask(job: Job): Promise<Reply>;
}

/** A search thread: dist/search-worker.mjs from the bundle, search.worker.ts from the sources. */
function startWorker(target: DatabaseTarget, resourceLimits?: ResourceLimits): Worker {
  return startThread(import.meta.url, { bundled: './search-worker.mjs', source: './search.worker.ts' }, { target }, resourceLimits);
}

/** Starts a search thread and keeps track of the jobs it has not answered yet. */
function startSearchThread(target: DatabaseTarget, resourceLimits?: ResourceLimits): Thread {
  const worker = startWorker(target, resourceLimits);
  const pending = new Map<number, { resolve(r: Reply): void; reject(e: unknown): void }>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: Reply | 'ready') => {
      if (message === 'ready') return resolve();
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      const e = message.error;
      if (!e) return job.resolve(message);
      if (e.code) job.reject(new AppError(e.code, e.message, e.fields));
      else job.reject(Object.assign(new Error(e.message), { stack: e.stack }));
    });
  });
  worker.on('error', (error) => {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  });
  const ask = async (job: Job): Promise<Reply> => {
    await ready;
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...job });
    });
  };
  return { worker, ready, pending, ask };
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
  const pool: Thread[] = [];
  const run = async (request: SearchRequest): Promise<SearchOutcome> => {
    // Threads start with the first search: a site that is only read pays no memory for them.
    if (!pool.length) for (let i = 0; i < threads; i++) pool.push(startSearchThread(target));
    // The thread with the fewest searches waiting.
    const thread = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return (await thread.ask({ request })).outcome!;
  };
  return Object.assign(run, {
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  });
}

/** SearchIndex.similarMany answered on a search thread of its own (a read-only connection to the store). */
export interface SimilarThread {
  similarMany(ids: readonly number[], limit: number): Promise<Map<number, SimilarArticle[]>>;
  close(): Promise<void>;
}

/**
 * The young generation of a thread ranking "Check Also" in bulk, in MiB. Ranked from the words' postings
 * (decision 0064) it allocates fast, the topic words of 200 texts a request, and V8 grows the young
 * generation of a thread that allocates fast: at 100,000 posts this limit, with the thread's heap ceiling
 * (search.worker.ts), keeps the import's peak memory where it was before (measured).
 */
const SIMILAR_THREAD_YOUNG_MB = 4;

/**
 * A thread that ranks "Check Also" candidates beside the main thread, for a bulk load on a store whose
 * reads run one at a time per connection (SQLite; decision 0056). It reads what is committed: the caller
 * uses it only after the articles it asks about are committed and indexed.
 */
export function similarThread(target: DatabaseTarget): SimilarThread {
  const thread = startSearchThread(target, { maxYoungGenerationSizeMb: SIMILAR_THREAD_YOUNG_MB });
  return {
    async similarMany(ids, limit) {
      return new Map((await thread.ask({ similar: { ids, limit } })).similar ?? []);
    },
    async close() {
      await thread.worker.terminate();
    },
  };
}
