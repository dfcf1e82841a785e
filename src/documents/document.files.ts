// The bytes of uploaded documents under MEDIA_DIR: streamed to a temporary file while their SHA-256 and
// size are counted, judged by their content (file-type), then moved to a content-addressed name
// (documents/ab/abcdef….pdf) that cannot collide. A file that fails a check leaves nothing behind.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';

/** Media types a document may have, with the extension its stored name gets. */
export const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};

export interface DocumentFiles {
  /** MEDIA_DIR, absolute. */
  dir: string;
  maxBytes: number;
}

export interface ReceivedFile {
  /** Path under MEDIA_DIR, e.g. documents/3f/3fa4….pdf */
  relativePath: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  /** The file was not there before (so a failed database write removes it). */
  created: boolean;
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

class TooLarge extends Error {}

/** Receives a stream into MEDIA_DIR; throws a field-named AppError (and keeps nothing) when it fails a check. */
export async function receiveFile(files: DocumentFiles, source: Readable, truncated: () => boolean): Promise<ReceivedFile> {
  const tmpDir = path.join(files.dir, 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > files.maxBytes) return done(new TooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, fs.createWriteStream(tmp, { flags: 'wx' }));
    if (truncated()) throw new TooLarge();
    if (size === 0) throw new AppError('invalid_input', 'The file is empty.', { file: 'The file is empty. Choose the document again.' });
    const { fileTypeFromFile } = await import('file-type');
    const type = (await fileTypeFromFile(tmp))?.mime;
    const ext = type ? DOCUMENT_TYPES[type] : undefined;
    if (!type || !ext) {
      throw new AppError('unsupported_media_type', 'This kind of file is not accepted.', {
        file: `This file is ${type ? `of type ${type}` : 'of a kind we do not recognise'}. Upload a PDF, or an image in JPEG, PNG, WebP, GIF or AVIF.`,
      });
    }
    const sha256 = hash.digest('hex');
    const relativePath = path.posix.join('documents', sha256.slice(0, 2), `${sha256}.${ext}`);
    const target = path.join(files.dir, relativePath);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const created = !fs.existsSync(target);
    if (created) await fs.promises.rename(tmp, target);
    else await fs.promises.rm(tmp, { force: true });
    return { relativePath, sha256, sizeBytes: size, mediaType: type, created };
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    if (error instanceof TooLarge) throw new AppError('payload_too_large', 'The file is too large.', { file: `The file is larger than ${megabytes(files.maxBytes)}, the largest accepted (DOCUMENT_MAX_MB).` });
    throw error;
  }
}

/** Removes a stored file again (its database row could not be written). */
export async function forgetFile(files: DocumentFiles, relativePath: string): Promise<void> {
  await fs.promises.rm(path.join(files.dir, relativePath), { force: true });
}

/** The absolute path of a stored file, refusing anything that would leave MEDIA_DIR. */
export function storedPath(files: DocumentFiles, relativePath: string): string {
  const full = path.resolve(files.dir, relativePath);
  if (!full.startsWith(path.resolve(files.dir) + path.sep)) throw new AppError('not_found', 'There is no such document.');
  return full;
}
