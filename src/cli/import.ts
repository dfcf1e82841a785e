// `gazette import wordpress FILE.xml [--dry-run] [--uploads DIR] [--default-author EMAIL] [--skip-pingbacks]`:
// a WordPress export (WXR 1.0–1.2) read as a stream and written as it is read, in one transaction
// (src/import/, decisions 0028, 0029 and 0030).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { resolveSecret } from '../comments/comment.service.ts';
import { forTerminal } from '../lib/terminal-text.ts';
import { DefaultAuthorUnknown, importWordpress, OUTCOMES, type ImportProgress, type ImportSummary } from '../import/wordpress.import.ts';
import { WxrError } from '../import/wxr.parser.ts';
import { fileProgress, progress } from './progress.ts';
import { heapCeiling } from '../lib/heap.ts';
import { localStorage } from '../media/media.storage.ts';

export const IMPORT_USAGE = `Usage: gazette import wordpress FILE.xml [options]

Imports a WordPress export (Tools → Export in WordPress; WXR 1.0, 1.1 or 1.2): authors become people,
categories sections, tags tags, posts articles (only published posts are public; drafts, pending,
scheduled, private and password-protected posts become drafts), pages static pages, comments comments
with their threads and status, attachments pictures of the media library (from --uploads), featured
images lead images. The file is read as a stream and written as it is read, in one transaction: a fatal
error, or a file found broken half-way, changes nothing (files stored on the way are removed). Running it
again with the same export updates what it imported before.

Options:
  --dry-run               Do everything, then undo it: report what an import would do (no file is stored)
  --uploads DIR           A copy of the site's wp-content/uploads folder: pictures are taken from it
                          (without it, every attachment is reported missing and content keeps the
                          pictures' original addresses)
  --default-author EMAIL  Credit posts with no author, or one missing from the export's list of
                          authors, to the listed author with this email
  --skip-pingbacks        Leave pingbacks and trackbacks out

Old addresses (the site's permalinks, /?p=ID, categories, tags, authors, feeds, uploads) answer with a
redirect to the new ones. Not imported yet: audio, video and documents (content links to their original
addresses).`;

export class ImportUsageError extends Error {}

/** Exit status for a file that is not a WordPress export Gazette can read (EX_DATAERR from sysexits.h). */
export const EX_DATAERR = 65;

/** The summary printed after an import: one line per kind, then the reasons. */
export function describeSummary(summary: ImportSummary): string {
  const lines = [summary.dryRun ? `Dry run: nothing was changed. An import of ${summary.site} would give:` : `Imported from ${summary.site}:`];
  for (const [kind, counts] of Object.entries(summary.counts)) {
    lines.push(`  ${kind}: ${OUTCOMES.map((o) => `${counts[o]} ${o}`).join(', ')}`);
  }
  if (!Object.keys(summary.counts).length) lines.push('  nothing to import');
  const notes = summary.notes.filter((n) => n.outcome !== 'imported');
  if (notes.length) lines.push('Skipped or failed:');
  for (const n of notes) lines.push(`  ${n.kind} ${n.wpId}: ${n.outcome}: ${n.reason}`);
  const remarks = summary.notes.filter((n) => n.outcome === 'imported' && n.kind === 'featured image');
  if (remarks.length) lines.push('Notes:');
  for (const n of remarks) lines.push(`  post ${n.wpId}: ${n.reason}`);
  // Names and reasons may quote the export's text: each line is made safe for a terminal on its own.
  return lines.map(forTerminal).join('\n');
}

const number = (n: number) => n.toLocaleString('en-US');

/** Heap in use above which the import collects its garbage: what it keeps is well under this. */
const HEAP_CEILING_BYTES = 96 * 1024 * 1024;

/** The counts shown beside the progress bar. */
function progressDetail(p: ImportProgress): string {
  return `${number(p.posts)} posts, ${number(p.comments)} comments`;
}

/** gazette import wordpress FILE.xml … */
export async function runImport(args: string[], loadConfig: () => Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { 'dry-run': { type: 'boolean' }, uploads: { type: 'string' }, 'default-author': { type: 'string' }, 'skip-pingbacks': { type: 'boolean' } },
  });
  const [source, file, ...rest] = positionals;
  if (source !== 'wordpress') throw new ImportUsageError(source ? `unknown source "${source}" (only wordpress is imported)` : 'say what to import: gazette import wordpress FILE.xml');
  if (!file) throw new ImportUsageError('the WordPress export file is missing');
  if (rest.length) throw new ImportUsageError(`unexpected argument "${rest[0]}"`);
  const defaultAuthor = values['default-author'];
  if (defaultAuthor !== undefined && !/^[^\s@]+@[^\s@]+$/.test(defaultAuthor)) throw new ImportUsageError(`--default-author expects an email address, not "${defaultAuthor}"`);

  const uploads = values.uploads === undefined ? undefined : path.resolve(values.uploads);
  if (uploads !== undefined && !fs.statSync(uploads, { throwIfNoEntry: false })?.isDirectory()) throw new ImportUsageError(`--uploads: ${values.uploads} is not a folder (give a copy of wp-content/uploads)`);

  const config = loadConfig();
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    const secret = await resolveSecret(store.db, config);
    const bar = fileProgress(values['dry-run'] ? 'Checking' : 'Importing');
    const checkAlso = progress('Computing "Check Also"');
    // Memory that does not grow with the file: its garbage is collected as it is read (src/lib/heap.ts).
    const heap = heapCeiling(HEAP_CEILING_BYTES);
    const options = {
      dryRun: values['dry-run'] ?? false,
      defaultAuthor,
      skipPingbacks: values['skip-pingbacks'] ?? false,
      secret,
      media: { storage: localStorage(config.mediaDir), settings: config.images },
      ...(uploads && { uploads }),
      database: config.database,
      onProgress: (p: ImportProgress) => {
        bar.update(p.bytesRead, p.totalBytes, progressDetail(p));
        heap.check();
      },
      onCheckAlso: (done: number, total: number) => {
        if (done === 0) bar.stop();
        checkAlso.update(done, total);
        heap.check();
      },
    };
    let summary: ImportSummary;
    try {
      summary = await importWordpress(store, file, options);
    } catch (error) {
      // The file is read as it is written: a problem found half-way undid everything written before it.
      bar.stop();
      checkAlso.stop();
      if (error instanceof DefaultAuthorUnknown) throw new ImportUsageError(`--default-author: no author in ${file} has the email ${error.email}`);
      if (!(error instanceof WxrError)) throw error;
      console.error(`gazette import: ${forTerminal(error.message)}\nNothing was imported.`);
      return EX_DATAERR;
    }
    bar.stop();
    checkAlso.stop();
    console.log(describeSummary(summary));
    return Object.values(summary.counts).some((c) => c.failed > 0) ? 1 : 0;
  } finally {
    await store.close();
  }
}
