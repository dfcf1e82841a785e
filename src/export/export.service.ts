// `gazette export --format wxr|json FILE` (decision 0032): the whole site, streamed into a temporary file
// beside FILE and renamed onto it once complete, so FILE is either the old file or the whole new export,
// never half of one. Readers' addresses are read at all only for a private export, whose file name must
// say so.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../db/store.ts';
import type { SettingsDefaults } from '../settings/settings.service.ts';
import { readSite } from './site-content.ts';
import { writeJson, type JsonCounts } from './json.writer.ts';
import { writeWxr, type Sink, type WxrCounts } from './wxr.writer.ts';

export const EXPORT_FORMATS = ['wxr', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a private export's file name must contain. */
export const PRIVATE_MARK = 'private';

export interface ExportOptions {
  format: ExportFormat;
  file: string;
  /** Include readers' addresses (and IPs): an export for the site's own keeping, never to publish. */
  private: boolean;
  publicUrl: string;
  defaults: SettingsDefaults;
  now?: Date;
}

export interface ExportResult {
  file: string;
  bytes: number;
  counts: WxrCounts | JsonCounts;
}

/** An export refused before anything was read: a bad name or a place that cannot be written. */
export class ExportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRefused';
  }
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Why this file name cannot take this export, or null: a private export's name must contain "private". */
export function fileNameProblem(file: string, isPrivate: boolean): string | null {
  if (isPrivate && !path.basename(file).toLowerCase().includes(PRIVATE_MARK))
    return `a private export holds readers' email addresses, so its file name must say so: "${path.basename(file)}" does not contain "${PRIVATE_MARK}" (for example ${suggestPrivateName(file)})`;
  return null;
}

/** FILE with "-private" before its extension. */
export function suggestPrivateName(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}-${PRIVATE_MARK}${ext}`);
}

/** A temporary name beside the target, in the same folder, so the final rename stays on one file system. */
function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
}

function placeProblem(file: string, error: NodeJS.ErrnoException): string {
  const folder = path.dirname(path.resolve(file));
  if (error.code === 'ENOENT') return `cannot write ${file}: the folder ${folder} does not exist`;
  if (error.code === 'EACCES' || error.code === 'EPERM') return `cannot write ${file}: no permission to write in ${folder}`;
  if (error.code === 'ENOTDIR') return `cannot write ${file}: ${folder} is not a folder`;
  if (error.code === 'EROFS') return `cannot write ${file}: the file system is read-only`;
  return `cannot write ${file}: ${error.message}`;
}

/** Refuses, before the database is opened, an export that could not be written. */
export async function checkTarget(file: string, isPrivate: boolean): Promise<void> {
  const problem = fileNameProblem(file, isPrivate);
  if (problem) throw new ExportRefused(problem);
  const stat = await fs.stat(file).catch(() => null);
  if (stat?.isDirectory()) throw new ExportRefused(`cannot write ${file}: it is a folder; name a file`);
  const probe = temporaryName(file);
  try {
    await (await fs.open(probe, 'wx')).close();
  } catch (error) {
    throw new ExportRefused(placeProblem(file, error as NodeJS.ErrnoException));
  }
  await fs.rm(probe, { force: true });
}

/** A file written in 64 KiB pieces. */
class FileSink implements Sink {
  private pending: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly handle: fs.FileHandle) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending.length) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.size = 0;
    await this.handle.write(chunk);
    this.bytes += chunk.length;
  }
}

/**
 * Writes the whole site to options.file in the format asked for. The file appears only once complete:
 * any failure removes the temporary file and leaves whatever was at options.file before.
 */
export async function exportSite(store: Store, options: ExportOptions): Promise<ExportResult> {
  await checkTarget(options.file, options.private);
  const temporary = temporaryName(options.file);
  // A private export is readable by its owner only.
  const handle = await fs.open(temporary, 'wx', options.private ? 0o600 : 0o644);
  let closed = false;
  try {
    const sink = new FileSink(handle);
    const site = await readSite(store.db, { publicUrl: options.publicUrl, defaults: options.defaults, private: options.private });
    const counts = options.format === 'wxr' ? await writeWxr(site, sink) : await writeJson(site, sink, (options.now ?? new Date()).toISOString());
    await sink.flush();
    await handle.sync();
    await handle.close();
    closed = true;
    await fs.rename(temporary, options.file);
    return { file: options.file, bytes: sink.bytes, counts };
  } catch (error) {
    if (!closed) await handle.close().catch(() => {});
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
