// `gazette media verify` and `gazette media regenerate [--id N]`: the library's files checked against the
// SHA-256 recorded at upload, and pictures' renditions rebuilt after IMAGE_WIDTHS changed. Both show a
// progress bar on a terminal and plain lines otherwise.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { articleImageUsage } from '../articles/article.images.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import type { Store } from '../db/store.ts';
import { forTerminal } from '../lib/terminal-text.ts';
import { regenerateImages, verifyMedia, type MediaProblem } from '../media/image.maintenance.ts';
import type { MediaDeps } from '../media/image.service.ts';
import { localStorage } from '../media/media.storage.ts';
import { progress } from './progress.ts';

export const MEDIA_USAGE = `Usage: gazette media <action>

Actions:
  verify                  Hash every held document and picture original again and compare it with the
                          SHA-256 recorded at upload; check that every picture's renditions exist.
                          Exit status 1, naming each file, when anything is missing or changed
  regenerate [--id N]     Make every picture's renditions again from its stored original with the
                          current IMAGE_WIDTHS (editors' crops kept; files no longer needed removed).
                          Safe to run again; a picture whose original is missing is reported and skipped

Files are under MEDIA_DIR.`;

export class MediaUsageError extends Error {}

function mediaDeps(config: Config, store: Store): MediaDeps {
  return { store, storage: localStorage(config.mediaDir), settings: config.images, usage: articleImageUsage };
}

/** One line naming the file and what is wrong with it. */
export function describeProblem(p: MediaProblem): string {
  const what = `${p.kind} ${p.id} (“${forTerminal(p.fileName)}”)`;
  switch (p.problem) {
    case 'missing':
      return `${what}: ${p.kind === 'picture' ? 'stored original' : 'file'} ${p.file} is missing`;
    case 'changed':
      return `${what}: ${p.file} no longer matches: its SHA-256 is ${p.found}, ${p.recorded} was recorded at upload`;
    case 'no-hash':
      return `${what}: ${p.file} has no SHA-256 recorded to compare with (now ${p.found})`;
    case 'rendition-missing':
      return `${what}: rendition ${p.file} is missing (gazette media regenerate --id ${p.id} makes it again)`;
  }
}

async function verify(config: Config): Promise<number> {
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    const bar = progress('Verifying');
    const result = await verifyMedia(mediaDeps(config, store), bar.update);
    bar.stop();
    const held = `${result.documents} document(s) and ${result.pictures} picture(s), ${result.files} file(s)`;
    if (!result.problems.length) {
      console.log(`All ${held} match what was recorded.`);
      return 0;
    }
    for (const p of result.problems) console.log(describeProblem(p));
    const items = new Set(result.problems.map((p) => `${p.kind}:${p.id}`)).size;
    console.error(`gazette media verify: ${result.problems.length} problem(s) in ${items} item(s), out of ${held}.`);
    return 1;
  } finally {
    await store.close();
  }
}

async function regenerate(config: Config, id: number | undefined): Promise<number> {
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    const started = Date.now();
    const bar = progress('Pictures');
    const result = await regenerateImages(mediaDeps(config, store), { ...(id === undefined ? {} : { id }), onProgress: bar.update });
    bar.stop();
    console.log(
      `Regenerated ${result.done} picture(s) for widths ${config.images.widths.join(', ')}: ${result.written} file(s) made, ${result.removed} removed, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    for (const s of result.skipped) console.log(`picture ${s.id} (“${forTerminal(s.fileName)}”) skipped: ${s.reason}${s.file ? ` (${s.file})` : ''}`);
    if (result.skipped.length) {
      console.error(`gazette media regenerate: ${result.skipped.length} picture(s) skipped; the others are done.`);
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** gazette media verify | regenerate [--id N] */
export async function runMedia(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { id: { type: 'string' } } });
  const [action, ...rest] = positionals;
  if (rest.length) throw new MediaUsageError(`unexpected argument "${rest[0]}"`);
  if (action === 'verify') {
    if (values.id !== undefined) throw new MediaUsageError('verify checks every file; --id belongs to regenerate');
    return verify(config);
  }
  if (action === 'regenerate') {
    if (values.id !== undefined && !/^[1-9]\d{0,9}$/.test(values.id)) throw new MediaUsageError(`--id expects a picture's id, a whole number (got "${values.id}")`);
    return regenerate(config, values.id === undefined ? undefined : Number(values.id));
  }
  throw new MediaUsageError(action ? `unknown action "${action}"` : 'say which action: verify or regenerate');
}
