// The set-up the import tests share: the WordPress fixtures, a test server over an empty store with a temp
// folder for the WXR files a test writes, a small WXR document around the items a test needs, the
// importer's options as the tests run it, and row counts of the tables an import writes.
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { sql } from 'kysely';
import { importWordpress, type ImportOptions, type ImportSummary } from '../../src/import/wordpress.import.ts';
import type { Database } from '../../src/db/schema.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/wordpress');

/** A file of tests/fixtures/wordpress/. */
export const fixture = (name: string) => path.join(FIXTURES, name);

export interface ImportFolder {
  /** A temp folder of the describe()'s own, removed after it. */
  dir: string;
  /** Writes a file (a WXR document) into the folder and returns its path. */
  write(name: string, text: string): string;
}

/**
 * In a describe(): starts a test server over an empty store (no demo content) before its tests, hands it
 * to `use`, and closes it after them with the temp folder this returns.
 */
export function importServer(use: (server: TestServer) => void): ImportFolder {
  const tmp = tempDir('gazette-import-');
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer({ demo: false });
    use(server);
  });
  after(async () => {
    await server?.close();
    tmp.remove();
  });
  return {
    dir: tmp.dir,
    write(name, text) {
      const file = path.join(tmp.dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

/** A WXR 1.2 document of the site at `site` whose channel holds `body` (authors, terms, items). */
export function wxr(site: string, body: string): string {
  return `<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${site}</wp:base_site_url>
${body}</channel></rss>`;
}

/** The importer's options as `gazette import wordpress` gives them with no flags, and a fixed secret. */
export const IMPORT_OPTIONS: ImportOptions = { dryRun: false, skipPingbacks: false, secret: 'test-secret' };

/** Runs the importer in this process (not through the CLI) on a file, with IMPORT_OPTIONS and `more`. */
export function runImport(server: TestServer, file: string, more: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return importWordpress(server.store, file, { ...IMPORT_OPTIONS, ...more });
}

/** Rows in one table. */
export async function countRows(server: TestServer, table: keyof Database): Promise<number> {
  const row = await server.store.db.selectFrom(table).select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rows in each of these tables, by table. */
export async function rowCountsOf(server: TestServer, tables: readonly (keyof Database)[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(server, table);
  return counts;
}
