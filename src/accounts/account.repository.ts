// The tables of staff accounts: users, sessions, single-use links, failed sign-ins and the audit log.
// Only src/accounts/ reads or writes them.
import type { Db } from '../db/store.ts';
import type { AuditRow, Role, SessionRow, UserRow } from '../db/schema.ts';

export type { AuditRow, SessionRow, UserRow };

export function userById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function userByEmail(db: Db, emailLower: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_lower', '=', emailLower).executeTakeFirst();
}

export function allUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('password_hash', '!=', '')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  personId: number | null;
  now: string;
}

export async function insertUser(db: Db, u: NewUser): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      email_lower: u.email.toLowerCase(),
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      person_id: u.personId,
      created_at: u.now,
      updated_at: u.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<Pick<UserRow, 'name' | 'role' | 'password_hash' | 'disabled' | 'person_id' | 'totp_secret' | 'recovery_codes' | 'totp_last_step' | 'last_sign_in_at'>> & { updated_at: string },
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Ends every session of the account: sessions of an older generation are refused. */
export async function bumpSessionGeneration(db: Db, id: number, now: string): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ session_generation: eb('session_generation', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
}

export async function insertSession(db: Db, s: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(s).execute();
}

/** The session with its account, by the digest of the cookie value. */
export function sessionWithUser(db: Db, idHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.generation',
      'sessions.csrf_token',
      'sessions.pending_second_factor',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.role',
      'users.person_id',
      'users.disabled',
      'users.session_generation',
      'users.totp_secret',
      'users.totp_last_step',
      'users.recovery_codes',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function updateSession(db: Db, idHash: string, changes: Partial<Pick<SessionRow, 'pending_second_factor' | 'last_seen_at'>>): Promise<void> {
  await db.updateTable('sessions').set(changes).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Db, idleBefore: string, now: string): Promise<void> {
  await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)])).execute();
}

export function sessionsOf(db: Db, userId: number): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
}

export async function insertToken(db: Db, t: { tokenHash: string; kind: 'invite' | 'reset'; userId: number; createdBy: number | null; now: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({ token_hash: t.tokenHash, kind: t.kind, user_id: t.userId, created_by: t.createdBy, created_at: t.now, expires_at: t.expiresAt, used_at: null })
    .execute();
}

export function tokenByHash(db: Db, tokenHash: string) {
  return db.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks the link used; false when it was used already (another request won). */
export async function useToken(db: Db, tokenHash: string, now: string): Promise<boolean> {
  const result = await db.updateTable('account_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Earlier unused links of a kind stop working when a new one is sent. */
export async function retireTokens(db: Db, userId: number, kind: 'invite' | 'reset', now: string): Promise<void> {
  await db.updateTable('account_tokens').set({ used_at: now }).where('user_id', '=', userId).where('kind', '=', kind).where('used_at', 'is', null).execute();
}

export async function recordFailure(db: Db, subject: string, at: string): Promise<void> {
  await db.insertInto('signin_failures').values({ subject, at }).execute();
}

export async function failuresSince(db: Db, subject: string, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('signin_failures')
    .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('subject', '=', subject)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}

export async function clearFailures(db: Db, subject: string): Promise<void> {
  await db.deleteFrom('signin_failures').where('subject', '=', subject).execute();
}

export async function pruneFailures(db: Db, before: string): Promise<void> {
  await db.deleteFrom('signin_failures').where('at', '<', before).execute();
}

export async function insertAudit(db: Db, e: { at: string; actorId: number | null; actorName: string; action: string; subject: string; details: string }): Promise<void> {
  await db.insertInto('audit_log').values({ at: e.at, actor_id: e.actorId, actor_name: e.actorName, action: e.action, subject: e.subject, details: e.details }).execute();
}

export function auditPage(db: Db, filter: { action?: string; actorId?: number }, limit: number, beforeId?: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (filter.action) q = q.where('action', 'like', `${filter.action}%`);
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.execute();
}

export async function userName(db: Db, id: number): Promise<string> {
  return (await db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '';
}

export async function siteStateValue(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('site_state').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function keepSiteStateValue(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('site_state').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
}
