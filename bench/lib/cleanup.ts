// Clean-up that must happen however the bench ends (error, Ctrl-C): run.ts turns signals into
// process.exit(), and 'exit' listeners run synchronously, so everything registered here is synchronous.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tasks = new Set<() => void>();

// Newest first, like nested finally blocks: a server is killed before its temp folder is removed.
process.on('exit', () => {
  for (const task of [...tasks].reverse()) {
    try {
      task();
    } catch {
      // Best effort: one failed clean-up must not stop the others.
    }
  }
});

/** Runs `task` when the process exits unless the returned function is called first. */
export function atExit(task: () => void): () => void {
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}

/** A new temp folder, removed by remove() or, failing that, when the process exits. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const removeNow = () => fs.rmSync(dir, { recursive: true, force: true });
  const forget = atExit(removeNow);
  return {
    dir,
    remove() {
      forget();
      removeNow();
    },
  };
}
