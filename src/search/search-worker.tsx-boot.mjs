// Starts a search thread from the TypeScript sources (the CLI and tests run them under tsx): a worker
// thread does not inherit tsx's loader, so it registers it, then loads the worker module.
import { register } from 'tsx/esm/api';

register();
await import('./search.worker.ts');
