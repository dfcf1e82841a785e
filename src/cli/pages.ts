// `gazette pages ...`: the stored rendered pages (decision 0038). `prerender` renders every published
// article page (and the home page) through the same app the server runs, in this process, so that the
// pages go into the store exactly as a server would have stored them on a first read.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import * as addresses from '../articles/article.addresses.ts';
import { buildApp } from '../app.ts';

export const PAGES_USAGE = `Usage: gazette pages <action>

Actions:
  prerender [--limit N]  Render every published article page (and the home page) into the page store
  status                 How many pages are stored, and their size
  clear                  Empty the page store

The store is on unless PAGE_STORE=false; PAGE_STORE_MAX_MB bounds it (default 2048; the oldest
pages are dropped first).`;

export class PagesUsageError extends Error {}

/** Runs one `gazette pages` action; returns the exit status. */
export async function runPages(argv: string[], config: Config, out: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [action] = positionals;
  if (values.help || !action) {
    out(PAGES_USAGE);
    return 0;
  }
  if (!['prerender', 'status', 'clear'].includes(action)) throw new PagesUsageError(`Unknown action "${action}".`);
  if (values.limit !== undefined && !/^[1-9]\d{0,9}$/.test(values.limit)) throw new PagesUsageError(`--limit "${values.limit}" is not a whole number above 0.`);
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    const pages = store.pages!;
    if (action === 'status') {
      const { pages: n, bytes } = await pages.size();
      out(`${n} page(s) stored, ${(bytes / 1024 / 1024).toFixed(1)} MB${config.pageStoreMaxBytes === null ? ' (PAGE_STORE=false: the server neither reads nor writes them)' : ` of at most ${config.pageStoreMaxBytes / 1024 / 1024} MB`}`);
      return 0;
    }
    if (action === 'clear') {
      store.changes.announce(['*']);
      await pages.settled();
      out('The page store is empty.');
      return 0;
    }
    if (config.pageStoreMaxBytes === null) throw new PagesUsageError('PAGE_STORE=false: the page store is off, there is nothing to prerender into.');
    const result = await prerender(config, store, values.limit ? Number(values.limit) : Infinity, (done) => out(`${done} page(s) rendered`));
    out(`Rendered ${result.rendered} page(s) in ${(result.ms / 1000).toFixed(1)} s; ${result.stored.pages} stored, ${(result.stored.bytes / 1024 / 1024).toFixed(1)} MB.`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * Renders the home page and every published article page, at most `limit` articles, into the store.
 * Pages already stored are read from it, not rendered again.
 */
export async function prerender(config: Config, store: Awaited<ReturnType<typeof openStore>>, limit = Infinity, progress?: (done: number) => void) {
  const started = performance.now();
  const app = await buildApp(config, store);
  let rendered = 0;
  try {
    await app.ready();
    const paths = ['/'];
    let after = 0;
    let done = 0;
    for (;;) {
      const batch = await addresses.publishedAddressesAfter(store.db, after, 500);
      if (!batch.length) break;
      after = batch[batch.length - 1]!.id;
      for (const a of batch) {
        if (done++ >= limit) break;
        paths.push(a.path);
      }
      for (const path of paths.splice(0)) {
        const res = await app.inject({ method: 'GET', url: path, headers: { 'accept-encoding': 'gzip' } });
        if (String(res.headers['server-timing'] ?? '').includes('desc=miss')) rendered++;
        // The memory cache is not what this fills: let it drop what it holds as it fills up.
      }
      await app.flushStoredPages();
      progress?.(done > limit ? limit : done);
      if (done >= limit) break;
    }
    await app.flushStoredPages();
  } finally {
    await app.close();
  }
  await store.pages!.settled();
  return { rendered, ms: performance.now() - started, stored: await store.pages!.size() };
}
