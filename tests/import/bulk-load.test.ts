// What a large import does to the store for its own speed (decision 0058): the comments' secondary
// indexes set aside and built again before the commit when the site has no comments (SQLite), the search
// index's automatic tidying paused and resumed. Whatever the outcome (committed, refused half-way, a dry
// run), the schema and the index's settings are left as the migrations made them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/db/store.ts';
import { setCommentIndexesAsideForImport } from '../../src/comments/comment.service.ts';
import { recordMappings } from '../../src/import/import.repository.ts';
import { loadCorpus } from '../../src/demo/corpus.ts';
import { ENGINE } from '../helpers/database.ts';
import type { TestServer } from '../helpers/server.ts';
import { countRows, fixture, importServer, runImport } from './helpers.ts';

const SQLITE_ONLY = { skip: ENGINE === 'postgres' ? 'PostgreSQL keeps its indexes (a dropped index would lock readers out until the commit)' : false };

/** The statements that create `table`'s indexes (SQLite), sorted. */
async function indexesOf(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  return rows.map((r) => r.sql).sort();
}

/** The connection's page cache setting (SQLite's cache_size: negative in KiB). */
async function pageCache(db: Db): Promise<number> {
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  return Number(rows[0]!.cache_size);
}

/** FTS5's automerge setting as the table's configuration holds it (none written: FTS5's default, 4). */
async function automerge(db: Db): Promise<number> {
  const { rows } = await sql<{ v: number }>`select v from article_search_config where k = 'automerge'`.execute(db);
  return rows.length ? Number(rows[0]!.v) : 4;
}

describe('WordPress import: what a bulk load sets aside comes back', () => {
  let server: TestServer;
  const tmp = importServer((s) => (server = s));
  /** The comments' indexes as the migrations made them, and the search index's merging (SQLite). */
  let migrated: string[] = [];
  let merging = 0;
  before(async () => {
    if (ENGINE === 'postgres') return;
    migrated = await indexesOf(server.store.db, 'comments');
    merging = await automerge(server.store.db);
  });

  it('Store.setIndexesAside drops the non-unique indexes a table was created with and builds them again as they were', SQLITE_ONLY, async () => {
    const comments = migrated;
    const articles = await indexesOf(server.store.db, 'articles');
    assert.ok(comments.length >= 5, 'the comments table has its secondary indexes');
    await server.store.writeTransaction(async (trx) => {
      const rebuild = await server.store.setIndexesAside(trx, 'comments');
      assert.ok(rebuild, 'SQLite sets indexes aside');
      assert.deepEqual(await indexesOf(trx, 'comments'), []);
      const rebuildArticles = (await server.store.setIndexesAside(trx, 'articles'))!;
      // The unique ones stay: they refuse rows, which an import relies on (a taken address).
      const kept = await indexesOf(trx, 'articles');
      assert.ok(kept.every((s) => /^create unique/i.test(s)), kept.join('\n'));
      const cacheBefore = await pageCache(trx);
      await rebuildArticles();
      await rebuild();
      // The indexes are built with a smaller page cache (the bound of their sort), then it is as before.
      assert.equal(await pageCache(trx), cacheBefore);
    });
    assert.deepEqual(await indexesOf(server.store.db, 'comments'), comments);
    assert.deepEqual(await indexesOf(server.store.db, 'articles'), articles);
  });

  it('the comments\' indexes are set aside only in a site without comments', async () => {
    assert.equal(await countRows(server, 'comments'), 0);
    await server.store.writeTransaction(async (trx) => {
      const rebuild = await setCommentIndexesAsideForImport(server.store, trx);
      if (ENGINE === 'postgres') assert.equal(rebuild, null);
      else {
        assert.ok(rebuild);
        assert.deepEqual(await indexesOf(trx, 'comments'), []);
        await rebuild();
      }
    });
    const summary = await runImport(server, fixture('small-export.xml'));
    assert.ok((summary.counts.comment?.imported ?? 0) > 0, 'the export has comments');
    if (ENGINE === 'sqlite') assert.deepEqual(await indexesOf(server.store.db, 'comments'), migrated, 'built again after the import');
    await server.store.writeTransaction(async (trx) => {
      assert.equal(await setCommentIndexesAsideForImport(server.store, trx), null);
    });
  });

  it('after an import, a dry run and one refused half-way, the comments\' indexes and the search index\'s merging are as before', async () => {
    // A fresh site: the previous test imported.
    await server.store.db.deleteFrom('comments').execute();
    const unchanged = async (when: string) => {
      if (ENGINE === 'postgres') return;
      assert.deepEqual(await indexesOf(server.store.db, 'comments'), migrated, when);
      assert.equal(await automerge(server.store.db), merging, when);
    };
    await runImport(server, fixture('small-export.xml'), { dryRun: true });
    await unchanged('after a dry run');
    const whole = fs.readFileSync(fixture('small-export.xml'), 'utf8');
    const broken = path.join(tmp.dir, 'broken.xml');
    fs.writeFileSync(broken, `${whole.slice(0, whole.lastIndexOf('</item>') + '</item>'.length)}\n<wp:oops></channel></rss>\n`);
    await assert.rejects(runImport(server, broken));
    await unchanged('after an import refused at its end');
    await runImport(server, fixture('small-export.xml'));
    await unchanged('after an import');
    assert.ok((await countRows(server, 'comments')) > 0);
  });
});

// A bulk load fills import_map inside one transaction, where PostgreSQL gathers no planner statistics:
// the table looked empty, and a lookup of many WordPress ids was planned as a walk of every mapping of one
// kind, a walk that grew with the import (decision 0067). After Store.refreshPlannerStatistics the same
// lookup finds each id through the table's key, on both engines.
describe('WordPress import: lookups of many ids after a bulk load of mappings', () => {
  let server: TestServer;
  importServer((s) => (server = s));

  it('are planned through the whole key once the planner has been told the table\'s size', async () => {
    await server.store.writeTransaction(async (trx) => {
      const at = new Date().toISOString();
      const rows = Array.from({ length: 20_000 }, (_, i) => ({ kind: 'comment' as const, wpId: String(i + 1), gazetteId: i + 1 }));
      for (let i = 0; i < rows.length; i += 2000) await recordMappings(trx, 'https://plan.example', rows.slice(i, i + 2000), at);
      await server.store.refreshPlannerStatistics(trx, 'import_map');
      const ids = Array.from({ length: 20 }, (_, i) => String(i * 997 + 7));
      const lookup = trx.selectFrom('import_map').select(['wp_id', 'gazette_id']).where('site', '=', 'https://plan.example').where('kind', '=', 'comment').where('wp_id', 'in', ids);
      // The statement with its values written in, as EXPLAIN takes it on either engine.
      const compiled = lookup.compile();
      let next = 0;
      const literal = (i: number) => `'${String(compiled.parameters[i]).replace(/'/g, "''")}'`;
      const inlined = compiled.sql.replace(/\$(\d+)|\?/g, (_, n: string | undefined) => literal(n ? Number(n) - 1 : next++));
      const plan =
        ENGINE === 'postgres'
          ? (await sql.raw<{ 'QUERY PLAN': string }>(`explain ${inlined}`).execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n')
          : (await sql.raw<{ detail: string }>(`explain query plan ${inlined}`).execute(trx)).rows.map((r) => r.detail).join('\n');
      const keyed = ENGINE === 'postgres' ? /Index Cond: .*wp_id = ANY/.test(plan) : /USING (PRIMARY KEY|INDEX \S+) \(site=\? AND kind=\? AND wp_id=\?\)/.test(plan);
      assert.ok(keyed, plan);
      assert.equal((await lookup.execute()).length, 20);
    });
  });
});

// A bulk load (an import, a generated corpus) fills the article tables faster than autovacuum looks at
// them, and where it is off (as on the test server) nothing ever does: PostgreSQL then found an article's
// page by walking its section's published articles instead of its address's key (decision 0080). After
// the load, each table's statistics count its rows.
describe('bulk loads: the planner is told how the article tables grew', () => {
  let server: TestServer;
  importServer((s) => (server = s));
  const POSTGRES_ONLY = { skip: ENGINE === 'sqlite' ? 'SQLite finds a key through its index whatever it knows of the table' : false };
  const tables = ['articles', 'article_authors', 'article_tags', 'sources'] as const;

  /** Each table's rows as its planner statistics count them (-1: never counted), beside its real count. */
  async function counted(db: Db) {
    const out: Record<string, { planner: number; rows: number }> = {};
    for (const table of tables) {
      const { rows } = await sql<{ planner: number }>`select reltuples as planner from pg_class where oid = to_regclass(${table})`.execute(db);
      const real = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      out[table] = { planner: Number(rows[0]!.planner), rows: Number(real.rows[0]!.n) };
    }
    return out;
  }

  it('after an import', POSTGRES_ONLY, async () => {
    await runImport(server, fixture('small-export.xml'));
    for (const [table, { planner, rows }] of Object.entries(await counted(server.store.db))) assert.equal(planner, rows, `${table}: the planner's count`);
    assert.ok((await countRows(server, 'articles')) > 1);
  });

  it('after a generated corpus', POSTGRES_ONLY, async () => {
    await loadCorpus(server.store, { articles: 40, seed: 5, end: new Date('2026-11-01T00:00:00Z') });
    const after = await counted(server.store.db);
    assert.ok(after.articles!.rows >= 40);
    for (const [table, { planner, rows }] of Object.entries(after)) assert.equal(planner, rows, `${table}: the planner's count`);
  });
});
