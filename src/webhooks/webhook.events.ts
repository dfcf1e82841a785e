// What services call, inside the transaction of their change, to tell webhooks about it (decision 0026):
// the event is written to the outbox with one delivery per active endpoint subscribed to its type, so
// it commits or rolls back with the change itself and survives a crash right after the commit. The
// worker (webhook.delivery.ts) sends it later. Payloads carry ids, headlines, addresses and statuses,
// never a reader's email address or IP address.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/store.ts';
import type { ArticleStatus } from '../db/schema.ts';
import { articleTexts, pathsOf } from '../articles/article.lookups.ts';
import * as repo from './webhook.repository.ts';

/** Every event type an endpoint may subscribe to, with what it means (shown on the admin form). */
export const EVENT_TYPES = {
  'article.published': 'An article went public (published now, or at its scheduled time).',
  'article.updated': 'A published article was saved.',
  'article.unpublished': 'A published article was taken off the site.',
  'article.scheduled': 'An article was scheduled (or rescheduled) for publication.',
  'comment.created': 'A reader or staff comment was stored (status pending when held for moderation); spam is never sent.',
  'comment.approved': 'A comment became visible on the site.',
  'media.replaced': 'A picture in the media library got a new file.',
} as const;

export type EventType = keyof typeof EVENT_TYPES;
/** The test event an admin sends from the webhook's screen; never subscribed to. */
export const TEST_EVENT = 'webhook.test';

export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_TYPES, value);

/** A value the payload may carry: JSON, nothing else. */
type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export interface WebhookEvent {
  type: EventType | typeof TEST_EVENT;
  /**
   * The event's facts. A key `path` (or ending in `Path`) holding a site path is sent together with the
   * absolute address (`url`, `…Url`) made from PUBLIC_URL when the event is sent.
   */
  data: { readonly [key: string]: Json };
}

/** A new Standard Webhooks message id. */
const messageId = () => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * Records an event in the caller's transaction, for every active endpoint subscribed to its type, or
 * for the endpoints given (the test event's one; those a caller has just read). Nothing is written when
 * no endpoint wants it.
 */
export async function recordEvent(trx: Db, event: WebhookEvent, now = new Date(), endpoints?: readonly number[]): Promise<void> {
  const targets = endpoints ?? (await subscribers(trx, event.type));
  if (!targets.length) return;
  // The payload says when the change happened (the service's clock); queueing and pruning go by the real one.
  const payload = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
  const queued = new Date().toISOString();
  const eventId = await repo.insertEvent(trx, { message_id: messageId(), type: event.type, payload, created_at: queued });
  await repo.insertDeliveries(
    trx,
    targets.map((webhookId) => ({ webhook_id: webhookId, event_id: eventId, status: 'pending' as const, next_attempt_at: queued, claimed_until: null, claim_token: null, last_status_code: null, created_at: queued, completed_at: null })),
  );
}

async function subscribers(trx: Db, type: string): Promise<number[]> {
  return subscribersOf(await repo.activeWebhooks(trx), type);
}

function subscribersOf(active: readonly { id: number; events: string }[], type: string): number[] {
  return active.filter((w) => subscribedTypes(w.events).includes(type)).map((w) => w.id);
}

/** The event types stored for an endpoint (unknown ones, from a later version, are kept as they are). */
export function subscribedTypes(events: string): string[] {
  try {
    const parsed: unknown = JSON.parse(events);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The article event a status change means, if any: going public, a public article saved, leaving the
 * site, a schedule set (`scheduling`: a new time was given; saving a scheduled article is no event).
 */
export function articleEventType(from: ArticleStatus | null, to: ArticleStatus, scheduling = false): EventType | null {
  if (to === 'published') return from === 'published' ? 'article.updated' : 'article.published';
  if (from === 'published') return 'article.unpublished';
  if (to === 'scheduled' && (from !== 'scheduled' || scheduling)) return 'article.scheduled';
  return null;
}

/**
 * Records the event an article's status change means (see articleEventType), with the article as it
 * is in the caller's transaction after the change. `from` is null for a new article.
 */
export async function recordArticleChange(trx: Db, id: number, change: { from: ArticleStatus | null; to: ArticleStatus; scheduledAt?: string }, now = new Date()): Promise<void> {
  const type = articleEventType(change.from, change.to, change.scheduledAt !== undefined);
  if (!type) return;
  const targets = await subscribers(trx, type);
  if (!targets.length) return;
  const [text] = await articleTexts(trx, [id]);
  if (!text) return;
  const path = (await pathsOf(trx, [id])).get(id) ?? null;
  await recordEvent(
    trx,
    {
      type,
      data: {
        id,
        headline: text.headline,
        path,
        status: change.to,
        language: text.language,
        publishedAt: text.publishedAt,
        ...(change.scheduledAt ? { scheduledAt: change.scheduledAt } : {}),
      },
    },
    now,
    targets,
  );
}

/**
 * Records what a comment's new status means: `comment.created` for a new comment that is not spam,
 * `comment.approved` when it becomes visible (a new comment approved at once gets both). `from` is
 * null for a new comment. Only ids and statuses are sent: never the author's address or IP address.
 */
export async function recordCommentChange(trx: Db, comment: { id: number; articleId: number; parentId: number | null; from: string | null; to: string }, now = new Date()): Promise<void> {
  const types: EventType[] = [];
  if (comment.from === null && comment.to !== 'spam') types.push('comment.created');
  if (comment.to === 'approved' && comment.from !== 'approved') types.push('comment.approved');
  if (!types.length) return;
  // The endpoints and the article's address are read once for both events (a new comment approved at
  // once is both).
  const active = await repo.activeWebhooks(trx);
  let articlePath: string | null | undefined;
  for (const type of types) {
    const targets = subscribersOf(active, type);
    if (!targets.length) continue;
    if (articlePath === undefined) articlePath = (await pathsOf(trx, [comment.articleId])).get(comment.articleId) ?? null;
    await recordEvent(trx, { type, data: { id: comment.id, articleId: comment.articleId, articlePath, parentId: comment.parentId, status: comment.to } }, now, targets);
  }
}
