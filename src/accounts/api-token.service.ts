// API tokens (issue 13, decision 0025): content keys, which tell the site who reads the Content API, and
// admin tokens, which act as a staff account through the Admin API with a role no higher than that
// account's. A token is `gzt_` and 43 random characters, shown once; only its SHA-256 digest is stored.
// The command line (actor null) and administrators make, list and revoke them. None of this imports Fastify.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { sha256Hex } from '../lib/hash.ts';
import type { Store } from '../db/store.ts';
import type { Role } from '../db/schema.ts';
import * as repo from './api-token.repository.ts';
import { userByEmail } from './account.repository.ts';
import { recordAudit } from './audit.service.ts';
import { ROLES, ensureCan, type Account } from './permissions.ts';

export type ApiTokenKind = 'content' | 'admin';
export const API_TOKEN_KINDS: readonly ApiTokenKind[] = ['content', 'admin'];

/** What a list of tokens shows: never the token, only its first characters. */
export interface ApiTokenSummary {
  id: number;
  kind: ApiTokenKind;
  name: string;
  /** The token's first characters, e.g. `gzt_Ab3d`. */
  hint: string;
  /** Admin tokens: the role asked for when it was made (the account's role caps it). */
  role: Role | null;
  /** Admin tokens: the account it acts as; `integration` when it was made for the token. */
  actingAs: { id: number; name: string; email: string; integration: boolean; disabled: boolean } | null;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewApiTokenInput {
  kind: string;
  name: string;
  /** Admin tokens only. */
  role?: string;
  /** Admin tokens only: the email of the account to act as; without it, an integration account is made. */
  user?: string;
}

/** Who a token says is calling: a content key's name, or the account an admin token acts as. */
export type ApiCaller = { kind: 'content'; tokenId: number; name: string } | { kind: 'admin'; tokenId: number; name: string; account: Account };

/** Why a token was refused (each gets its own 401 message). */
export type ApiTokenRefusal = 'unknown' | 'revoked' | 'disabled' | 'wrong_kind';

export const TOKEN_PREFIX = 'gzt_';
const TOKEN_SHAPE = /^gzt_[A-Za-z0-9_-]{43}$/;
/** How often a token's last use is written down (not on every request). */
const TOUCH_EVERY_MS = 60_000;
const RANK: Record<Role, number> = { contributor: 0, author: 1, editor: 2, admin: 3 };

/** The lower of two roles. */
const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

const tokenInput = z
  .object({
    kind: z.enum(API_TOKEN_KINDS as [ApiTokenKind, ...ApiTokenKind[]], { error: 'Choose content or admin.' }),
    name: z.string().trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.'),
    role: z.enum(ROLES as [Role, ...Role[]], { error: `Choose one of ${ROLES.join(', ')}.` }).optional(),
    user: z.string().trim().max(254).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'admin' && !value.role) ctx.addIssue({ code: 'custom', path: ['role'], message: `An admin token needs a role: ${ROLES.join(', ')}.` });
    if (value.kind === 'content' && value.role) ctx.addIssue({ code: 'custom', path: ['role'], message: 'A content key has no role: it reads public content only.' });
    if (value.kind === 'content' && value.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'A content key acts as nobody.' });
  });

function parseInput(input: NewApiTokenInput): z.output<typeof tokenInput> {
  const clean = { ...input, role: input.role || undefined, user: input.user || undefined };
  const result = tokenInput.safeParse(clean);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  throw new AppError('invalid_input', 'Some fields need attention.', fields);
}

/** An email for an integration account that no mail can reach (`.invalid` is reserved for this). */
function integrationEmail(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'token';
  return `${slug}-${randomBytes(4).toString('hex')}@api-token.invalid`;
}

/** The account an admin token acts as: the named one (its role must allow the token's), or a new integration account. */
async function actingAccount(trx: Store['db'], data: z.output<typeof tokenInput>, now: string): Promise<number> {
  const role = data.role!;
  if (!data.user) return repo.insertIntegrationUser(trx, { email: integrationEmail(data.name), name: data.name, role, now });
  const user = await userByEmail(trx, data.user.toLowerCase());
  if (!user) throw new AppError('invalid_input', 'Some fields need attention.', { user: `No staff account has the address ${data.user}.` });
  if (user.disabled === 1) throw new AppError('invalid_input', 'Some fields need attention.', { user: 'This account is disabled.' });
  if (RANK[role] > RANK[user.role]) throw new AppError('invalid_input', 'Some fields need attention.', { role: `A token cannot do more than its account: ${user.email} is ${user.role}.` });
  return Number(user.id);
}

/**
 * Makes a token and returns it with its summary: the only time the token itself is seen. `actor` is null
 * for the command line; otherwise an administrator.
 */
export async function createApiToken(store: Store, actor: Account | null, input: NewApiTokenInput, now = new Date()): Promise<{ token: string; summary: ApiTokenSummary }> {
  if (actor) ensureCan(actor, 'user.manage');
  const data = parseInput(input);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const at = now.toISOString();
  const id = await store.writeTransaction(async (trx) => {
    const userId = data.kind === 'admin' ? await actingAccount(trx, data, at) : null;
    const id = await repo.insertApiToken(trx, {
      kind: data.kind,
      name: data.name,
      tokenHash: sha256Hex(token),
      hint: token.slice(0, TOKEN_PREFIX.length + 4),
      userId,
      role: data.role ?? null,
      createdBy: actor?.id ?? null,
      now: at,
    });
    const details = { kind: data.kind, name: data.name, ...(data.role ? { role: data.role, acting: `user:${userId}` } : {}), via: actor ? 'admin' : 'command line' };
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'api_token.create', subject: `api_token:${id}`, details }, now);
    return id;
  });
  const summary = (await listApiTokens(store, null)).find((t) => t.id === id)!;
  return { token, summary };
}

/** Every token, newest first. */
export async function listApiTokens(store: Store, actor: Account | null): Promise<ApiTokenSummary[]> {
  if (actor) ensureCan(actor, 'user.manage');
  const rows = await repo.allApiTokens(store.db);
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    name: r.name,
    hint: r.hint,
    role: r.role,
    actingAs:
      r.user_id === null
        ? null
        : { id: Number(r.user_id), name: r.user_name ?? '', email: r.user_email ?? '', integration: r.user_integration === 1, disabled: r.user_disabled === 1 },
    createdBy: r.maker_name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Stops a token working at once. Revoking one twice is refused (409), an unknown id is 404. */
export async function revokeApiToken(store: Store, actor: Account | null, id: number, now = new Date()): Promise<void> {
  if (actor) ensureCan(actor, 'user.manage');
  await store.writeTransaction(async (trx) => {
    const row = await repo.apiTokenById(trx, id);
    if (!row) throw new AppError('not_found', `There is no API token ${id}.`);
    if (!(await repo.revokeApiToken(trx, id, now.toISOString()))) throw new AppError('conflict', `API token ${id} was revoked already.`);
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'api_token.revoke', subject: `api_token:${id}`, details: { kind: row.kind, name: row.name } }, now);
  });
}

/** Whether a string has the shape of a token (checked before any database lookup). */
export const looksLikeApiToken = (value: string) => TOKEN_SHAPE.test(value);

/**
 * The caller a token names, for the API's auth hooks: refused when unknown, revoked, of the other kind, or
 * (admin tokens) when its account is disabled. An admin token acts with the lower of its role and its
 * account's role now. The last use is written at most once a minute.
 */
export async function resolveApiToken(store: Store, token: string, kind: ApiTokenKind, now = new Date()): Promise<ApiCaller | ApiTokenRefusal> {
  if (!looksLikeApiToken(token)) return 'unknown';
  const row = await repo.apiTokenByHash(store.db, sha256Hex(token));
  if (!row) return 'unknown';
  if (row.revoked_at !== null) return 'revoked';
  if (row.kind !== kind) return 'wrong_kind';
  if (row.kind === 'admin' && (row.user_id === null || row.disabled !== 0)) return 'disabled';
  const id = Number(row.id);
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await store.writeTransaction((trx) => repo.touchApiToken(trx, id, now.toISOString()));
  }
  if (row.kind === 'content') return { kind: 'content', tokenId: id, name: row.name };
  const account: Account = {
    id: Number(row.user_id),
    email: row.email!,
    name: row.user_name!,
    role: lowerRole(row.token_role ?? 'contributor', row.user_role!),
    personId: row.person_id ?? null,
  };
  return { kind: 'admin', tokenId: id, name: row.name, account };
}
