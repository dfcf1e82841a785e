// Issue 11: the newsroom under work.
// 1. Save latency: one editor saves an article 100 times through the edit form (POST, answered 303) and
//    autosaves it 100 times (fetch, JSON). Target: save p95 < 50 ms.
// 2. From "Publish" to readers: a draft is published and the article page, the home page, its section
//    page and the site feed are asked at once (all cached beforehand). Target: the next request shows it.
// 3. Public reads while ten editors autosave every 2 s: the cached seed article at 32 connections, alone
//    and then with the autosaves running. Target: >= 90% of the read rate without them.
// 4. What the browser loads: public pages ship no newsroom script; the editor page's scripts and
//    stylesheet, gzipped, are reported.
// On SQLite and, when a server is reachable, on PostgreSQL, one engine after the other.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createAccount } from '../src/accounts/account.service.ts';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';
import { loadDemo } from '../src/demo/demo.service.ts';
import { SEED_ARTICLE_PATH } from './article.bench.ts';
import type { Engine } from './lib/engines.ts';
import { startGazette, REPO_ROOT, type BenchDatabase, type GazetteServer } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { addTo, atLeast, below, emptyReport, onEngine, valid, type BenchContext, type Check, type LoadRow, type ScenarioReport } from './lib/scenario.ts';

const PASSWORD = 'bench password, not for any real site';
const EDITORS = 10;
const AUTOSAVE_EVERY_MS = 2000;
const SAVES = 100;

async function prepare(database: BenchDatabase): Promise<void> {
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    await loadDemo(store);
    await createAccount(store, null, { email: 'desk@bench.test', name: 'Desk Editor', role: 'editor', password: PASSWORD });
    for (let i = 1; i <= EDITORS; i++) await createAccount(store, null, { email: `editor${i}@bench.test`, name: `Editor ${i}`, role: 'editor', password: PASSWORD });
  } finally {
    await store.close();
  }
}

/** A signed-in editor over plain HTTP: its cookies and the session's form token. */
class Editor {
  private cookies = new Map<string, string>();
  token = '';
  constructor(
    private readonly base: string,
    readonly email: string,
  ) {}

  private get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(headers: Record<string, string | string[] | undefined>, body: Buffer) {
    for (const line of ([] as string[]).concat(headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(body.toString('utf8'));
    if (m) this.token = m[1]!;
  }

  async get(p: string) {
    const r = await request(this.base + p, { headers: { cookie: this.cookie } });
    this.keep(r.headers, r.body);
    return r;
  }

  async post(p: string, fields: Record<string, string>, accept = 'text/html') {
    const body = new URLSearchParams({ _csrf: this.token, ...fields }).toString();
    const r = await request(this.base + p, {
      method: 'POST',
      headers: { cookie: this.cookie, origin: this.base, accept, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    this.keep(r.headers, r.body);
    return r;
  }

  async signIn() {
    await this.get('/admin/sign-in');
    const r = await this.post('/admin/sign-in', { email: this.email, password: PASSWORD });
    if (r.status !== 303) throw new Error(`sign-in of ${this.email} answered ${r.status}`);
    await this.get('/admin');
  }

  /** Creates a draft and returns its id and version. */
  async draft(fields: Record<string, string>): Promise<{ id: string; version: number }> {
    const r = await this.post('/admin/articles/new', { ...fields, action: 'save' });
    const id = /\/admin\/articles\/(\d+)/.exec(String(r.headers.location ?? ''))?.[1];
    if (r.status !== 303 || !id) throw new Error(`creating a draft answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    const page = await this.get(`/admin/articles/${id}`);
    return { id, version: Number(/name="version" value="(\d+)"/.exec(page.body.toString('utf8'))![1]) };
  }
}

const article = (headline: string, body = 'The memo says what it says, and the ministry did not answer.') => ({
  headline,
  section: 'news',
  language: 'en',
  summary: '',
  body,
  authors: '',
  tags: 'bench',
  comments_open: 'on',
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function saveLatency(ctx: BenchContext, gazette: GazetteServer, report: ScenarioReport): Promise<void> {
  const desk = new Editor(gazette.url, 'desk@bench.test');
  await desk.signIn();
  let { id, version } = await desk.draft(article('Save latency'));
  const saves: number[] = [];
  const autosaves: number[] = [];
  let refused = 0;
  for (let i = 0; i < SAVES; i++) {
    const save = await timed(() => desk.post(`/admin/articles/${id}`, { ...article('Save latency', `Paragraph ${i}. The memo says what it says.`), version: String(version), action: 'save' }));
    if (save.value.status === 303) version += 1;
    else refused++;
    saves.push(save.ms);
    const auto = await timed(() => desk.post(`/admin/articles/${id}/autosave`, { ...article('Save latency', `Autosaved ${i}.`), version: String(version) }, 'application/json'));
    if (auto.value.status === 200) version = (JSON.parse(auto.value.body.toString('utf8')) as { version: number }).version;
    else refused++;
    autosaves.push(auto.ms);
  }
  ctx.log(`${SAVES} saves: p50 ${percentile(saves, 50).toFixed(1)} ms, p95 ${percentile(saves, 95).toFixed(1)} ms; autosaves p95 ${percentile(autosaves, 95).toFixed(1)} ms`);
  report.figures.push(
    { label: 'save (form POST, 303) p50', value: percentile(saves, 50), unit: 'ms' },
    { label: 'save (form POST, 303) p95', value: percentile(saves, 95), unit: 'ms' },
    { label: 'autosave (JSON) p95', value: percentile(autosaves, 95), unit: 'ms' },
  );
  report.checks.push(valid('every save and autosave accepted', refused === 0, '0 refused', `${refused} refused`), below('save p95', percentile(saves, 95), 50, ' ms'));
}

async function publishToReaders(ctx: BenchContext, gazette: GazetteServer, report: ScenarioReport): Promise<void> {
  const desk = new Editor(gazette.url, 'desk@bench.test');
  await desk.signIn();
  const headline = `Published from the bench ${Date.now()}`;
  const { id, version } = await desk.draft(article(headline));
  const pages = ['/', '/news/', '/feed.xml'];
  // Cached beforehand, so that only a dropped cache entry can show the new article.
  for (const p of pages) for (let i = 0; i < 2; i++) await request(gazette.url + p);
  const publish = await timed(() => desk.post(`/admin/articles/${id}`, { ...article(headline), version: String(version), action: 'publish' }));
  if (publish.value.status !== 303) throw new Error(`publish answered ${publish.value.status}`);
  const slug = headline.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const seen: string[] = [];
  const missed: string[] = [];
  const start = process.hrtime.bigint();
  for (const p of [`/news/${slug}`, ...pages]) {
    const r = await request(gazette.url + p);
    if (r.status === 200 && r.body.toString('utf8').includes(headline)) seen.push(p);
    else missed.push(`${p} (${r.status})`);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  ctx.log(`publish took ${publish.ms.toFixed(1)} ms; the next request showed it on ${seen.length} of 4 pages (${ms.toFixed(1)} ms for all four)`);
  report.figures.push({ label: 'publish (form POST, 303)', value: publish.ms, unit: 'ms' }, { label: 'article, home, section and feed asked right after', value: ms, unit: 'ms' });
  report.checks.push({ label: 'new content on article, home, section and feed', kind: 'target', target: 'the next request', measured: `${seen.length} of 4 on the next request${missed.length ? `; not on ${missed.join(', ')}` : ''}`, pass: seen.length === 4 });
}

async function readsWhileAutosaving(ctx: BenchContext, gazette: GazetteServer, report: ScenarioReport): Promise<void> {
  const editors = await Promise.all(
    Array.from({ length: EDITORS }, async (_, i) => {
      const e = new Editor(gazette.url, `editor${i + 1}@bench.test`);
      await e.signIn();
      return { editor: e, ...(await e.draft(article(`Autosaved draft ${i + 1}`))) };
    }),
  );
  const load = (label: string) =>
    runLoad({ url: gazette.url + SEED_ARTICLE_PATH, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid }).then((f): LoadRow => ({ label, ...f }));
  ctx.log(`${SEED_ARTICLE_PATH} alone, then while ${EDITORS} editors autosave every ${AUTOSAVE_EVERY_MS / 1000} s`);
  const alone = await load(`gazette GET ${SEED_ARTICLE_PATH}, no editors`);
  let running = true;
  let autosaves = 0;
  let failed = 0;
  const loops = editors.map(async (d, i) => {
    await new Promise((r) => setTimeout(r, (i * AUTOSAVE_EVERY_MS) / EDITORS));
    while (running) {
      const r = await d.editor.post(`/admin/articles/${d.id}/autosave`, { ...article(`Autosaved draft ${i + 1}`, `Typed at ${Date.now()}.`), version: String(d.version) }, 'application/json');
      if (r.status === 200) {
        d.version = (JSON.parse(r.body.toString('utf8')) as { version: number }).version;
        autosaves++;
      } else failed++;
      await new Promise((resolve) => setTimeout(resolve, AUTOSAVE_EVERY_MS));
    }
  });
  const busy = await load(`gazette GET ${SEED_ARTICLE_PATH}, ${EDITORS} editors autosaving`);
  running = false;
  await Promise.all(loops);
  const ratio = (busy.requestsPerSec / alone.requestsPerSec) * 100;
  ctx.log(`${alone.requestsPerSec.toFixed(0)} req/s alone, ${busy.requestsPerSec.toFixed(0)} req/s with ${autosaves} autosaves (${ratio.toFixed(1)}%)`);
  report.loads.push(alone, busy);
  report.figures.push({ label: 'autosaves during the measured reads', value: autosaves, unit: '' });
  report.checks.push(
    valid('every read answered 200', alone.non2xx === 0 && busy.non2xx === 0 && alone.errors === 0 && busy.errors === 0, '0 failed', `${alone.non2xx + busy.non2xx} non-2xx, ${alone.errors + busy.errors} errors`),
    valid('every autosave accepted', failed === 0 && autosaves > 0, 'all accepted', `${autosaves} accepted, ${failed} refused`),
    atLeast('reads while 10 editors autosave, vs none', ratio, 90, '%'),
  );
}

async function whatBrowsersLoad(gazette: GazetteServer, report: ScenarioReport): Promise<void> {
  const page = (await request(gazette.url + SEED_ARTICLE_PATH)).body.toString('utf8');
  const publicScripts = [...page.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  report.checks.push(valid('public article page loads no newsroom script', !publicScripts.some((s) => s.startsWith('/admin/')), 'none from /admin', publicScripts.join(', ') || 'no script'));
  const files: [string, string][] = [
    ['body editor (editor.js)', path.join(REPO_ROOT, 'dist/admin-assets/editor.js')],
    ['form script (article-editor.js)', path.join(REPO_ROOT, 'src/web/admin/assets/article-editor.js')],
    ['admin stylesheet (admin.css)', path.join(REPO_ROOT, 'src/web/admin/assets/admin.css')],
  ];
  for (const [label, file] of files) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    report.figures.push({ label: `${label}, gzipped`, value: Math.round(gzipSync(bytes, { level: 9 }).length / 1024), unit: 'KB' });
  }
}

async function onOneEngine(ctx: BenchContext, engine: Engine): Promise<ScenarioReport> {
  const gazette = await startGazette({ engine, prepare, env: { DEMO_CONTENT: 'false' } });
  const report = emptyReport();
  try {
    await saveLatency(ctx, gazette, report);
    await publishToReaders(ctx, gazette, report);
    await readsWhileAutosaving(ctx, gazette, report);
    await whatBrowsersLoad(gazette, report);
  } finally {
    await gazette.stop();
  }
  return report;
}

export default async function newsroom(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  for (const engine of ctx.engines) {
    ctx.log(`— ${engine.label} —`);
    addTo(report, onEngine(engine, await onOneEngine(ctx, engine)));
  }
  report.notes.push(
    'Saves are timed by the client over loopback, one at a time, so they include HTTP and the form parsing as an editor meets them. The publish check asks each page once, right after the publish answered.',
  );
  return report;
}
