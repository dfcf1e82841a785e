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
