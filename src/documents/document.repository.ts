// Primary documents a report rests on: a title, and where the publication holds the file, its SHA-256.
import type { Db } from '../db/store.ts';

export interface NewDocument {
  title: string;
  filePath: string | null;
  mediaType: string | null;
  sha256: string | null;
  createdAt: string;
}

export async function insertDocument(db: Db, d: NewDocument): Promise<number> {
  const row = await db
    .insertInto('documents')
    .values({ title: d.title, file_path: d.filePath, media_type: d.mediaType, sha256: d.sha256, created_at: d.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
