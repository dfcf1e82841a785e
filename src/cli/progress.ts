// Progress of a long command: a bar on a terminal, a line every tenth of the way otherwise (logs, CI).
import cliProgress from 'cli-progress';

/** A progress display on stderr for work of known size. */
export function progress(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let lastShown = -1;
    return {
      update(done, total) {
        const pct = total ? Math.floor((done / total) * 10) : 10;
        if (pct !== lastShown) {
          lastShown = pct;
          console.error(`${label}: ${done}/${total}`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop: () => bar.stop(),
  };
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/**
 * A progress display on stderr for reading a file: the bar by bytes read of the file's size, followed by
 * counts of what was done so far (`detail`, e.g. "1,200 posts, 4,800 comments").
 */
export function fileProgress(label: string): { update(bytesRead: number, totalBytes: number, detail: string): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let lastShown = -1;
    return {
      update(bytesRead, totalBytes, detail) {
        const tenth = totalBytes ? Math.floor((bytesRead / totalBytes) * 10) : 10;
        if (tenth !== lastShown) {
          lastShown = tenth;
          console.error(`${label}: ${mib(bytesRead)}/${mib(totalBytes)} MiB read, ${detail}`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {read}/{size} MiB | {detail} | {eta_formatted} left`, stream: process.stderr, etaBuffer: 200 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(bytesRead, totalBytes, detail) {
      const payload = { read: mib(bytesRead), size: mib(totalBytes), detail };
      if (!started) {
        bar.start(totalBytes, bytesRead, payload);
        started = true;
      } else bar.update(bytesRead, payload);
    },
    stop: () => bar.stop(),
  };
}
