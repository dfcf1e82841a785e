// API tokens (issue 13, decision 0025): content keys that say which site reads the Content API, and admin
// tokens that act as a staff account through the Admin API. Only a SHA-256 digest of a token is kept; the
// token itself is shown once. An admin token made without a person to act as gets a staff row of its own
// that cannot sign in (`integration`), so audit entries and ownership name it like anyone else.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('integration', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('content', 'admin')`))
    .addColumn('name', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the whole token: a copy of the table cannot be used to call the API.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The token's first characters, shown in lists so a person can tell their tokens apart.
    .addColumn('hint', 'text', (c) => c.notNull())
    // Admin tokens: the account they act as, and the most they may do (never more than the account's role).
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.check(sql`role is null or role in ('admin', 'editor', 'author', 'contributor')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
  await db.schema.alterTable('users').dropColumn('integration').execute();
}
