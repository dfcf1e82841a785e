// Primary documents: uploaded from the newsroom (their SHA-256 computed from the bytes stored), listed for
// attaching to sources, and offered to readers once an article that cites them is published. Article
// writes that describe a document without a file record it in their own transaction (recordDocument).
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ensureCan, type Account } from '../accounts/permissions.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import type { Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { documentIsPublic } from '../articles/article.lookups.ts';
import { forgetFile, receiveFile, storedPath, type DocumentFiles } from './document.files.ts';
import * as repo from './document.repository.ts';

export type { NewDocument } from './document.repository.ts';
export type { DocumentFiles } from './document.files.ts';

/** Stores a document's description (and its file's hash when held); returns its id. */
export function recordDocument(db: Db, d: repo.NewDocument): Promise<number> {
  return repo.insertDocument(db, d);
}

export interface StoredDocument {
  id: number;
  title: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  /** Where readers download it (answers only once a published article cites it). */
  downloadPath: string;
}

/** A safe last segment for the download address: the uploaded name without anything odd. */
export function downloadName(fileName: string, id: number): string {
  const cleaned = fileName.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 120);
  return cleaned || `document-${id}`;
}

function toStored(row: repo.DocumentRow): StoredDocument | null {
  if (!row.file_path || !row.sha256 || !row.media_type) return null;
  const id = Number(row.id);
  return {
    id,
    title: row.title,
    fileName: row.file_name,
    mediaType: row.media_type,
    sizeBytes: Number(row.size_bytes ?? 0),
    sha256: row.sha256,
    createdAt: row.created_at,
    downloadPath: `/documents/${id}/${downloadName(row.file_name, id)}`,
  };
}

const titleField = z.string().trim().max(300, 'Use at most 300 characters.');

export interface DocumentUpload {
  title: string;
  fileName: string;
  stream: Readable;
  /** The upload was cut off at the multipart limit. */
  truncated(): boolean;
}

/**
 * Stores an uploaded document and its row; a file that fails any check, or whose row cannot be written,
 * leaves no file and no row. Anyone who writes articles may upload.
 */
export async function uploadDocument(store: Store, files: DocumentFiles, actor: Account, upload: DocumentUpload, now = new Date()): Promise<StoredDocument> {
  ensureCan(actor, 'article.create');
  const title = titleField.safeParse(upload.title);
  if (!title.success) {
    upload.stream.resume();
    throw new AppError('invalid_input', 'Some fields need attention.', { title: title.error.issues[0]!.message });
  }
  const fileName = upload.fileName.slice(0, 255);
  if (!fileName) {
    upload.stream.resume();
    throw new AppError('invalid_input', 'Choose a file.', { file: 'Choose the file to upload.' });
  }
  const received = await receiveFile(files, upload.stream, upload.truncated);
  try {
    const id = await store.writeTransaction(async (trx) => {
      const id = await repo.insertDocument(trx, {
        title: title.data || fileName.replace(/\.[^.]+$/, ''),
        filePath: received.relativePath,
        mediaType: received.mediaType,
        sha256: received.sha256,
        createdAt: now.toISOString(),
        fileName,
        sizeBytes: received.sizeBytes,
        uploadedBy: actor.id,
      });
      await recordAudit(trx, { actorId: actor.id, action: 'document.upload', subject: `document:${id}`, details: { sha256: received.sha256, bytes: received.sizeBytes } }, now);
      return id;
    });
    return toStored((await repo.documentById(store.db, id))!)!;
  } catch (error) {
    if (received.created) await forgetFile(files, received.relativePath);
    throw error;
  }
}

/** Held documents for the newsroom's list and source picker, newest first. */
export async function listDocuments(store: Store, actor: Account, contains = '', limit = 100): Promise<StoredDocument[]> {
  ensureCan(actor, 'article.create');
  return (await repo.heldDocuments(store.db, contains.trim().slice(0, 100), limit)).map(toStored).filter((d): d is StoredDocument => d !== null);
}

/** Whether a document row exists (held or only described). */
export async function documentExists(db: Db, id: number): Promise<boolean> {
  return (await repo.documentById(db, id)) !== undefined;
}

/** Titles of documents by id, for the newsroom's source picker and revision diffs. */
export async function documentTitles(db: Db, ids: readonly number[]): Promise<Map<number, { title: string; held: boolean }>> {
  const rows = await repo.documentsByIds(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [Number(r.id), { title: r.title, held: r.file_path !== null }]));
}

export async function getDocument(store: Store, id: number): Promise<StoredDocument> {
  const row = await repo.documentById(store.db, id);
  const stored = row ? toStored(row) : null;
  if (!stored) throw new AppError('not_found', 'There is no such document.');
  return stored;
}

/** A held document's file as stored: what `gazette media verify` hashes again. */
export interface HeldDocumentFile {
  id: number;
  fileName: string;
  /** Storage key under MEDIA_DIR (documents/ab/<sha256>.<ext>). */
  filePath: string;
  /** SHA-256 recorded at upload. */
  sha256: string;
}

/** Held documents' files, oldest first, `limit` at a time after `afterId` (0 to start), with their count. */
export async function heldDocumentFiles(db: Db, afterId: number, limit = 200): Promise<HeldDocumentFile[]> {
  const rows = await repo.heldDocumentFiles(db, afterId, limit);
  return rows.map((r) => ({ id: Number(r.id), fileName: r.file_name, filePath: r.file_path!, sha256: r.sha256 ?? '' }));
}

/** How many documents have a file held (for a progress bar). */
export function countHeldDocuments(db: Db): Promise<number> {
  return repo.countHeldDocuments(db);
}

export interface DocumentDownload extends StoredDocument {
  absolutePath: string;
}

/**
 * A document for readers: only a held file that a published article cites (a document attached to an
 * embargoed draft is not offered before its article is out).
 */
export async function publicDocument(store: Store, files: DocumentFiles, id: number): Promise<DocumentDownload> {
  const stored = await getDocument(store, id);
  if (!(await documentIsPublic(store.db, id))) throw new AppError('not_found', 'There is no such document.');
  return { ...stored, absolutePath: storedPath(files, (await repo.documentById(store.db, id))!.file_path!) };
}

/** A document for staff (any held file, published or not). */
export async function staffDocument(store: Store, files: DocumentFiles, actor: Account, id: number): Promise<DocumentDownload> {
  ensureCan(actor, 'article.create');
  const stored = await getDocument(store, id);
  return { ...stored, absolutePath: storedPath(files, (await repo.documentById(store.db, id))!.file_path!) };
}
