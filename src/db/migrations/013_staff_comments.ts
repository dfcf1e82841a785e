// Staff replies (issue 11, moderation on screen): a comment written by a staff account through /admin
// records that account, so the public page can mark it as staff without showing any address. Null for
// readers' comments and for replies made with `gazette comments reply` (no account behind them).
// No foreign key: accounts are disabled, never deleted, and the column must not tie the comments table
// to the accounts capability's tables.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('staff_account_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').dropColumn('staff_account_id').execute();
}
