// Staff accounts (decision 0019): people who sign in to /admin, their sessions kept in the database (so
// several app nodes share them), single-use links (invitations, password resets), failed sign-ins for the
// rate limit, and the audit log of who did what. Readers never have accounts.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'author', 'contributor')`))
    // argon2id PHC string; empty until an invited person chooses a password.
    .addColumn('password_hash', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    // The byline this account writes as, when linked (people are owned by src/people/).
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    // Base32 TOTP secret once a second factor is confirmed; recovery codes as a JSON list of digests.
    .addColumn('totp_secret', 'text')
    .addColumn('recovery_codes', 'text', (c) => c.notNull().defaultTo('[]'))
    // The TOTP time step last accepted: a code is never accepted twice.
    .addColumn('totp_last_step', 'integer', (c) => c.notNull().defaultTo(0))
    // Bumped by "sign out everywhere", a password change and disabling: sessions of an older generation end.
    .addColumn('session_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    // SHA-256 of the cookie's value: a copy of the table cannot be replayed as cookies.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    // Signed in with the password, waiting for the second factor.
    .addColumn('pending_second_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invite', 'reset')`))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').columns(['user_id', 'kind']).execute();

  await db.schema
    .createTable('signin_failures')
    .addColumn('id', 'integer', dialect.idColumn)
    // 'account:<email in lower case>' or 'address:<ip>'.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signin_failures_subject_idx').on('signin_failures').columns(['subject', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    // The actor's name when the entry was written, kept if the account is removed later.
    .addColumn('actor_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'signin_failures', 'account_tokens', 'sessions', 'users']) await db.schema.dropTable(table).execute();
}
