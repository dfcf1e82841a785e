// `gazette copy --from URL --to URL` moves a whole site between stores (SQLite <-> PostgreSQL);
// `gazette export` (src/cli/export.ts) writes the canonical export that tells two copies are the same.
import { parseArgs } from 'node:util';
import { ConfigError, describeDatabase, loadConfig, type DatabaseTarget } from '../config.ts';
import { copyContent, unaccountedTables } from '../db/copy.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { EVERYTHING, type Store } from '../db/store.ts';
import { rebuildIndex } from '../search/indexing.ts';
import { progress } from './progress.ts';
import { useDatabase } from './database.ts';

export const COPY_USAGE = `  copy      Copy the whole site into another, empty database:
            gazette copy --from URL --to URL (file:… or postgres://…; --from defaults to DATABASE_URL)`;

export class CopyUsageError extends Error {}

function target(flag: string, value: string): DatabaseTarget {
  try {
    return loadConfig({ ...process.env, DATABASE_URL: value }).database;
  } catch (error) {
    if (error instanceof ConfigError) {
      const problem = error.problems.find((p) => p.startsWith('DATABASE_URL')) ?? error.problems[0] ?? '';
      throw new CopyUsageError(`gazette copy: ${flag} ${problem.replace(/^DATABASE_URL: /, '')}`);
    }
    throw error;
  }
}

/** gazette copy --from URL --to URL */
export async function runCopy(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (positionals.length) throw new CopyUsageError(`gazette copy: unexpected argument "${positionals[0]}"`);
  const fromUrl = values.from ?? process.env.DATABASE_URL;
  if (!fromUrl) throw new CopyUsageError('gazette copy: --from URL is required (or set DATABASE_URL)');
  if (!values.to) throw new CopyUsageError('gazette copy: --to URL is required, e.g. --to postgres://user@host:5432/gazette');
  const from = target('--from', fromUrl);
  const to = target('--to', values.to);
  if (describeDatabase(from) === describeDatabase(to)) throw new CopyUsageError('gazette copy: --from and --to name the same database');

  useDatabase(from, 'copy');
  console.error(`gazette: copying into ${describeDatabase(to)}`);
  const source = await openStore(from);
  let destination: Store | null = null;
  try {
    destination = await openStore(to);
    await migrateToLatest(source);
    await migrateToLatest(destination);
    const missing = await unaccountedTables(source);
    if (missing.length) throw new Error(`gazette copy does not know the table(s) ${missing.join(', ')}; update CONTENT_TABLES in src/db/copy.ts`);
    const started = Date.now();
    let bar: ReturnType<typeof progress> | null = null;
    let current = '';
    const copied = await copyContent(source, destination, (table, done, total) => {
      if (table !== current) {
        bar?.stop();
        current = table;
        bar = progress(table.padEnd(16));
      }
      bar!.update(done, total);
    });
    (bar as ReturnType<typeof progress> | null)?.stop();
    const indexBar = progress('Search index'.padEnd(16));
    const indexed = await rebuildIndex(destination, indexBar.update);
    indexBar.stop();
    destination.changes.announce([EVERYTHING]);
    console.log(`Copied ${copied} row(s) and indexed ${indexed} published article(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await source.close();
    await destination?.close();
  }
  return 0;
}
