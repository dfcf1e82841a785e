// The delivery worker (decision 0026), run by every server on an unref'd timer like the scheduler: it
// claims due deliveries for a while (an UPDATE that only takes rows nobody holds, so several app nodes
// never send one delivery at once), signs and sends each, and records the attempt: success, or a retry
// time with exponential back-off kept in the database (so retries survive a restart), until the
// attempt cap marks the delivery failed. Finished deliveries are pruned after `keepDays`.
import { randomBytes } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { EVERYTHING, type Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { sendWebhook, type SendResult } from './webhook.http.ts';
import { signedHeaders } from './webhook.signing.ts';
import * as repo from './webhook.repository.ts';

export interface WorkerOptions {
  /** The site's public origin: paths in payloads are sent as absolute URLs on it. */
  publicUrl: string;
  /** How often to look for due deliveries (also woken by every change this process hears of). */
  everyMs: number;
  /** Deliveries claimed and sent at once. */
  batch: number;
  /** Connecting plus the whole answer, per attempt. */
  timeoutMs: number;
  /** How long a claim holds; past it another worker may take the delivery over (the first one died). */
  leaseMs: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** The wait after the first failed attempt; each later wait is `retryFactor` times longer, at most retryMaxMs. */
  retryBaseMs: number;
  retryFactor: number;
  retryMaxMs: number;
  /** Finished deliveries and their log are kept this many days. */
  keepDays: number;
  /** Resolves names for the SSRF check (tests play DNS with it). */
  lookup?: LookupFunction;
  onError(error: unknown): void;
}

/**
 * 8 attempts over about 19 hours: at once, then after 30 s, 2 min, 8 min, 32 min, about 2 h, 8.5 h and
 * 8.5 h (the cap); 5 s per attempt; the log is kept 30 days.
 */
export const DEFAULT_WEBHOOK_WORKER: Omit<WorkerOptions, 'publicUrl' | 'onError'> = {
  everyMs: 5_000,
  batch: 20,
  timeoutMs: 5_000,
  leaseMs: 60_000,
  maxAttempts: 8,
  retryBaseMs: 30_000,
  retryFactor: 4,
  retryMaxMs: 8.5 * 3600_000,
  keepDays: 30,
};

/** The wait before attempt `made + 1`, after `made` failed attempts. */
export function retryDelayMs(made: number, o: Pick<WorkerOptions, 'retryBaseMs' | 'retryFactor' | 'retryMaxMs'>): number {
  return Math.min(o.retryMaxMs, o.retryBaseMs * o.retryFactor ** Math.max(0, made - 1));
}

/** The body sent for a stored payload: every `path` / `…Path` in data joined by its absolute URL. */
export function bodyFor(payload: string, publicUrl: string): string {
  const event = JSON.parse(payload) as { type: string; timestamp: string; data: Record<string, unknown> };
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data)) {
    data[key] = value;
    if ((key === 'path' || key.endsWith('Path')) && typeof value === 'string' && value.startsWith('/')) data[key === 'path' ? 'url' : `${key.slice(0, -4)}Url`] = new URL(value, publicUrl).toString();
  }
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data });
}

/** The secrets an endpoint's requests are signed with now: its own, and the one before a rotation for a day. */
function secretsOf(row: repo.ClaimedRow, now: Date): string[] {
  return row.previous_secret && row.previous_until && row.previous_until > now.toISOString() ? [row.secret, row.previous_secret] : [row.secret];
}

/** Sends one claimed delivery. */
function attempt(row: repo.ClaimedRow, o: WorkerOptions, now: Date): Promise<SendResult> {
  const body = bodyFor(row.payload, o.publicUrl);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Gazette-Webhooks/1',
    ...signedHeaders(secretsOf(row, now), row.message_id, now, body),
  };
  return sendWebhook(row.url, headers, body, { allowPrivate: row.allow_private === 1, timeoutMs: o.timeoutMs, ...(o.lookup ? { lookup: o.lookup } : {}) });
}

/** Records an attempt and what comes next: done, another try later, or failed for good. */
async function record(store: Store, row: repo.ClaimedRow, token: string, started: Date, result: SendResult, o: WorkerOptions): Promise<void> {
  const made = row.attempts + 1;
  const ok = result.outcome === 'ok';
  // An address refused by the SSRF check is refused again: no point in retrying.
  const final = ok || result.outcome === 'refused' || made >= o.maxAttempts;
  const end = new Date();
  const jitter = 1 + Math.random() * 0.1;
  await store.writeTransaction(async (trx) => {
    const held = await repo.finishAttempt(trx, row.id, token, {
      attempts: made,
      status: ok ? 'succeeded' : final ? 'failed' : 'pending',
      next_attempt_at: final ? end.toISOString() : new Date(end.getTime() + retryDelayMs(made, o) * jitter).toISOString(),
      last_status_code: result.statusCode,
      completed_at: final ? end.toISOString() : null,
    });
    // A claim lost to another worker (this one outlived its lease) leaves the record to that one.
    if (!held) return;
    await repo.insertAttempt(trx, {
      delivery_id: row.id,
      attempt: made,
      started_at: started.toISOString(),
      duration_ms: result.durationMs,
      outcome: result.outcome,
      status_code: result.statusCode,
      response_excerpt: result.excerpt,
      error: result.error,
    });
  });
}

/**
 * Claims and sends one batch of due deliveries; returns how many were claimed, and whether any endpoint
 * was active when it looked. The cheap look comes first, so an idle site never takes the write lock for it.
 */
export async function deliverDue(store: Store, o: WorkerOptions, now = new Date()): Promise<{ claimed: number; active: boolean }> {
  const stamp = now.toISOString();
  const look = await repo.lookDue(store.db, stamp);
  if (!look.due) return { claimed: 0, active: look.active };
  const token = randomBytes(12).toString('base64url');
  const until = new Date(now.getTime() + o.leaseMs).toISOString();
  const claimed = await store.writeTransaction((trx) => repo.claimDue(trx, stamp, until, token, o.batch));
  if (!claimed) return { claimed: 0, active: look.active };
  const rows = await repo.claimedBy(store.db, token);
  await Promise.all(
    rows.map(async (row) => {
      const started = new Date();
      const result = await attempt(row, o, started);
      await record(store, row, token, started, result, o);
    }),
  );
  return { claimed, active: look.active };
}

/** Removes finished deliveries older than the retention. */
export function pruneDeliveries(store: Store, keepDays: number, now = new Date()): Promise<number> {
  return store.writeTransaction((trx) => repo.pruneBefore(trx, new Date(now.getTime() - keepDays * 86_400_000).toISOString()));
}

export interface WebhookWorker {
  /** Looks for due deliveries soon (after a change that may have queued some). */
  wake(): void;
  /** Stops the timer and waits for a batch in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the worker: at once, then every `everyMs` and whenever a change is announced while an endpoint
 * is active (with none, no change can have queued a delivery: only the timer looks, and a change to the
 * endpoints, `webhooks`, makes the next change look again); pruning hourly.
 */
export function startWebhookWorker(store: Store, o: WorkerOptions): WebhookWorker {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let prunedAt = 0;
  /** Whether an endpoint was active at the last look; null when unknown (never looked, or the endpoints changed since). */
  let active: boolean | null = null;
  /** Counts the changes heard to the endpoints: a look that began before one does not say what is active now. */
  let endpointChanges = 0;
  const run = async () => {
    do {
      again = false;
      if (Date.now() - prunedAt > 3600_000) {
        prunedAt = Date.now();
        await pruneDeliveries(store, o.keepDays);
      }
      const before = endpointChanges;
      const done = await deliverDue(store, o);
      if (endpointChanges === before) active = done.active;
      // A full batch may mean more are waiting.
      if (done.claimed >= o.batch) again = true;
    } while (again && !stopped);
  };
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch(o.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  const unsubscribe = store.changes.subscribe((keys) => {
    if (keys.includes(key.webhooks) || keys.includes(EVERYTHING)) {
      endpointChanges++;
      active = null;
    }
    if (active !== false) tick();
  });
  tick();
  return {
    wake: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
