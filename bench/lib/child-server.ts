// Servers under test run as child processes, so that their CPU time, memory and event loop are their
// own and not shared with the load generator in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { atExit } from './cleanup.ts';
import { request } from './http.ts';

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly pid: number;
  /** The last few kilobytes the process wrote to stdout and stderr, for error messages. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL, as `kill -9`: nothing of it runs after) and waits for it to exit. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /** Used in error messages. */
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  url: string;
  /** Path polled until the server answers with any status. */
  readyPath?: string;
  readyTimeoutMs?: number;
}

const OUTPUT_TAIL = 8 * 1024;

/** Starts `node <args>` and resolves once it answers HTTP on `url`. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Whatever way the bench ends, no server it started may outlive it.
  const forget = atExit(() => child.kill('SIGKILL'));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      forget();
      resolve(code);
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const stop = async () => {
    if (hasExited) return;
    child.kill('SIGTERM');
    // An unref'd timer, so that a server that stops at once does not keep the bench alive 5 s longer.
    const outcome = await Promise.race([exited.then(() => 'exited'), sleep(5000, undefined, { ref: false }).then(() => 'timeout')]);
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) throw new Error(`${options.label} exited before answering on ${options.url}:\n${tail}`);
    try {
      await request(options.url + (options.readyPath ?? '/'));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${options.label} did not answer on ${options.url} within ${options.readyTimeoutMs ?? 60_000} ms:\n${tail}`);
      }
      // Not listening yet: poll again shortly.
      await sleep(50);
    }
  }

  if (child.pid === undefined) throw new Error(`${options.label} has no pid`);
  const kill = async () => {
    if (hasExited) return;
    child.kill('SIGKILL');
    await exited;
  };
  return { url: options.url, pid: child.pid, output: () => tail, stop, kill };
}
