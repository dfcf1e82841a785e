// Section pages list a section's newest articles. With only (status, published_at) indexed, a small
// section meant walking every newer article of the site and reading its row to check the section
// (seconds at 100,000 articles); this index answers it directly.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('articles_section_status_published_idx').on('articles').columns(['section_id', 'status', 'published_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('articles_section_status_published_idx').execute();
}
