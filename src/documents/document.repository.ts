// Primary documents a report rests on: a title, and where the publication holds the file, its name, size,
// media type and SHA-256. Only src/documents/ reads or writes this table (the article pages' source query
// joins it for the hash it shows).
import type { Db } from '../db/store.ts';
import type { DocumentRow } from '../db/schema.ts';

export type { DocumentRow };

export interface NewDocument {
  title: string;
  filePath: string | null;
  mediaType: string | null;
  sha256: string | null;
  createdAt: string;
  fileName?: string;
  sizeBytes?: number | null;
  uploadedBy?: number | null;
}

export async function insertDocument(db: Db, d: NewDocument): Promise<number> {
  const row = await db
    .insertInto('documents')
    .values({
      title: d.title,
      file_path: d.filePath,
      media_type: d.mediaType,
      sha256: d.sha256,
      created_at: d.createdAt,
      file_name: d.fileName ?? '',
      size_bytes: d.sizeBytes ?? null,
      uploaded_by: d.uploadedBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export function documentById(db: Db, id: number): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function documentsByIds(db: Db, ids: readonly number[]): Promise<DocumentRow[]> {
  return ids.length ? db.selectFrom('documents').selectAll().where('id', 'in', [...ids]).execute() : Promise.resolve([]);
}

/** Held documents, newest first, optionally those whose title or file name contains the text. */
export function heldDocuments(db: Db, contains: string, limit: number): Promise<DocumentRow[]> {
  let q = db.selectFrom('documents').selectAll().where('file_path', 'is not', null).orderBy('id', 'desc').limit(limit);
  if (contains) {
    const pattern = `%${contains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['title']), 'like', pattern), eb(eb.fn('lower', ['file_name']), 'like', pattern)]));
  }
  return q.execute();
}

/** Held documents' files, oldest first, a batch after the given id at a time (gazette media verify). */
export function heldDocumentFiles(db: Db, afterId: number, limit: number): Promise<Pick<DocumentRow, 'id' | 'file_path' | 'sha256' | 'file_name'>[]> {
  return db
    .selectFrom('documents')
    .select(['id', 'file_path', 'sha256', 'file_name'])
    .where('file_path', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countHeldDocuments(db: Db): Promise<number> {
  const r = await db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('file_path', 'is not', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
