// Keeps the garbage of a long streaming command (an import) from piling up. V8 lets its heap grow well
// past what a process holds when it allocates fast, so a command that reads a file piece by piece, and
// keeps only a piece at a time, still saw its peak memory grow with the file (decision 0029). A
// collection once the heap holds more than a ceiling keeps the peak to what the command keeps.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** V8's full collection, made callable on first use (as `node --expose-gc` would); null if refused. */
function fullCollection(): (() => void) | null {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/**
 * A check to call between pieces of work: when the heap holds more than `ceilingBytes`, a full
 * collection runs. If what the work keeps is itself near the ceiling, the ceiling rises to half as much
 * again, so the check never collects over and over for nothing. Returns how many collections it ran.
 */
export function heapCeiling(ceilingBytes: number): { check(): void; readonly collections: number } {
  let ceiling = ceilingBytes;
  let collections = 0;
  return {
    check() {
      if (v8.getHeapStatistics().used_heap_size <= ceiling) return;
      const collect = fullCollection();
      if (!collect) return;
      collect();
      collections += 1;
      const kept = v8.getHeapStatistics().used_heap_size;
      if (kept > ceiling * 0.75) ceiling = kept * 1.5;
    },
    get collections() {
      return collections;
    },
  };
}
