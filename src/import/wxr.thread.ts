// The import's reading thread (decision 0051): reads the WordPress export with readWxr, converts what can
// be converted ahead (wxr.prepare.ts) and hands each chunk to the importer in the main thread, which writes
// meanwhile. It runs at most AHEAD chunks ahead of the writes, so memory stays bounded whatever the size of
// the file; a problem is handed on as the last message, after the chunks read before it.
import { parentPort, workerData } from 'node:worker_threads';
import { heapCeiling } from '../lib/heap.ts';
import { prepareChunk } from './wxr.prepare.ts';
import { readWxr, WxrError } from './wxr.parser.ts';
import type { ReadingMessage, ReadingThreadData } from './wxr.ahead.ts';

const port = parentPort;
if (!port) throw new Error('wxr.thread.ts runs as a worker thread');
const { file, ahead } = workerData as ReadingThreadData;

/** Chunks handed on and not yet taken by the importer. */
let waiting = 0;
let wake: (() => void) | null = null;
port.on('message', (message: 'more') => {
  if (message !== 'more') return;
  waiting -= 1;
  wake?.();
  wake = null;
});

/**
 * This thread's own garbage, collected past a ceiling as the main thread's is (src/lib/heap.ts): a guard,
 * above what V8 keeps here on its own (a 32 MB ceiling cost 1–2 s of CPU at 10,000 posts for 25 MB less
 * peak memory, and memory stayed flat without it too: decision 0051).
 */
const heap = heapCeiling(64 * 1024 * 1024);
const send = (message: ReadingMessage) => port.postMessage(message);

try {
  for await (const chunk of readWxr(file)) {
    const prepared = prepareChunk(chunk);
    while (waiting >= ahead) await new Promise<void>((resolve) => (wake = resolve));
    send({ kind: 'chunk', chunk: prepared });
    waiting += 1;
    heap.check();
  }
  send({ kind: 'end' });
} catch (error) {
  if (error instanceof WxrError) send({ kind: 'refused', file: error.file, line: error.line, column: error.column, problem: error.problem });
  else send({ kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
// The importer ends this thread once it has the last message.
