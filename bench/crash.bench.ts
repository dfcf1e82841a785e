// Issue 10: comments survive `kill -9`. Readers post comments over real HTTP (8 connections: half from
// new addresses, held for moderation, half from the browser of a reader whose first comment an editor
// approved with the real `gazette comments approve`, so published at once under hold-first) while the server is killed with
// SIGKILL at random moments (seeded) and restarted on the same database, BENCH_CRASH_KILLS times (10)
// over about BENCH_CRASH_SECONDS of load (40). A comment is acknowledged when its POST got the 303.
// Afterwards: acknowledged vs found in the database (target: every acknowledged comment found), the
// comments found that were never acknowledged (committed, then killed before the answer left: allowed),
// and the database's own check: SQLite's PRAGMA integrity_check and foreign_key_check; on PostgreSQL,
// whose files the killed process never writes, the comments counted by a sequential scan and through
// the primary key index must agree, and every comment's article must exist.
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { buildServer } from './lib/builds.ts';
import { loadConfig } from '../src/config.ts';
import { openStore, type Store } from '../src/db/database.ts';
import { tempDir } from './lib/cleanup.ts';
import type { ServerProcess } from './lib/child-server.ts';
import { createDatabase, type Engine } from './lib/engines.ts';
import { runGazette, serveGazette, type BenchDatabase } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { freePort } from './lib/ports.ts';
import { addTo, emptyReport, onEngine, valid, type BenchContext, type Check, type ScenarioReport } from './lib/scenario.ts';
import { randomSource } from '../src/demo/corpus.ts';

/** The demo article that takes the comments. */
const POSTED_PATH = '/news/disclosure-of-confidential-document';
const REGULAR_EMAIL = 'regular.reader@example.org';
const POSTERS = 8;
/** Every comment's text starts with this, and ends with its own number. */
const MARK = 'Still here after the crash? crash-';
const SEED = 1;

/** A whole number from the environment, or the default; stops the bench on a bad value. */
function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name}: expected a whole number from 1 (got "${raw}")`);
    process.exit(64);
  }
  return value;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** What the posting readers saw. */
interface Tally {
  sent: number;
  acknowledged: Set<number>;
  /** Acknowledged as published at once (303 to ?comment=approved). */
  published: number;
  /** Answers other than 303, by status. */
  otherStatuses: Map<number, number>;
  /** Requests that got no answer (the server was down or died under them). */
  noAnswer: number;
}

/** The database's own consistency check, per engine. */
async function integrity(store: Store, engine: Engine): Promise<{ ok: boolean; detail: string }> {
  if (engine.kind === 'sqlite') {
    const check = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db)).rows.map((r) => r.integrity_check);
    const foreign = (await sql`pragma foreign_key_check`.execute(store.db)).rows.length;
    const ok = check.length === 1 && check[0] === 'ok' && foreign === 0;
    return { ok, detail: `integrity_check: ${check.slice(0, 3).join('; ')}; foreign_key_check: ${foreign} row(s)` };
  }
  const counted = async (plan: string) => {
    const rows = await store.db.transaction().execute(async (trx) => {
      await sql.raw(plan).execute(trx);
      return (await sql<{ n: number }>`select count(*)::int as n from comments where id > 0`.execute(trx)).rows[0]!.n;
    });
    return rows;
  };
  const bySeqScan = await counted('set local enable_indexscan = off; set local enable_bitmapscan = off; set local enable_indexonlyscan = off');
  const byIndex = await counted('set local enable_seqscan = off');
  const orphans = (await sql<{ n: number }>`select count(*)::int as n from comments c where not exists (select 1 from articles a where a.id = c.article_id)`.execute(store.db)).rows[0]!.n;
  return { ok: bySeqScan === byIndex && orphans === 0, detail: `comments by sequential scan ${bySeqScan}, by primary key index ${byIndex}; comments without their article: ${orphans}` };
}

async function onOneEngine(ctx: BenchContext, engine: Engine, kills: number, seconds: number): Promise<ScenarioReport> {
  const report = emptyReport();
  const checks: Check[] = report.checks;
  const folder = tempDir('gazette-bench-crash-');
  let drop = async () => {};
  let database: BenchDatabase;
  if (engine.kind === 'sqlite') database = { engine, url: `file:${path.join(folder.dir, 'gazette.db')}` };
  else {
    const created = await createDatabase(engine);
    drop = () => created.drop();
    database = { engine, url: created.url };
  }
  const args = buildServer();
  const port = await freePort();
  const env = { COMMENTS_MODERATION: 'hold-first', COMMENTS_RATE_MAX: '1000000', COMMENTS_MIN_SECONDS: '0' };
  let server: ServerProcess | null = null;
  const posters: Promise<void>[] = [];
  let running = true;
  try {
    server = await serveGazette(database, { port, args, env });
    const url = server.url;
    const page = (await request(url + POSTED_PATH)).body.toString('utf8');
    const articleId = /name="article_id" value="(\d+)"/.exec(page)?.[1] ?? '';
    // Pages carry no token: a reader's comes from /comments/token, as the form's script fetches it. It is
    // signed with the site's secret, kept in the database, so it stays good across restarts.
    const tokenAnswer = await request(`${url}/comments/token?article=${articleId}`);
    const token = tokenAnswer.status === 200 ? (JSON.parse(tokenAnswer.body.toString('utf8')) as { token?: string }).token ?? '' : '';
    checks.push(valid('the comment form and a reader’s token were found', token !== '' && articleId !== '', 'token and article id', token && articleId ? 'found' : `article id ${articleId || 'missing'}, token answer ${tokenAnswer.status}`));
    const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: url };
    const post = (n: number, email: string, author: string, cookie?: string) =>
      request(`${url}/comments`, { method: 'POST', headers: cookie ? { ...headers, cookie } : headers, body: form({ article_id: articleId, token, comment_parent: '0', url: '', author, email, comment: `${MARK}${n}` }) });

    // The regular reader's first comment, approved by an editor with the CLI while the server runs; their
    // browser keeps the cookie that answer set, and later comments from it are published at once.
    const first = await post(0, REGULAR_EMAIL, 'Regular');
    const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []).find((c) => c.startsWith('gazette_commenter='));
    const regularCookie = setCookie?.split(';')[0];
    const store0 = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    const heldId = (await store0.db.selectFrom('comments').select('id').where('body', '=', `${MARK}0`).executeTakeFirst())?.id;
    await store0.close();
    const approve = heldId ? await runGazette(database.url, ['comments', 'approve', String(heldId)]) : null;
    checks.push(valid('the regular reader’s first comment was held, then approved with gazette comments approve', first.status === 303 && approve?.code === 0, '303, then exit 0', `${first.status}, then ${approve ? `exit ${approve.code}${approve.code ? `: ${approve.stderr.trim().split('\n').pop()}` : ''}` : 'not found'}`));

    const tally: Tally = { sent: 0, published: 0, acknowledged: new Set(), otherStatuses: new Map(), noAnswer: 0 };
    let next = 1;
    const lane = async () => {
      while (running) {
        const n = next++;
        tally.sent++;
        try {
          const answer = await (n % 2 ? post(n, `reader${n}@example.org`, `Reader ${n}`) : post(n, REGULAR_EMAIL, 'Regular', regularCookie));
          if (answer.status === 303 && String(answer.headers.location ?? '').includes('comment=approved')) tally.published++;
          if (answer.status === 303) tally.acknowledged.add(n);
          else tally.otherStatuses.set(answer.status, (tally.otherStatuses.get(answer.status) ?? 0) + 1);
        } catch {
          tally.noAnswer++;
          // The server is down: try again shortly (not at once, which would take CPU from its restart).
          await sleep(200);
        }
      }
    };
    for (let i = 0; i < POSTERS; i++) posters.push(lane());

    const random = randomSource(SEED);
    const restartMs: number[] = [];
    const started = performance.now();
    let answeredAfterRestart = 0;
    let acknowledgedBefore = 0;
    for (let k = 1; k <= kills; k++) {
      // Between a quarter and 1.75 times the mean interval, so kills land at different stages of load.
      const wait = (0.25 + 1.5 * random()) * (seconds / kills) * 1000;
      await sleep(wait);
      await server.kill();
      ctx.log(`kill -9 #${k} after ${(wait / 1000).toFixed(1)} s: ${tally.acknowledged.size - acknowledgedBefore} acknowledged since the last restart, ${tally.acknowledged.size} in all`);
      acknowledgedBefore = tally.acknowledged.size;
      const t0 = performance.now();
      server = await serveGazette(database, { port, args, env });
      restartMs.push(performance.now() - t0);
      if ((await request(url + POSTED_PATH)).status === 200) answeredAfterRestart++;
    }
    // A last stretch of load on the last server, then a clean stop.
    await sleep(1000);
    running = false;
    await Promise.all(posters);
    const loadSeconds = (performance.now() - started) / 1000;
    await server.stop();
    server = null;

    const store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    let found: Set<number>;
    let check: { ok: boolean; detail: string };
    try {
      const rows = await store.db.selectFrom('comments').select('body').where('body', 'like', `${MARK}%`).execute();
      found = new Set(rows.map((r) => Number(r.body.slice(MARK.length))).filter((n) => n > 0));
      check = await integrity(store, engine);
    } finally {
      await store.close();
    }
    const missing = [...tally.acknowledged].filter((n) => !found.has(n));
    const unacknowledged = [...found].filter((n) => !tally.acknowledged.has(n)).length;
    const others = [...tally.otherStatuses].map(([s, n]) => `${s}: ${n}`).join(', ');
    const sortedRestarts = [...restartMs].sort((a, b) => a - b);

    report.figures.push(
      { label: 'kill -9 while comments were posted', value: kills, unit: '' },
      { label: 'comments acknowledged (303)', value: tally.acknowledged.size, unit: '' },
      { label: 'of them published at once (the approved reader’s)', value: tally.published, unit: '' },
      { label: 'acknowledged comments found after the restarts', value: tally.acknowledged.size - missing.length, unit: '' },
      { label: 'comments found that were never acknowledged (committed, killed before the answer)', value: unacknowledged, unit: '' },
      { label: 'posts sent', value: tally.sent, unit: '' },
      { label: 'posts with no answer (server down or killed under them)', value: tally.noAnswer, unit: '' },
      { label: 'acknowledged posts per second of the run, restarts included', value: tally.acknowledged.size / loadSeconds, unit: ' /s' },
      { label: 'restart after kill -9 until the first answer, median', value: sortedRestarts[Math.floor(sortedRestarts.length / 2)] ?? 0, unit: ' ms' },
      { label: 'restart after kill -9 until the first answer, slowest', value: sortedRestarts.at(-1) ?? 0, unit: ' ms' },
    );
    checks.push(
      valid(`the server was killed ${kills} times and every restart served the article`, restartMs.length === kills && answeredAfterRestart === kills, `${kills}`, `${answeredAfterRestart}`),
      valid('comments were acknowledged', tally.acknowledged.size > 0, '> 0', String(tally.acknowledged.size)),
      {
        label: 'every acknowledged comment is found after kill -9 and restart',
        kind: 'target',
        target: `${tally.acknowledged.size} of ${tally.acknowledged.size}`,
        measured: `${tally.acknowledged.size - missing.length} of ${tally.acknowledged.size}${missing.length ? ` (missing: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? '…' : ''})` : ''}`,
        pass: missing.length === 0,
      },
      { label: engine.kind === 'sqlite' ? 'PRAGMA integrity_check and foreign_key_check' : 'comments counted by sequential scan and by index agree; no comment without its article', kind: 'target', target: 'ok', measured: check.detail, pass: check.ok },
      { label: 'every answer that came was a 303 (no 4xx or 5xx)', kind: 'target', target: 'none other', measured: others || 'none other', pass: others === '' },
    );
    if (engine.kind === 'sqlite') {
      report.notes.push(
        'SQLite runs in WAL mode with synchronous=NORMAL (decision 0013): a commit is in the WAL, in the operating system’s cache, before the answer is sent, so killing the process loses nothing; a power cut may lose the last commits (never the file’s consistency). This run kills the process, not the machine.',
      );
    } else {
      const store1 = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
      try {
        const settings = (await sql<{ name: string; setting: string }>`select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name`.execute(store1.db)).rows;
        report.notes.push(`PostgreSQL settings of this server: ${settings.map((s) => `${s.name}=${s.setting}`).join(', ')}. Killing the Gazette process leaves PostgreSQL running; a commit is acknowledged by PostgreSQL before Gazette answers 303.`);
      } finally {
        await store1.close();
      }
    }
    report.notes.push(`Kills at seeded random moments (seed ${SEED}) over about ${seconds} s of load (BENCH_CRASH_SECONDS), ${kills} kills (BENCH_CRASH_KILLS), ${POSTERS} posting connections; the same port after every restart.`);
    return report;
  } finally {
    running = false;
    await Promise.all(posters);
    if (server) await server.kill();
    await drop();
    folder.remove();
  }
}

export default async function crash(ctx: BenchContext): Promise<ScenarioReport> {
  const kills = setting('BENCH_CRASH_KILLS', 10);
  const seconds = setting('BENCH_CRASH_SECONDS', 40);
  const report = emptyReport();
  for (const engine of ctx.engines) {
    ctx.log(`— ${engine.label}: ${kills} × kill -9 over about ${seconds} s of comment posts`);
    addTo(report, onEngine(engine, await onOneEngine(ctx, engine, kills, seconds)));
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
