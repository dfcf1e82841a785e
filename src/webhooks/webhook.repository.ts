// Kysely queries over the webhook tables (migration 019). The tables are this capability's own, so their
// types live here rather than in db/schema.ts: every query goes through `tables(db)`, which adds them to
// the Kysely instance (or transaction) it is given.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/store.ts';
import { reusableQuery } from '../db/reusable-query.ts';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookTable {
  id: Generated<number>;
  url: string;
  description: string;
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_until: string | null;
  allow_private: number;
  active: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookEventTable {
  id: Generated<number>;
  message_id: string;
  type: string;
  payload: string;
  created_at: string;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  event_id: number;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  claim_token: string | null;
  last_status_code: number | null;
  created_at: string;
  completed_at: string | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  started_at: string;
  duration_ms: number;
  outcome: string;
  status_code: number | null;
  response_excerpt: string;
  error: string;
}

type WebhookTables = {
  webhooks: WebhookTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
};

export type WebhookRow = Selectable<WebhookTable>;
export type NewWebhookRow = Insertable<WebhookTable>;
export type WebhookPatch = Updateable<WebhookTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;
export type NewAttemptRow = Insertable<WebhookAttemptTable>;

const tables = (db: Db) => db.withTables<WebhookTables>();

// ---- endpoints ----

export function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return tables(db).selectFrom('webhooks').selectAll().orderBy('id').execute();
}

export function activeWebhooks(db: Db): Promise<WebhookRow[]> {
  return activeWebhookRows(db);
}

/** Read in the transaction of every new comment (its events' subscribers): compiled once, a named statement on PostgreSQL (decision 0057). */
const activeWebhookRows = reusableQuery((db) => tables(db).selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id'));

export function findWebhook(db: Db, id: number): Promise<WebhookRow | undefined> {
  return tables(db).selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Db, row: NewWebhookRow): Promise<number> {
  const r = await tables(db).insertInto('webhooks').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateWebhook(db: Db, id: number, patch: WebhookPatch): Promise<void> {
  await tables(db).updateTable('webhooks').set(patch).where('id', '=', id).execute();
}

/** Removes an endpoint with its deliveries and their attempts (events other endpoints share stay). */
export async function deleteWebhook(db: Db, id: number): Promise<void> {
  const t = tables(db);
  await t.deleteFrom('webhook_attempts').where('delivery_id', 'in', t.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id)).execute();
  await t.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await t.deleteFrom('webhooks').where('id', '=', id).execute();
}

// ---- the outbox ----

export async function insertEvent(db: Db, row: Insertable<WebhookEventTable>): Promise<number> {
  const r = await tables(db).insertInto('webhook_events').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertDeliveries(db: Db, rows: readonly Insertable<WebhookDeliveryTable>[]): Promise<void> {
  if (rows.length) await tables(db).insertInto('webhook_deliveries').values([...rows]).execute();
}

/** Deliveries a worker may take now: pending, due, not held by a live claim, for an active endpoint. */
function due(db: Db, now: string) {
  const t = tables(db);
  return t
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .where('webhook_id', 'in', t.selectFrom('webhooks').select('id').where('active', '=', 1));
}

/**
 * Whether any endpoint is active and whether any delivery is due, in one read (so an idle worker never
 * takes the write lock); compiled once.
 */
export async function lookDue(db: Db, now: string): Promise<{ active: boolean; due: boolean }> {
  const [row] = await lookRows(db, now);
  // PostgreSQL answers booleans, SQLite 0 or 1.
  return { active: Boolean(row?.active), due: Boolean(row?.due) };
}

const lookRows = reusableQuery((db, now: string) =>
  db.selectNoFrom((eb) => [
    eb.exists(tables(db).selectFrom('webhooks').select('id').where('active', '=', 1)).as('active'),
    eb.exists(due(db, now)).as('due'),
  ]),
);

/**
 * Claims up to `limit` due deliveries for `token` until `until`. The outer WHERE repeats the claim test,
 * so on either engine a row another worker claimed in between is left alone (PostgreSQL re-checks it
 * on the locked row; SQLite runs one writer at a time). Returns how many were claimed.
 */
export async function claimDue(db: Db, now: string, until: string, token: string, limit: number): Promise<number> {
  const ids = due(db, now).orderBy('next_attempt_at').orderBy('id').limit(limit);
  const result = await tables(db)
    .updateTable('webhook_deliveries')
    .set({ claimed_until: until, claim_token: token })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What a worker needs to send the deliveries it claimed with `token`. */
export function claimedBy(db: Db, token: string) {
  return tables(db)
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.attempts', 'd.webhook_id', 'w.url', 'w.secret', 'w.previous_secret', 'w.previous_until', 'w.allow_private', 'e.message_id', 'e.type', 'e.payload'])
    .where('d.claim_token', '=', token)
    .where('d.status', '=', 'pending')
    .orderBy('d.id')
    .execute();
}

export type ClaimedRow = Awaited<ReturnType<typeof claimedBy>>[number];

export async function insertAttempt(db: Db, row: NewAttemptRow): Promise<void> {
  await tables(db).insertInto('webhook_attempts').values(row).execute();
}

/** Records an attempt's result on a delivery still held by `token`; false when the claim was lost. */
export async function finishAttempt(db: Db, id: number, token: string, patch: Updateable<WebhookDeliveryTable>): Promise<boolean> {
  const r = await tables(db)
    .updateTable('webhook_deliveries')
    .set({ ...patch, claimed_until: null, claim_token: null })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findDelivery(db: Db, id: number): Promise<DeliveryRow | undefined> {
  return tables(db).selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Puts a delivery back in the queue, due now (an admin's "send again"). */
export async function requeueDelivery(db: Db, id: number, now: string): Promise<void> {
  await tables(db).updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: now, completed_at: null, claimed_until: null, claim_token: null }).where('id', '=', id).execute();
}

// ---- the log ----

/** An endpoint's newest deliveries with their event, newest first. */
export function deliveriesOf(db: Db, webhookId: number, limit: number) {
  return tables(db)
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.created_at', 'd.completed_at', 'd.claimed_until', 'e.type', 'e.message_id', 'e.payload'])
    .where('d.webhook_id', '=', webhookId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

export type LoggedDeliveryRow = Awaited<ReturnType<typeof deliveriesOf>>[number];

export async function deliveryOf(db: Db, webhookId: number, id: number): Promise<LoggedDeliveryRow | undefined> {
  return tables(db)
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.created_at', 'd.completed_at', 'd.claimed_until', 'e.type', 'e.message_id', 'e.payload'])
    .where('d.webhook_id', '=', webhookId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export function attemptsOf(db: Db, deliveryIds: readonly number[]): Promise<AttemptRow[]> {
  if (!deliveryIds.length) return Promise.resolve([]);
  return tables(db).selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', [...deliveryIds]).orderBy('delivery_id').orderBy('attempt').execute();
}

/** The newest delivery's status of each endpoint, by endpoint id. */
export async function lastDeliveries(db: Db): Promise<Map<number, { status: DeliveryStatus; lastStatusCode: number | null; createdAt: string }>> {
  const t = tables(db);
  const rows = await t
    .selectFrom('webhook_deliveries as d')
    .select(['d.webhook_id', 'd.status', 'd.last_status_code', 'd.created_at'])
    .where('d.id', 'in', t.selectFrom('webhook_deliveries').select((eb) => eb.fn.max('id').as('id')).groupBy('webhook_id'))
    .execute();
  return new Map(rows.map((r) => [r.webhook_id, { status: r.status, lastStatusCode: r.last_status_code, createdAt: r.created_at }]));
}

/**
 * Removes finished deliveries (and their attempts) completed before `before`, then events no delivery
 * refers to any more that are older than it. Returns the deliveries removed.
 */
export async function pruneBefore(db: Db, before: string): Promise<number> {
  const t = tables(db);
  const old = t.selectFrom('webhook_deliveries').select('id').where('status', 'in', ['succeeded', 'failed']).where('completed_at', '<', before);
  await t.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
  const removed = await t.deleteFrom('webhook_deliveries').where('status', 'in', ['succeeded', 'failed']).where('completed_at', '<', before).executeTakeFirst();
  await t
    .deleteFrom('webhook_events')
    .where('created_at', '<', before)
    .where('id', 'not in', t.selectFrom('webhook_deliveries').select('event_id'))
    .execute();
  return Number(removed.numDeletedRows);
}
