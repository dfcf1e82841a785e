// Limits on connections, below HTTP (decision 0015): at most MAX_CONNECTIONS_PER_ADDRESS open sockets
// from one remote address (a trusted proxy's address is exempt: it carries many readers), and at most
// MAX_CONNECTIONS in all (Node's server.maxConnections). Refused connections are closed at once, before
// a byte of HTTP is read. When a limit bites it is logged through a LimitLog, which writes at most one
// line per limit and interval however many sockets a flood opens.
import fs from 'node:fs';
import net from 'node:net';

/** The limits that refuse or cut off clients. */
export type Limit = 'request_timeout' | 'per_address' | 'server_total';

const MESSAGES: Record<Limit, string> = {
  request_timeout: 'requests not received in full within REQUEST_TIMEOUT_MS: answered 408 and closed',
  per_address: 'connections refused: the address already holds MAX_CONNECTIONS_PER_ADDRESS open connections',
  server_total: 'connections refused: the server already holds MAX_CONNECTIONS open connections',
};

/** How many addresses a log line names, most frequent first. */
const ADDRESSES_NAMED = 5;

interface Window {
  count: number;
  addresses: Map<string, number>;
  timer: NodeJS.Timeout;
}

/**
 * Logs limits that bite without flooding the log: the first event of a limit is logged at once, then a
 * quiet window of `intervalMs` opens, whose events are counted and logged in one line when it ends.
 */
export class LimitLog {
  private readonly windows = new Map<Limit, Window>();

  constructor(
    private readonly write: (details: Record<string, unknown>, message: string) => void,
    private readonly intervalMs = 60_000,
  ) {}

  /** Records one event of a limit, from a remote address when known. */
  note(limit: Limit, address: string | undefined): void {
    const window = this.windows.get(limit);
    if (!window) {
      this.write({ limit, count: 1, addresses: address ? { [address]: 1 } : {} }, MESSAGES[limit]);
      this.open(limit);
      return;
    }
    window.count += 1;
    if (address) window.addresses.set(address, (window.addresses.get(address) ?? 0) + 1);
  }

  /** Logs what the open windows counted and stops their timers. */
  close(): void {
    for (const limit of [...this.windows.keys()]) this.flush(limit, false);
  }

  private open(limit: Limit): void {
    const timer = setTimeout(() => this.flush(limit, true), this.intervalMs).unref();
    this.windows.set(limit, { count: 0, addresses: new Map(), timer });
  }

  /** Ends a window: logs its count when it saw events, and opens the next one if the limit is still biting. */
  private flush(limit: Limit, reopen: boolean): void {
    const window = this.windows.get(limit);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(limit);
    if (window.count === 0) return;
    const top = [...window.addresses].sort((a, b) => b[1] - a[1]).slice(0, ADDRESSES_NAMED);
    this.write({ limit, count: window.count, seconds: this.intervalMs / 1000, addresses: Object.fromEntries(top) }, MESSAGES[limit]);
    if (reopen) this.open(limit);
  }
}

export interface ConnectionLimits {
  /** Open connections allowed from one remote address; 0: no limit. */
  perAddress: number;
  /** Open connections allowed in all; 0: no limit. */
  total: number;
  /** Addresses (and CIDR ranges) exempt from the per-address limit: the trusted proxies. */
  exempt: readonly string[];
}

/** The addresses and ranges of a list such as "10.0.0.0/8, 192.0.2.7, ::1", as a BlockList. */
export function addressList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** The family of an address as BlockList.check wants it. */
const familyOf = (address: string) => (net.isIPv6(address) ? 'ipv6' : 'ipv4');

/** Applies the limits to a server's connections; refusals are noted in the LimitLog. */
export function limitConnections(server: net.Server, limits: ConnectionLimits, log: LimitLog): void {
  if (limits.total > 0) {
    server.maxConnections = limits.total;
    server.on('drop', (data?: { remoteAddress?: string }) => log.note('server_total', data?.remoteAddress));
  }
  if (limits.perAddress <= 0) return;
  const exempt = addressList(limits.exempt);
  const open = new Map<string, number>();
  server.on('connection', (socket: net.Socket) => {
    const address = socket.remoteAddress;
    if (!address || exempt.check(address, familyOf(address))) return;
    const count = open.get(address) ?? 0;
    if (count >= limits.perAddress) {
      log.note('per_address', address);
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * The default of MAX_CONNECTIONS: the process's limit on open files less a reserve for the database,
 * logs and worker threads, read from /proc on Linux; 0 (no limit) where that cannot be read.
 */
export function automaticConnectionLimit(reserve = 256): number {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    return soft ? Math.max(Number(soft) - reserve, 64) : 0;
  } catch {
    return 0;
  }
}
