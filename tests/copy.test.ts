// `gazette copy` moves a whole site between SQLite and PostgreSQL and back; the canonical exports of
// all three copies are byte-identical, hold no reader's address, and a failed copy leaves its target
// as it was. This test crosses both engines, so it runs once, in the SQLite pass of the suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { CopyRefused, copyContent, exportText, unaccountedTables } from '../src/db/copy.ts';
import { migrateToLatest, openStore, type Store } from '../src/db/database.ts';
import { search } from '../src/search/search.service.ts';
import { fields, postComment, readForm, SEED_PATH, serviceFor, startCommentServer } from './comments/helpers.ts';
import { ENGINE, freshPostgresDatabase, type TestDatabase } from './helpers/database.ts';
import { tempDir, type TestServer } from './helpers/server.ts';

const BIN = path.resolve('bin/gazette.mjs');
const skip =
  ENGINE !== 'sqlite' ? 'copying crosses both engines; it runs in the SQLite pass' : !process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL is not set: no PostgreSQL server to copy to' : false;

let server: TestServer;
const tmp = tempDir('gazette-copy-');
const pgDatabases: TestDatabase[] = [];

/** A new, empty PostgreSQL database on the test server; dropped after the tests. */
async function newPostgres(): Promise<string> {
  const database = await freshPostgresDatabase();
  pgDatabases.push(database);
  return database.url;
}

const open = (url: string) => openStore(loadConfig({ DATABASE_URL: url }).database);

async function exportOf(url: string): Promise<string> {
  const store = await open(url);
  try {
    return await exportText(store);
  } finally {
    await store.close();
  }
}

/** The comment counts a store keeps (migration 029), in key order. */
async function keptCounts(store: Store) {
  const counts = await store.db.selectFrom('comment_counts').selectAll().where('comments', '>', 0).orderBy('article_id').execute();
  const threads = await store.db.selectFrom('comment_live_threads').selectAll().orderBy('article_id').orderBy('root_id').execute();
  return { counts: counts.map((r) => ({ ...r })), threads: threads.map((r) => ({ ...r })) };
}

function gazette(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });
}

before(async () => {
  if (skip) return;
  server = await startCommentServer();
  // Readers' comments, a reply, one held for moderation: the private columns must travel too.
  const form = await readForm(server, SEED_PATH);
  const first = await postComment(server, fields(form, { email: 'first.reader@example.org', comment: 'A first remark on the document.' }));
  assert.equal(first.status, 303);
  const id = Number((await server.store.db.selectFrom('comments').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
  await (await serviceFor(server)).moderate([id], 'approved');
  await postComment(server, fields(await readForm(server, SEED_PATH), { comment_parent: String(id), email: 'second.reader@example.org', comment: 'A reply to it.' }));
  // Generated articles in three languages, with tags, translations and "Check Also" lists.
  const corpus = gazette(['demo', '--articles', '40', '--seed', '7', '--end', '2024-06-01'], { DATABASE_URL: server.databaseUrl });
  assert.equal(corpus.status, 0, corpus.stderr);
});

after(async () => {
  if (skip) return;
  await server.close();
  for (const database of pgDatabases) await database.drop();
  tmp.remove();
});

test('SQLite -> PostgreSQL -> SQLite: three byte-identical exports, and the copies serve the site', { skip }, async () => {
  const original = await exportText(server.store);
  assert.ok(original.split('\n').length > 300, 'the export holds the whole site');
  assert.doesNotMatch(original, /first\.reader@example\.org|second\.reader@example\.org|@example\.org/, 'no reader’s address in the export');

  const here = await keptCounts(server.store);
  assert.equal(here.counts.length, 1, 'the seed article has approved comments');
  const postgres = await newPostgres();
  const there = gazette(['copy', '--from', server.databaseUrl, '--to', postgres]);
  assert.equal(there.status, 0, there.stderr);
  assert.match(there.stdout, /Copied \d+ row\(s\) and indexed \d+ published article\(s\)/);
  assert.match(there.stderr, /comments/, 'progress names each table');
  assert.doesNotMatch(there.stderr + there.stdout, /@example\.org/);
  assert.equal(await exportOf(postgres), original, 'the PostgreSQL copy exports the same bytes');

  const back = `file:${path.join(tmp.dir, 'back.db')}`;
  const home = gazette(['copy', '--from', postgres, '--to', back]);
  assert.equal(home.status, 0, home.stderr);
  assert.equal(await exportOf(back), original, 'and so does the copy brought back to SQLite');

  // The copies are working sites: search was rebuilt from the copied articles, comments kept their addresses.
  for (const url of [postgres, back]) {
    const store = await open(url);
    try {
      const found = await search(store, { q: 'confidential document' });
      assert.ok(found.results.some((r) => r.card.path === SEED_PATH), `search finds the seed article on ${url.split(':')[0]}`);
      const emails = await store.db.selectFrom('comments').select('author_email').orderBy('id').execute();
      assert.deepEqual(emails.map((e) => e.author_email), ['first.reader@example.org', 'second.reader@example.org']);
      // The kept comment counts (migration 029) are not copied: the target's triggers filled them as the comments arrived.
      assert.deepEqual(await keptCounts(store), here, `the comment counts on ${url.split(':')[0]}`);
    } finally {
      await store.close();
    }
  }
});

test('new rows on the copy get ids after the copied ones', { skip }, async () => {
  const postgres = await newPostgres();
  assert.equal(gazette(['copy', '--from', server.databaseUrl, '--to', postgres]).status, 0);
  const store = await open(postgres);
  try {
    const highest = Number((await store.db.selectFrom('sections').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    const made = await store.db.insertInto('sections').values({ slug: 'new-desk', name: 'New desk', description: '', language: 'en', position: 99 }).returning('id').executeTakeFirstOrThrow();
    assert.ok(made.id > highest);
  } finally {
    await store.close();
  }
});

test('a target that already holds content is refused, and a copy that fails half-way leaves nothing behind', { skip }, async () => {
  const full = await newPostgres();
  assert.equal(gazette(['copy', '--from', server.databaseUrl, '--to', full]).status, 0);
  const again = gazette(['copy', '--from', server.databaseUrl, '--to', full]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /The target database is not empty \(sections: \d+ rows/);

  // A target whose comments table refuses every row: the copy fails on the last tables.
  const file = `file:${path.join(tmp.dir, 'broken.db')}`;
  const target = await open(file);
  try {
    await migrateToLatest(target);
    await (await import('kysely')).sql`create trigger refuse before insert on comments begin select raise(abort, 'refused by the test'); end`.execute(target.db);
    await assert.rejects(copyContent(server.store, target), /refused by the test/);
    const counts = await Promise.all(['sections', 'articles', 'tags'].map(async (t) => Number((await target.db.selectFrom(t as 'sections').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    assert.deepEqual(counts, [0, 0, 0], 'nothing copied before the failure stays');
    await assert.rejects(copyContent(server.store, server.store), CopyRefused);
  } finally {
    await target.close();
  }
});

test('every table of the schema is either copied or known to belong to the store', { skip }, async () => {
  const postgres = await newPostgres();
  const stores: Store[] = [server.store, await open(postgres)];
  await migrateToLatest(stores[1]!);
  try {
    for (const store of stores) assert.deepEqual(await unaccountedTables(store), []);
  } finally {
    await stores[1]!.close();
  }
});

test('bad arguments name the flag', { skip }, () => {
  const missing = gazette(['copy', '--from', server.databaseUrl]);
  assert.equal(missing.status, 64);
  assert.match(missing.stderr, /--to URL is required/);
  const bad = gazette(['copy', '--from', server.databaseUrl, '--to', 'mysql://x/y']);
  assert.equal(bad.status, 64);
  assert.match(bad.stderr, /--to expected file:/);
  const same = gazette(['copy', '--from', server.databaseUrl, '--to', server.databaseUrl]);
  assert.equal(same.status, 64);
  const nowhere = gazette(['copy', '--from', `file:${path.join(tmp.dir, 'nothing-here.db')}`, '--to', `file:${path.join(tmp.dir, 'x.db')}`]);
  assert.equal(nowhere.status, 66);
});
