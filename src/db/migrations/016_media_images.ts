// Pictures (issue 12): the media library's images with their editorial text, focal point and the
// renditions made from them once at upload; an article's lead image from the library with an optional
// crop for that use; and which library images an article's body shows, so the library can tell where an
// item is used and pages follow a replaced file.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from '../store.ts';

export async function up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('media_images')
    .addColumn('id', 'integer', dialect.idColumn)
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    // SHA-256 of the stored original's bytes; its folder under MEDIA_DIR is named by it.
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('original_path', 'text', (c) => c.notNull())
    // JSON: the renditions made at upload (src/media/image.renditions.ts).
    .addColumn('renditions', 'text', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decorative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
    // Focal point in thousandths of the width and height from the top-left corner.
    .addColumn('focal_x', 'integer', (c) => c.notNull().defaultTo(500))
    .addColumn('focal_y', 'integer', (c) => c.notNull().defaultTo(500))
    // Whether the stored original kept all of its metadata (IMAGE_KEEP_METADATA at upload).
    .addColumn('metadata_kept', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_images_created_idx').on('media_images').columns(['created_at', 'id']).execute();

  await db.schema.alterTable('articles').addColumn('lead_image_id', 'integer', (c) => c.references('media_images.id').onDelete('set null')).execute();
  // JSON { x, y, w, h } in thousandths of the image, or null for the whole picture.
  await db.schema.alterTable('articles').addColumn('lead_image_crop', 'text').execute();
  await db.schema.createIndex('articles_lead_image_idx').on('articles').column('lead_image_id').execute();

  await db.schema
    .createTable('article_images')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('image_id', 'integer', (c) => c.notNull().references('media_images.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('article_images_pk', ['article_id', 'image_id'])
    .execute();
  await db.schema.createIndex('article_images_image_idx').on('article_images').column('image_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_images').execute();
  await db.schema.dropIndex('articles_lead_image_idx').execute();
  await db.schema.alterTable('articles').dropColumn('lead_image_crop').execute();
  await db.schema.alterTable('articles').dropColumn('lead_image_id').execute();
  await db.schema.dropTable('media_images').execute();
}
