// Upkeep of the files the library holds, for `gazette media verify` and `gazette media regenerate`.
// verifyMedia hashes every held file again (documents, and pictures' stored originals) against the
// SHA-256 recorded at upload, and checks that every rendition a picture's plan names exists.
// regenerateImages makes each picture's renditions again from its stored original with the widths
// configured now (after IMAGE_WIDTHS changed), keeping the editors' crops, and removes the files the new
// plan no longer names. Documents belong to src/documents/ and are asked through its service; files are
// read only through MediaStorage.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { countHeldDocuments, heldDocumentFiles } from '../documents/document.service.ts';
import { imageJob, makeRenditions } from './image.pipeline.ts';
import { allKeys, parseRenditions, planRenditions, type CropBox, type Renditions } from './image.renditions.ts';
import { leftBehind, type MediaDeps } from './image.service.ts';
import type { MediaStorage } from './media.storage.ts';
import * as repo from './image.repository.ts';

const BATCH = 200;

/** Reports progress of work of known size (the CLI draws a bar with it). */
export type ProgressReport = (done: number, total: number) => void;

/** One thing wrong with a held file. */
export interface MediaProblem {
  kind: 'document' | 'picture';
  id: number;
  /** The name it was uploaded under. */
  fileName: string;
  /** The storage key of the file concerned. */
  file: string;
  problem: 'missing' | 'changed' | 'rendition-missing' | 'no-hash';
  /** For 'changed': the SHA-256 of the bytes found now. */
  found?: string;
  /** The SHA-256 recorded at upload. */
  recorded?: string;
}

export interface VerifyResult {
  documents: number;
  pictures: number;
  /** Files hashed or looked for: documents, originals and renditions. */
  files: number;
  problems: MediaProblem[];
}

/** SHA-256 of a stored object's bytes, or null when storage holds no such object. */
async function storedSha256(storage: MediaStorage, fileKey: string): Promise<string | null> {
  const object = await storage.get(fileKey);
  if (!object) return null;
  const hash = createHash('sha256');
  await pipeline(object.stream(), hash);
  return hash.digest('hex');
}

/** What is wrong with one held file whose SHA-256 was recorded, or null when its bytes match. */
async function checkHash(storage: MediaStorage, fileKey: string, recorded: string): Promise<Pick<MediaProblem, 'problem' | 'found' | 'recorded'> | null> {
  const found = await storedSha256(storage, fileKey).catch(() => null);
  if (found === null) return { problem: 'missing', recorded };
  if (!recorded) return { problem: 'no-hash', found };
  return found === recorded ? null : { problem: 'changed', found, recorded };
}

/**
 * Hashes every held document and every picture's stored original again, and looks for every rendition
 * the pictures' plans name. Reads only; the problems list says what is wrong with which file.
 */
export async function verifyMedia(deps: Pick<MediaDeps, 'store' | 'storage'>, onProgress: ProgressReport = () => {}): Promise<VerifyResult> {
  const { db } = deps.store;
  const total = (await countHeldDocuments(db)) + (await repo.countImages(db));
  const result: VerifyResult = { documents: 0, pictures: 0, files: 0, problems: [] };
  let done = 0;
  onProgress(0, total);

  for (let after = 0; ; ) {
    const batch = await heldDocumentFiles(db, after, BATCH);
    if (!batch.length) break;
    for (const doc of batch) {
      const wrong = await checkHash(deps.storage, doc.filePath, doc.sha256);
      if (wrong) result.problems.push({ kind: 'document', id: doc.id, fileName: doc.fileName, file: doc.filePath, ...wrong });
      result.documents++;
      result.files++;
      onProgress(++done, total);
    }
    after = batch.at(-1)!.id;
  }

  for (let after = 0; ; ) {
    const rows = await repo.imagesAfter(db, after, BATCH);
    if (!rows.length) break;
    for (const row of rows) {
      result.problems.push(...(await verifyPicture(deps.storage, row)));
      result.pictures++;
      result.files += 1 + allKeys(parseRenditions(row.renditions)).length;
      onProgress(++done, total);
    }
    after = Number(rows.at(-1)!.id);
  }
  return result;
}

async function verifyPicture(storage: MediaStorage, row: repo.ImageRow): Promise<MediaProblem[]> {
  const about = { kind: 'picture' as const, id: Number(row.id), fileName: row.file_name };
  const problems: MediaProblem[] = [];
  const wrong = await checkHash(storage, row.original_path, row.sha256);
  if (wrong) problems.push({ ...about, file: row.original_path, ...wrong });
  for (const fileKey of allKeys(parseRenditions(row.renditions))) {
    if (!(await storage.exists(fileKey))) problems.push({ ...about, file: fileKey, problem: 'rendition-missing' });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Regenerating

export interface RegenerateResult {
  /** Pictures whose files and plan now follow the configured widths. */
  done: number;
  /** Files written and removed, over all pictures. */
  written: number;
  removed: number;
  /** Pictures left as they were, and why (their original is missing, or could not be read). */
  skipped: { id: number; fileName: string; file: string; reason: string }[];
}

export interface RegenerateOptions {
  /** Only this picture. */
  id?: number;
  onProgress?: ProgressReport;
  now?: Date;
}

const sameBox = (a: CropBox, b: CropBox) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

/**
 * The crops a regenerated plan keeps: those articles use (articleImageUsage.crops), and those already in
 * the plan (a crop made for an article whose save has not landed yet must not lose its files).
 */
function cropsToKeep(used: readonly CropBox[], plan: Renditions): CropBox[] {
  const kept: CropBox[] = [];
  for (const box of [...used, ...plan.crops.map((c) => c.box)]) if (!kept.some((k) => sameBox(k, box))) kept.push(box);
  return kept;
}

/** The plan a picture gets from the widths configured now. */
function currentPlan(row: repo.ImageRow, before: Renditions, crops: readonly CropBox[], widths: readonly number[]): Renditions {
  return planRenditions({
    sha256: row.sha256,
    mediaType: row.media_type,
    // Only animated pictures are planned in WebP and GIF (formatsFor).
    animated: before.formats.includes('gif'),
    width: row.width,
    height: row.height,
    focal: { x: row.focal_x, y: row.focal_y },
    widths,
    crops,
  });
}

/** The original's bytes in a local scratch file, for sharp to read (storage may be remote). */
async function localCopy(storage: MediaStorage, originalPath: string): Promise<string> {
  const file = await storage.scratchPath('.src');
  await fs.promises.writeFile(file, await storage.read(originalPath));
  return file;
}

type Outcome = { written: number; removed: number } | { skipped: string; file: string };

/**
 * Makes one picture's files for the widths configured now and records the new plan. Optimistic: when
 * the picture changed while its files were made (an edit, a new crop), it starts again from the new row.
 */
async function regenerateOne(deps: MediaDeps, id: number, now: Date): Promise<Outcome | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await repo.imageById(deps.store.db, id);
    if (!row) return null;
    if (!(await deps.storage.exists(row.original_path))) return { skipped: 'its stored original is missing', file: row.original_path };
    const before = parseRenditions(row.renditions);
    const after = currentPlan(row, before, cropsToKeep(await deps.usage.crops(deps.store.db, id), before), deps.settings.widths);
    let written: string[];
    try {
      written = await imageJob(async () => {
        const original = await localCopy(deps.storage, row.original_path);
        try {
          return await makeRenditions(deps.storage, { file: original, width: row.width, height: row.height, animated: after.formats.includes('gif'), maxPixels: deps.settings.maxPixels }, after, { x: row.focal_x, y: row.focal_y });
        } finally {
          await fs.promises.rm(original, { force: true });
        }
      });
    } catch (error) {
      return { skipped: `its stored original could not be read (${error instanceof Error ? error.message : String(error)})`, file: row.original_path };
    }
    const recorded = await deps.store.writeTransaction(async (trx) => {
      const current = await repo.imageById(trx, id);
      if (!current || current.renditions !== row.renditions) return false;
      await repo.updateImage(trx, id, { renditions: JSON.stringify(after), updated_at: now.toISOString() });
      return true;
    });
    if (!recorded) continue;
    deps.store.changes.announce([key.image(id)]);
    const gone = await leftBehind(deps.store.db, row, before, after);
    await Promise.all(gone.map((k) => deps.storage.remove(k)));
    return { written: written.length, removed: gone.length };
  }
  return { skipped: 'it kept changing while its files were made; run the command again', file: '' };
}

/**
 * Rebuilds the renditions of every picture (or one) from its stored original with the configured widths:
 * files already there are kept, missing ones made, ones the new plan does not name removed, and pages
 * showing the picture dropped from the cache. Safe to run again. A picture whose original is missing is
 * reported and left alone; the others are done.
 */
export async function regenerateImages(deps: MediaDeps, options: RegenerateOptions = {}): Promise<RegenerateResult> {
  const { db } = deps.store;
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => {});
  const result: RegenerateResult = { done: 0, written: 0, removed: 0, skipped: [] };
  const total = options.id === undefined ? await repo.countImages(db) : 1;
  let count = 0;
  progress(0, total);
  const handle = async (row: repo.ImageRow) => {
    const outcome = await regenerateOne(deps, Number(row.id), now);
    if (outcome && 'skipped' in outcome) result.skipped.push({ id: Number(row.id), fileName: row.file_name, file: outcome.file, reason: outcome.skipped });
    else if (outcome) {
      result.done++;
      result.written += outcome.written;
      result.removed += outcome.removed;
    }
    progress(++count, total);
  };
  if (options.id !== undefined) {
    const row = await repo.imageById(db, options.id);
    if (!row) throw new AppError('not_found', `There is no picture ${options.id} in the library.`);
    await handle(row);
    return result;
  }
  for (let after = 0; ; ) {
    const rows = await repo.imagesAfter(db, after, BATCH);
    if (!rows.length) break;
    for (const row of rows) await handle(row);
    after = Number(rows.at(-1)!.id);
  }
  return result;
}
