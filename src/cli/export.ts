// `gazette export`: the whole site in a file (decision 0032).
//   gazette export --format wxr|json [--private] FILE   a WordPress export (WXR 1.2) or one JSON document
//   gazette export [--out FILE]                          the canonical JSON lines `gazette copy` is checked with
// The two live side by side: without --format the command does what it always did (its output is
// compared byte for byte between copies, so it stays as it is); --format asks for a file meant to be
// moved to another site.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import type { Config } from '../config.ts';
import { canonicalExport, exportText } from '../db/copy.ts';
import { openStore } from '../db/database.ts';
import { checkTarget, EXPORT_FORMATS, exportSite, ExportRefused, isExportFormat, suggestPrivateName, type ExportResult } from '../export/export.service.ts';

export const EXPORT_USAGE = `  export    Write the whole site to a file:
            gazette export --format wxr FILE    a WordPress export (WXR 1.2): WordPress's importer and
                                                "gazette import wordpress" read it
            gazette export --format json FILE   the site as one JSON document
            --private  also write readers' email addresses (the file name must contain "private")
            gazette export [--out FILE]          canonical JSON lines (addresses only as digests), what
                                                "gazette copy" is checked with`;

export class ExportUsageError extends Error {}

/** Exit status when the export file cannot be created (EX_CANTCREAT from sysexits.h). */
export const EX_CANTCREAT = 73;

/** The canonical JSON lines, to stdout or --out FILE (the export `gazette copy` is compared with). */
async function canonical(config: Config, out: string | undefined): Promise<number> {
  const store = await openStore(config.database);
  try {
    if (!out) {
      for await (const line of canonicalExport(store)) if (!process.stdout.write(`${line}\n`)) await new Promise((r) => process.stdout.once('drain', r));
      return 0;
    }
    fs.writeFileSync(out, await exportText(store));
    console.error(`gazette: wrote ${out}`);
  } finally {
    await store.close();
  }
  return 0;
}

function describeResult(format: string, result: ExportResult): string {
  const counts = Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ');
  return `Wrote ${result.file} (${format}, ${result.bytes} bytes): ${counts}.`;
}

/** gazette export … */
export async function runExport(args: string[], loadConfig: () => Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { out: { type: 'string' }, format: { type: 'string' }, private: { type: 'boolean' } } });
  const format = values.format;
  if (format === undefined) {
    if (values.private) throw new ExportUsageError('--private goes with --format wxr or --format json (the canonical export holds addresses only as digests)');
    if (positionals.length) throw new ExportUsageError(`unexpected argument "${positionals[0]}" (to write a file, give --format wxr|json FILE, or --out FILE for the canonical JSON lines)`);
    return canonical(loadConfig(), values.out);
  }
  if (!isExportFormat(format)) throw new ExportUsageError(`unknown format "${format}": --format takes ${EXPORT_FORMATS.join(' or ')}`);
  if (values.out !== undefined && positionals.length) throw new ExportUsageError('give the file once: as FILE or as --out FILE');
  const file = values.out ?? positionals[0];
  if (!file) throw new ExportUsageError(`the file to write is missing: gazette export --format ${format} FILE`);
  if (positionals.length > (values.out === undefined ? 1 : 0)) throw new ExportUsageError(`unexpected argument "${positionals[values.out === undefined ? 1 : 0]}"`);
  const isPrivate = values.private ?? false;

  // A name or place that cannot take the file is refused before the database is opened.
  try {
    await checkTarget(file, isPrivate);
  } catch (error) {
    if (!(error instanceof ExportRefused)) throw error;
    console.error(`gazette export: ${error.message}`);
    return EX_CANTCREAT;
  }
  const config = loadConfig();
  if (isPrivate) console.error(`gazette export: WARNING: ${file} will hold readers' email addresses and IP addresses. Keep it private: do not publish or share it.`);
  const store = await openStore(config.database);
  try {
    const result = await exportSite(store, { format, file, private: isPrivate, publicUrl: config.publicUrl, defaults: { siteName: config.siteName, siteLanguage: config.siteLanguage } });
    console.log(describeResult(format, result));
    if (!isPrivate) console.error(`gazette export: no reader's email address is in ${file}; to keep them, export again with --private to a file such as ${suggestPrivateName(file)}.`);
  } catch (error) {
    if (!(error instanceof ExportRefused)) throw error;
    console.error(`gazette export: ${error.message}`);
    return EX_CANTCREAT;
  } finally {
    await store.close();
  }
  return 0;
}
