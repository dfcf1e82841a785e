// Starts the import's reading thread from the TypeScript sources (the CLI and tests run them under tsx):
// a worker thread does not inherit tsx's loader, so it registers it, then loads the thread's module.
import { register } from 'tsx/esm/api';

register();
await import('./wxr.thread.ts');
