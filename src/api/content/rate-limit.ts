// Requests per minute per client (a content key or an address), counted in fixed one-minute windows held
// in memory: one small record per client, O(1) a request. Bounded: past maxClients, the least recently
// seen clients are forgotten (a forgotten client starts a fresh window, never a refused one).

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
  allowed: boolean;
}

interface Window {
  start: number;
  count: number;
}

export class RequestCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxClients = 100_000,
  ) {}

  /** Counts a request by this client and says whether it is within `limit` for the current window. */
  take(client: string, limit: number, now: number): RateDecision {
    let w = this.windows.get(client);
    if (!w || now - w.start >= this.windowMs) w = { start: now - (now % this.windowMs), count: 0 };
    else this.windows.delete(client);
    this.windows.set(client, w);
    this.forgetOldest();
    const allowed = w.count < limit;
    if (allowed) w.count++;
    return { limit, remaining: Math.max(0, limit - w.count), resetSeconds: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)), allowed };
  }

  private forgetOldest(): void {
    while (this.windows.size > this.maxClients) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}
