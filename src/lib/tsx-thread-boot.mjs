// Starts a worker thread from the TypeScript sources (worker-thread.ts): a worker thread does not inherit
// tsx's loader, so this registers it, then loads the thread's module, named in workerData.tsxModule.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsxModule);
