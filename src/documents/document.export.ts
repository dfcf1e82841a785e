// Primary documents as `gazette export` writes them (decision 0032): their description and, for a held
// file, the address readers download it from; the files stay in MEDIA_DIR.
import type { Db } from '../db/store.ts';
import { downloadName } from './document.service.ts';
import * as repo from './document.export.repository.ts';

export interface ExportedDocument {
  id: number;
  title: string;
  fileName: string;
  mediaType: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  /** Whether the site holds the file; a held file is downloaded at downloadPath once a published article cites it. */
  held: boolean;
  downloadPath: string | null;
  createdAt: string;
}

/** Up to `limit` documents after the id `afterId`, in id order. */
export async function documentsForExport(db: Db, afterId: number, limit: number): Promise<ExportedDocument[]> {
  return (await repo.documentRowsAfter(db, afterId, limit)).map((r) => {
    const id = Number(r.id);
    const held = r.file_path !== null;
    return {
      id,
      title: r.title,
      fileName: r.file_name,
      mediaType: r.media_type,
      sha256: r.sha256,
      sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
      held,
      downloadPath: held ? `/documents/${id}/${downloadName(r.file_name, id)}` : null,
      createdAt: r.created_at,
    };
  });
}
