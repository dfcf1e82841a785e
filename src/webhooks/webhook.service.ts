// The webhook endpoints admins manage (decision 0026): add (the signing secret is shown once), edit,
// disable and enable, rotate the secret (the old one keeps signing for a day), delete, send a test
// event, and read the delivery log with the answers received. Admins only (settings.manage), checked
// here whoever calls. No Fastify here.
import { z } from 'zod';
import type { Account } from '../accounts/permissions.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import type { Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { EVENT_TYPES, recordEvent, subscribedTypes, TEST_EVENT, type EventType } from './webhook.events.ts';
import { urlProblem } from './webhook.http.ts';
import { newSecret } from './webhook.signing.ts';
import * as repo from './webhook.repository.ts';

/** How long the secret before a rotation still signs requests, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
/** Deliveries shown on an endpoint's screen. */
export const LOG_LENGTH = 50;

const eventTypes = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

export const webhookInput = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, 'enter the URL to send events to')
      .max(2000, 'use at most 2,000 characters')
      .refine((u) => /^https?:\/\//i.test(u), 'expected an http:// or https:// URL'),
    description: z.string().trim().max(500, 'use at most 500 characters').default(''),
    events: z.array(z.enum(eventTypes, 'unknown event')).min(1, 'choose at least one event').max(eventTypes.length),
    allowPrivate: z.boolean().default(false),
  })
  .superRefine((w, ctx) => {
    const problem = urlProblem(w.url, w.allowPrivate);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem.includes('address') ? `${problem}; such addresses are refused unless “Allow private addresses” is ticked` : problem });
    else if (!w.allowPrivate && /^(localhost|.*\.localhost)\.?$/i.test(new URL(w.url).hostname)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'localhost is a loopback address; such addresses are refused unless “Allow private addresses” is ticked' });
  });
/** What an admin sends (checked by webhookInput): event names are checked, not trusted. */
export interface WebhookInput {
  url: string;
  description?: string;
  events: readonly string[];
  allowPrivate?: boolean;
}

/** An endpoint as admins see it (never its secret). */
export interface WebhookView {
  id: number;
  url: string;
  description: string;
  events: string[];
  allowPrivate: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Whether a rotated-out secret still signs requests, and until when. */
  previousSecretUntil: string | null;
  lastDelivery: { status: repo.DeliveryStatus; lastStatusCode: number | null; createdAt: string } | null;
}

export interface AttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: string;
  statusCode: number | null;
  responseExcerpt: string;
  error: string;
}

export interface DeliveryView {
  id: number;
  type: string;
  messageId: string;
  status: repo.DeliveryStatus;
  attempts: number;
  /** When the next attempt is due, for a delivery still pending. */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  completedAt: string | null;
  /** The payload as stored (paths; the URLs are added when sent). */
  payload: string;
  log: AttemptView[];
}

function toView(row: repo.WebhookRow, last: WebhookView['lastDelivery'] = null, now = new Date()): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: subscribedTypes(row.events),
    allowPrivate: row.allow_private === 1,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    previousSecretUntil: row.previous_secret && row.previous_until && row.previous_until > now.toISOString() ? row.previous_until : null,
    lastDelivery: last,
  };
}

const toAttempt = (a: repo.AttemptRow): AttemptView => ({
  attempt: a.attempt,
  startedAt: a.started_at,
  durationMs: a.duration_ms,
  outcome: a.outcome,
  statusCode: a.status_code,
  responseExcerpt: a.response_excerpt,
  error: a.error,
});

function toDelivery(d: repo.LoggedDeliveryRow, attempts: readonly repo.AttemptRow[]): DeliveryView {
  return {
    id: d.id,
    type: d.type,
    messageId: d.message_id,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
    lastStatusCode: d.last_status_code,
    createdAt: d.created_at,
    completedAt: d.completed_at,
    payload: d.payload,
    log: attempts.filter((a) => a.delivery_id === d.id).map(toAttempt),
  };
}

/** The form's values, or invalid_input naming each field (an event list's problems under `events`). */
function parseWebhook(input: WebhookInput) {
  const parsed = webhookInput.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'url')] ??= issue.message;
  throw new AppError('invalid_input', `The webhook is not valid: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
}

const allowed = (actor: Account) => ensureCan(actor, 'settings.manage');

async function rowOrNotFound(store: Store, id: number): Promise<repo.WebhookRow> {
  const row = await repo.findWebhook(store.db, id);
  if (!row) throw new AppError('not_found', `There is no webhook ${id}.`);
  return row;
}

/** Every endpoint, oldest first, with its newest delivery's status. */
export async function listWebhooks(store: Store, actor: Account): Promise<WebhookView[]> {
  allowed(actor);
  const last = await repo.lastDeliveries(store.db);
  return (await repo.listWebhooks(store.db)).map((r) => toView(r, last.get(r.id) ?? null));
}

export async function getWebhook(store: Store, actor: Account, id: number): Promise<WebhookView> {
  allowed(actor);
  return toView(await rowOrNotFound(store, id));
}

/** Adds an endpoint; returns it with its secret, which is never shown again. */
export async function createWebhook(store: Store, actor: Account, input: WebhookInput, now = new Date()): Promise<{ webhook: WebhookView; secret: string }> {
  allowed(actor);
  const w = parseWebhook(input);
  const secret = newSecret();
  const stamp = now.toISOString();
  const id = await store.writeTransaction(async (trx) => {
    const id = await repo.insertWebhook(trx, {
      url: w.url,
      description: w.description,
      events: JSON.stringify([...new Set(w.events)]),
      secret,
      previous_secret: null,
      previous_until: null,
      allow_private: w.allowPrivate ? 1 : 0,
      active: 1,
      created_by: actor.id,
      created_at: stamp,
      updated_at: stamp,
    });
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.create', subject: `webhook:${id}`, details: { url: w.url, events: w.events, allowPrivate: w.allowPrivate } }, now);
    return id;
  });
  store.changes.announce([key.webhooks]);
  return { webhook: toView(await rowOrNotFound(store, id)), secret };
}

/** Changes an endpoint's URL, description, events and private-address permission. */
export async function updateWebhook(store: Store, actor: Account, id: number, input: WebhookInput, now = new Date()): Promise<WebhookView> {
  allowed(actor);
  const w = parseWebhook(input);
  await store.writeTransaction(async (trx) => {
    if (!(await repo.findWebhook(trx, id))) throw new AppError('not_found', `There is no webhook ${id}.`);
    await repo.updateWebhook(trx, id, { url: w.url, description: w.description, events: JSON.stringify([...new Set(w.events)]), allow_private: w.allowPrivate ? 1 : 0, updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.update', subject: `webhook:${id}`, details: { url: w.url, events: w.events, allowPrivate: w.allowPrivate } }, now);
  });
  store.changes.announce([key.webhooks]);
  return getWebhook(store, actor, id);
}

/** Disables (nothing is sent; waiting deliveries wait) or enables an endpoint. */
export async function setWebhookActive(store: Store, actor: Account, id: number, active: boolean, now = new Date()): Promise<WebhookView> {
  allowed(actor);
  await store.writeTransaction(async (trx) => {
    if (!(await repo.findWebhook(trx, id))) throw new AppError('not_found', `There is no webhook ${id}.`);
    await repo.updateWebhook(trx, id, { active: active ? 1 : 0, updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor.id, action: active ? 'webhook.enable' : 'webhook.disable', subject: `webhook:${id}` }, now);
  });
  store.changes.announce([key.webhooks]);
  return getWebhook(store, actor, id);
}

/** A new secret for the endpoint, returned once; the old one also signs for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(store: Store, actor: Account, id: number, now = new Date()): Promise<{ webhook: WebhookView; secret: string }> {
  allowed(actor);
  const secret = newSecret();
  await store.writeTransaction(async (trx) => {
    const row = await repo.findWebhook(trx, id);
    if (!row) throw new AppError('not_found', `There is no webhook ${id}.`);
    await repo.updateWebhook(trx, id, { secret, previous_secret: row.secret, previous_until: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(), updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.rotate', subject: `webhook:${id}` }, now);
  });
  return { webhook: await getWebhook(store, actor, id), secret };
}

/** Removes an endpoint and its delivery log. */
export async function deleteWebhook(store: Store, actor: Account, id: number, now = new Date()): Promise<void> {
  allowed(actor);
  await store.writeTransaction(async (trx) => {
    const row = await repo.findWebhook(trx, id);
    if (!row) throw new AppError('not_found', `There is no webhook ${id}.`);
    await repo.deleteWebhook(trx, id);
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.delete', subject: `webhook:${id}`, details: { url: row.url } }, now);
  });
  store.changes.announce([key.webhooks]);
}

/** Queues a `webhook.test` event for this endpoint only, delivered like any other. */
export async function sendTestEvent(store: Store, actor: Account, id: number, now = new Date()): Promise<void> {
  allowed(actor);
  await store.writeTransaction(async (trx) => {
    const row = await repo.findWebhook(trx, id);
    if (!row) throw new AppError('not_found', `There is no webhook ${id}.`);
    if (row.active !== 1) throw new AppError('conflict', 'This webhook is disabled: enable it to send a test.');
    await recordEvent(trx, { type: TEST_EVENT, data: { webhookId: id, message: 'A test event sent from the newsroom.' } }, now, [id]);
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.test', subject: `webhook:${id}` }, now);
  });
}

/** The endpoint's newest deliveries, each with its attempts. */
export async function deliveryLog(store: Store, actor: Account, id: number, limit = LOG_LENGTH): Promise<DeliveryView[]> {
  allowed(actor);
  const deliveries = await repo.deliveriesOf(store.db, id, limit);
  const attempts = await repo.attemptsOf(store.db, deliveries.map((d) => d.id));
  return deliveries.map((d) => toDelivery(d, attempts));
}

/** One delivery of the endpoint with its payload and every attempt. */
export async function getDelivery(store: Store, actor: Account, webhookId: number, deliveryId: number): Promise<DeliveryView> {
  allowed(actor);
  const d = await repo.deliveryOf(store.db, webhookId, deliveryId);
  if (!d) throw new AppError('not_found', `There is no delivery ${deliveryId} of webhook ${webhookId}.`);
  return toDelivery(d, await repo.attemptsOf(store.db, [d.id]));
}

/** Sends a finished (failed or delivered) delivery again, due now, with the attempt count kept. */
export async function retryDelivery(store: Store, actor: Account, webhookId: number, deliveryId: number, now = new Date()): Promise<void> {
  allowed(actor);
  await store.writeTransaction(async (trx) => {
    const d = await repo.findDelivery(trx, deliveryId);
    if (!d || d.webhook_id !== webhookId) throw new AppError('not_found', `There is no delivery ${deliveryId} of webhook ${webhookId}.`);
    if (d.status === 'pending') throw new AppError('conflict', 'This delivery is still waiting to be sent.');
    await repo.requeueDelivery(trx, deliveryId, now.toISOString());
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.resend', subject: `webhook:${webhookId}`, details: { delivery: deliveryId } }, now);
  });
}
