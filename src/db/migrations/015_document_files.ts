// Documents uploaded from the newsroom (issue 11): the file's name as uploaded, its size, and who uploaded
// it, beside the title, stored path, media type and SHA-256 the table already had.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('documents').addColumn('file_name', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('documents').addColumn('size_bytes', 'integer').execute();
  await db.schema.alterTable('documents').addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('documents').dropColumn('uploaded_by').execute();
  await db.schema.alterTable('documents').dropColumn('size_bytes').execute();
  await db.schema.alterTable('documents').dropColumn('file_name').execute();
}
