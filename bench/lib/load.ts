// HTTP load with autocannon's programmatic API.
//
// Where the client runs: in this (the bench) process, on one thread, while each server under test is its
// own child process. On a 2-core machine that gives one core to the server and one to the client. Worker
// threads (autocannon's `workers`) would only take CPU away from the server being measured, and a
// separate client process would cost the same CPU as this one. Both the Gazette server and the bare
// baseline are driven by the same client under the same conditions, so the client's own cost is common
// to both sides of the ratio; when the client is the bottleneck (a very fast baseline), the ratio is
// flattered, never harmed — README.md says how to read it.
import autocannon from 'autocannon';
import { cpuByPid } from './engines.ts';
import { cpuSeconds } from './proc.ts';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  /** Seconds of load sent first and thrown away (JIT, caches, TCP). 0 for none. */
  warmupSec: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Replace each `[<id>]` in the body and the URL with a fresh random id, for requests that must differ. */
  idReplacement?: boolean;
  /**
   * The path (and query) of each request, asked anew for every request, e.g. to spread reads over many
   * pages; `url` then only gives the origin. Runs in the load generator, so keep it cheap.
   */
  nextPath?: () => string;
  /**
   * Paths (with query) sent in turn, each request's bytes built once before the run; `url` then only gives
   * the origin. For many distinct URLs without the per-request cost of nextPath or idReplacement in the
   * load generator, which would otherwise be what a run measures when the client is the bottleneck.
   */
  paths?: readonly string[];
  /** The body of each request, asked anew for every request (e.g. a form post to another article each time). */
  nextBody?: () => string;
  /** Called with each measured response's status and headers (names in lower case). */
  onResponse?: (status: number, headers: Record<string, string>) => void;
  /** Requests per second over all connections (autocannon's overallRate); none: as fast as answered. */
  overallRate?: number;
  /** The server's pid, to report how busy it was: a server well below 100% was not the bottleneck. */
  serverPid?: number;
  /** The PostgreSQL backends serving the server (GazetteServer.databasePids), whose CPU is counted too. */
  databasePids?: () => Promise<number[]>;
}

export interface LoadFigures {
  /** Mean of the per-second request counts. */
  requestsPerSec: number;
  /** Latency percentiles in milliseconds (autocannon records whole milliseconds). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Responses received, any status. */
  responses: number;
  durationSec: number;
  statusCodes: Record<string, number>;
  /** CPU used by this process (the load generator) during the measured run, in % of one core. */
  clientCpuPct: number;
  /** CPU used by the server during the measured run, in % of one core (when serverPid was given). */
  serverCpuPct?: number;
  /** CPU used by the server's PostgreSQL backends during the measured run, in % of one core (PostgreSQL only). */
  databaseCpuPct?: number;
  /**
   * Responses per CPU-second of the server (and of its PostgreSQL backends, on PostgreSQL): how much work
   * one response costs, whatever the client and the neighbours did to the wall-clock rate. The steadiest
   * figure on a shared machine.
   */
  responsesPerCpuSec?: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** CPU seconds the database backends used between two readings (a backend that appeared counts whole). */
function databaseCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, sec] of after) total += sec - (before.get(pid) ?? 0);
  return total;
}

/** Runs the warm-up, then the measured load, and returns the measured figures. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const { nextPath, nextBody } = options;
  if (options.paths && (nextPath || nextBody || options.onResponse || options.idReplacement)) throw new Error('runLoad: paths cannot be combined with nextPath, nextBody, onResponse or idReplacement');
  let measuring = false;
  const onResponse = options.onResponse;
  const common = {
    url: options.url,
    connections: options.connections,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body: options.body,
    idReplacement: options.idReplacement ?? false,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(options.paths
      ? { requests: options.paths.map((path) => ({ method: options.method ?? 'GET', path })) }
      : nextPath || nextBody || onResponse
      ? {
          requests: [
            {
              ...(nextPath || nextBody
                ? { setupRequest: (request: autocannon.RequestSpec) => ({ ...request, ...(nextPath ? { path: nextPath() } : {}), ...(nextBody ? { body: nextBody() } : {}) }) }
                : {}),
              ...(onResponse
                ? {
                    onResponse: (status: number, _body: string, _context: unknown, headers: Record<string, string | string[]>) => {
                      if (!measuring) return;
                      const lower: Record<string, string> = {};
                      for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
                      onResponse(status, lower);
                    },
                  }
                : {}),
            },
          ],
        }
      : {}),
  };
  if (options.warmupSec > 0) await autocannon({ ...common, duration: options.warmupSec });
  const dbBefore = options.databasePids ? cpuByPid(await options.databasePids()) : undefined;
  const serverBefore = options.serverPid === undefined ? undefined : cpuSeconds(options.serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  const result = await autocannon({ ...common, duration: options.durationSec });
  measuring = false;
  const wallSec = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverAfter = options.serverPid === undefined ? undefined : cpuSeconds(options.serverPid);
  const dbAfter = options.databasePids ? cpuByPid(await options.databasePids()) : undefined;
  const serverCpuSec = serverBefore !== undefined && serverAfter !== undefined ? serverAfter - serverBefore : undefined;
  const databaseCpuSec = dbBefore && dbAfter ? databaseCpuBetween(dbBefore, dbAfter) : undefined;
  const costCpuSec = serverCpuSec === undefined ? undefined : serverCpuSec + (databaseCpuSec ?? 0);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]));
  const responses = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    responses,
    durationSec: result.duration,
    statusCodes,
    clientCpuPct: round1(((client.user + client.system) / 1e6 / wallSec) * 100),
    serverCpuPct: serverCpuSec === undefined ? undefined : round1((serverCpuSec / wallSec) * 100),
    ...(databaseCpuSec === undefined ? {} : { databaseCpuPct: round1((databaseCpuSec / wallSec) * 100) }),
    responsesPerCpuSec: costCpuSec ? round1(responses / costCpuSec) : undefined,
  };
}
