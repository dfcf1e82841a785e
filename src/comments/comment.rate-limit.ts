// Per-address posting limit: a sliding window of recent post times per key, held in memory.
// Each key keeps at most `max` times in a queue, so a check costs O(1) however high the limit is set.
// Bounded: when more keys are tracked than maxKeys, the least recently seen are forgotten.

interface Window {
  times: number[];
  head: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Seconds to wait before this key may post again; 0 when it may post now. */
  retryAfter(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    this.expire(w, now);
    if (w.times.length - w.head < this.max) return 0;
    return Math.max(1, Math.ceil((w.times[w.head]! + this.windowMs - now) / 1000));
  }

  /** Records a post by this key. */
  hit(key: string, now: number): void {
    const w = this.windows.get(key) ?? { times: [], head: 0 };
    this.expire(w, now);
    w.times.push(now);
    // Only the newest `max` times can decide a later check.
    if (w.times.length - w.head > this.max) w.head = w.times.length - this.max;
    this.compact(w);
    this.windows.delete(key);
    this.windows.set(key, w);
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }

  private expire(w: Window, now: number): void {
    while (w.head < w.times.length && w.times[w.head]! <= now - this.windowMs) w.head++;
  }

  private compact(w: Window): void {
    if (w.head > 64 && w.head * 2 > w.times.length) {
      w.times = w.times.slice(w.head);
      w.head = 0;
    }
  }
}
