// The api_tokens table (018): content keys and admin tokens, kept as SHA-256 digests. Only src/accounts/
// reads or writes it.
import type { Db } from '../db/store.ts';
import type { ApiTokenRow, Role } from '../db/schema.ts';

export type { ApiTokenRow };

export interface NewApiToken {
  kind: 'content' | 'admin';
  name: string;
  tokenHash: string;
  hint: string;
  userId: number | null;
  role: Role | null;
  createdBy: number | null;
  now: string;
}

export async function insertApiToken(db: Db, t: NewApiToken): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({ kind: t.kind, name: t.name, token_hash: t.tokenHash, hint: t.hint, user_id: t.userId, role: t.role, created_by: t.createdBy, created_at: t.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A token with the account it acts as (admin tokens), by the digest of the token. */
export function apiTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.kind',
      'api_tokens.name',
      'api_tokens.role as token_role',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'users.id as user_id',
      'users.email',
      'users.name as user_name',
      'users.role as user_role',
      'users.person_id',
      'users.disabled',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Every token with the names of the account it acts as and of its maker, newest first. */
export function allApiTokens(db: Db) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('users as acting', 'acting.id', 'api_tokens.user_id')
    .leftJoin('users as maker', 'maker.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id',
      'api_tokens.kind',
      'api_tokens.name',
      'api_tokens.hint',
      'api_tokens.role',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'acting.id as user_id',
      'acting.email as user_email',
      'acting.name as user_name',
      'acting.integration as user_integration',
      'acting.disabled as user_disabled',
      'maker.name as maker_name',
    ])
    .orderBy('api_tokens.id', 'desc')
    .execute();
}

export function apiTokenById(db: Db, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeApiToken(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Db, id: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** A staff row that cannot sign in (no password, `integration`), for an admin token made without a person. */
export async function insertIntegrationUser(db: Db, u: { email: string; name: string; role: Role; now: string }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email: u.email, email_lower: u.email.toLowerCase(), name: u.name, role: u.role, password_hash: '', person_id: null, integration: 1, created_at: u.now, updated_at: u.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
