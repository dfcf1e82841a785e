// Starting a worker thread (the search threads, the import's reading thread) from either form of the code.
// `npm start` runs the bundle, beside which each thread has a bundled entry of its own (scripts/build.mjs).
// The CLI and the tests run the TypeScript sources under tsx, whose loader a worker thread does not
// inherit: there the thread starts from tsx-thread-boot.mjs, which registers it and then loads the
// thread's module.
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A thread running `entry`, resolved against `from` (the caller's import.meta.url): `bundled` when the
 * caller runs from the bundle, `source` when it runs from the sources under tsx.
 */
export function startThread(from: string, entry: { bundled: string; source: string }, workerData: object, resourceLimits?: ResourceLimits): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(entry.bundled, from), { workerData, resourceLimits });
  return new Worker(new URL('./tsx-thread-boot.mjs', import.meta.url), { workerData: { ...workerData, tsxModule: new URL(entry.source, from).href }, resourceLimits });
}
