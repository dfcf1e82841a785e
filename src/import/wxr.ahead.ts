// Reading a WordPress export on a thread of its own beside the writes (decision 0051): readWxrAhead yields
// what readWxr yields, the same chunks in the same order and the same WxrError at the same point, but
// the file is read, parsed and its content converted (wxr.prepare.ts) in a worker thread while the
// importer writes the chunks before. The thread runs at most AHEAD chunks ahead, so memory holds a few
// chunks whatever the size of the file; it ends when the reader is done with it, or abandons it.
import type { Worker } from 'node:worker_threads';
import { startThread } from '../lib/worker-thread.ts';
import { WxrError, type WxrChunk } from './wxr.parser.ts';

/** Chunks (of 256 KiB of the file each) the thread may have handed on that the importer has not taken. */
const AHEAD = 2;

export interface ReadingThreadData {
  file: string;
  ahead: number;
}

/** What the reading thread sends: chunks, then the end, or a problem (a refused file, or any other error). */
export type ReadingMessage =
  | { kind: 'chunk'; chunk: WxrChunk }
  | { kind: 'end' }
  | { kind: 'refused'; file: string; line: number; column: number; problem: string }
  | { kind: 'failed'; message: string; stack: string | undefined };

/** The reading thread: dist/import-worker.mjs from the bundle, wxr.thread.ts from the sources. */
function startReadingThread(data: ReadingThreadData): Worker {
  return startThread(import.meta.url, { bundled: './import-worker.mjs', source: './wxr.thread.ts' }, data);
}

/** A message from the thread, or how it stopped without one. */
type Event = ReadingMessage | { kind: 'crashed'; error: unknown } | { kind: 'exited'; code: number };

/**
 * Reads `file` as readWxr does, on a thread of its own: each chunk's parts, with their content converted
 * ahead. Throws WxrError for a refused file (after the chunks read before the problem), and any error the
 * thread met. Leaving the loop early (an error in the writes) ends the thread.
 */
export async function* readWxrAhead(file: string): AsyncGenerator<WxrChunk> {
  const thread = startReadingThread({ file, ahead: AHEAD });
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (event: Event) => {
    events.push(event);
    wake?.();
    wake = null;
  };
  thread.on('message', (message: ReadingMessage) => push(message));
  thread.on('error', (error) => push({ kind: 'crashed', error }));
  thread.on('exit', (code) => push({ kind: 'exited', code }));
  try {
    for (;;) {
      while (!events.length) await new Promise<void>((resolve) => (wake = resolve));
      const event = events.shift()!;
      if (event.kind === 'chunk') {
        // Taken: the thread may read one more ahead.
        thread.postMessage('more');
        yield event.chunk;
      } else if (event.kind === 'end') return;
      else if (event.kind === 'refused') throw new WxrError(event.file, event.line, event.column, event.problem);
      else if (event.kind === 'failed') throw Object.assign(new Error(event.message), { stack: event.stack });
      else if (event.kind === 'crashed') throw event.error;
      else throw new Error(`the import's reading thread stopped (exit code ${event.code}) before the end of ${file}`);
    }
  } finally {
    await thread.terminate();
  }
}
