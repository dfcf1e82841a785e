// Reader comments and mail opt-outs. Schema builder only, so the same migration runs on SQLite and PostgreSQL.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('comments')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('author_name', 'text', (c) => c.notNull())
    // Editors only: never selected by any public query (see comment.repository.ts).
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('author_email_lower', 'text', (c) => c.notNull())
    // HMAC of the address with the server secret: seeds the generated avatar, so public queries never need the address.
    .addColumn('avatar_key', 'text', (c) => c.notNull())
    .addColumn('author_url', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'spam', 'trash')`))
    .addColumn('moderation_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notify', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text')
    .execute();
  await db.schema.createIndex('comments_article_status_idx').on('comments').columns(['article_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('comments_email_lower_idx').on('comments').columns(['author_email_lower', 'status']).execute();
  // The duplicate check looks up one address's comments on one article.
  await db.schema.createIndex('comments_article_email_idx').on('comments').columns(['article_id', 'author_email_lower']).execute();
  await db.schema.createIndex('comments_status_created_idx').on('comments').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('mail_optouts')
    // A keyed HMAC of the address, so the table itself holds no address.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_optouts').execute();
  await db.schema.dropTable('comments').execute();
}
