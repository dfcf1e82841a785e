// Issue 3: comments under load.
// 1. The seed article with 500 approved comments (threaded), served from the page cache, against a bare
//    node:http server answering the same bytes. Target: >= 30% of the bare server's req/s. The comments
//    fill 8 comment pages of 50 threads (COMMENTS_PER_PAGE's default, decision 0016): the article's
//    address shows the first; every page is read once to check that all 500 are shown.
// 2. Comment POST throughput, accepted (published at once) and held (awaiting moderation), each against
//    a bare node:http server answering the same POSTs with an empty 200.
// 3. "Posting never blocks page reads": the 500-comment page under load alone, then while comments are
//    posted to another article (held ones, which change no public page; then accepted ones, which make
//    the next read re-render it). Target set here: reads keep >= 50% of their rate while held comments
//    pour in (a blocked read path would drop to ~0); no read fails in either case.
// 4. Reads spread over the pages that do not show article B (other articles, sections, tags, authors)
//    while comments on B are accepted at about 20 per second. Target: at least 90% of the read rate with
//    no writes: a comment on B must not cost the pages that do not show it their cache entries.
// On SQLite and, when a server is reachable, on PostgreSQL, one engine after the other.
import { migrateToLatest, openStore } from '../src/db/database.ts';
import type { Engine } from './lib/engines.ts';
import { loadConfig } from '../src/config.ts';
import { loadDemo } from '../src/demo/demo.service.ts';
import { createCommentService, resolveSecret } from '../src/comments/comment.service.ts';
import { signBrowserComments } from '../src/comments/comment.token.ts';
import { SEED_ARTICLE_PATH, samePage } from './article.bench.ts';
import { median } from './lib/compare.ts';
import { startBareServer } from './lib/bare-server.ts';
import { compareWithBare } from './lib/compare.ts';
import { startGazette, type BenchDatabase, type GazetteServer } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { addTo, atLeast, emptyReport, onEngine, valid, type BenchContext, type Check, type LoadRow, type ScenarioReport } from './lib/scenario.ts';

const COMMENTS = 500;
/** COMMENTS_PER_PAGE's default: top-level threads per comment page. */
const THREADS_PER_PAGE = 50;
/** The demo article that takes the comments posted under load. */
const POSTED_PATH = '/akhbar/kashf-wathiqa-sirriya';
const APPROVED_EMAIL = 'regular.reader@example.org';
const APPROVED_NAME = 'Regular';
/** The server's secret, so the bench can make the cookie of the regular's browser (decision 0014). */
const BENCH_SECRET = 'bench secret, not for any real site, long enough';
/** The regular's comment is the first one prepare() stores. */
const APPROVED_COMMENT_ID = 1;
const SENTENCES = [
  'The document quoted here deserves a closer reading than it got in most outlets.',
  'Which ministry confirmed this? The report names two different sources for the same claim.',
  'Good to see every source listed; the agency wire alone would not have been enough.',
  'There is a longer analysis at https://example.org/analysis that reaches a different conclusion.',
  'I lived there for six years and the situation described matches what friends tell me now.',
];

/** Loads the demo and 500 approved comments (one in five a reply) through the comment service. */
async function prepare(database: BenchDatabase): Promise<void> {
  const config = loadConfig({ DATABASE_URL: database.url, COMMENTS_MODERATION: 'hold-none', COMMENTS_RATE_MAX: '1000000', COMMENTS_MIN_SECONDS: '0', LOG_LEVEL: 'silent', SECRET_KEY: BENCH_SECRET });
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    await loadDemo(store);
    const service = createCommentService({ store, config, secret: await resolveSecret(store.db, config), mailer: null });
    const article = await store.db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', SEED_ARTICLE_PATH.split('/').pop()!)
      .executeTakeFirstOrThrow();
    const token = service.formToken(article.id, new Date(Date.now() - 60_000));
    const topLevel: number[] = [];
    for (let i = 0; i < COMMENTS; i++) {
      const parent = i % 5 === 4 && topLevel.length ? topLevel[(i * 7) % topLevel.length]! : 0;
      const text = `${SENTENCES[i % SENTENCES.length]}\n\n${SENTENCES[(i + 2) % SENTENCES.length]} (${i})`;
      const result = await service.post(
        {
          article_id: String(article.id),
          token,
          author: i === 0 ? APPROVED_NAME : `Reader ${i}`,
          email: i === 0 ? APPROVED_EMAIL : `reader${i}@example.org`,
          url: i % 3 === 0 ? `https://reader${i}.example/` : '',
          comment: text,
          comment_parent: String(parent),
        },
        { ip: `198.51.100.${i % 250}`, userAgent: 'bench', now: new Date(), browserComments: [] },
      );
      if (i === 0 && result.id !== APPROVED_COMMENT_ID) throw new Error(`the regular's comment got id ${result.id}, not ${APPROVED_COMMENT_ID}`);
      if (!parent) topLevel.push(result.id);
    }
  } finally {
    await store.close();
  }
}

/** A form body with "[<id>]" left unencoded in the text, so autocannon makes every comment unique. */
function formBody(fields: Record<string, string>, text: string): string {
  const encoded = Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return [...encoded, `comment=${encodeURIComponent(text)}+[<id>]`].join('&');
}

async function onOneEngine(ctx: BenchContext, engine: Engine): Promise<ScenarioReport> {
  const gazette = await startGazette({
    engine,
    // hold-first: APPROVED_EMAIL's comments publish at once, a new address's are held.
    // The regular is trusted through their browser's cookie, which the posts below carry.
    env: { COMMENTS_MODERATION: 'hold-first', COMMENTS_RATE_MAX: '1000000', COMMENTS_MIN_SECONDS: '0', DEMO_CONTENT: 'false', SECRET_KEY: BENCH_SECRET },
    prepare,
  });
  const loads: LoadRow[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const figures: ScenarioReport['figures'] = [];
  try {
    // 1. The page with 500 comments, cached.
    const page = await compareWithBare(ctx, gazette, { path: SEED_ARTICLE_PATH });
    loads.push(...page.runs);
    checks.push(...page.checks, atLeast('article with 500 comments: req/s relative to bare node:http', page.ratio * 100, 30, '%'));
    figures.push({ label: 'article with 500 comments / bare req/s', value: page.ratio * 100, unit: '%' });
    if (page.cpuRatio !== undefined) figures.push({ label: 'article with 500 comments / bare, per server CPU-second', value: page.cpuRatio * 100, unit: '%' });
    notes.push(...page.notes);

    const pages = await commentPages(gazette.url, SEED_ARTICLE_PATH);
    const shown = pages.reduce((n, p) => n + p.comments, 0);
    const widest = Math.max(...pages.map((p) => p.threads));
    checks.push(
      valid('the comment pages show all 500 comments', shown === COMMENTS, `${COMMENTS}`, `${shown} on ${pages.length} pages`),
      valid(`no comment page holds more than ${THREADS_PER_PAGE} threads`, widest <= THREADS_PER_PAGE, `<= ${THREADS_PER_PAGE}`, String(widest)),
    );
    figures.push({ label: 'article with 500 comments: bytes of the page at its address (the first comment page)', value: pages[0]!.bytes / 1024, unit: ' KB' });
    // Comments are posted to another article, so the page read in part 3 keeps its 500 comments.
    const target = (await request(gazette.url + POSTED_PATH)).body.toString('utf8');
    const articleId = /name="article_id" value="(\d+)"/.exec(target)?.[1] ?? '';
    // Pages carry no token: each reader's comes from /comments/token, as the form's script fetches it.
    const token = (JSON.parse((await request(`${gazette.url}/comments/token?article=${articleId}`)).body.toString('utf8')) as { token: string }).token;
    // The regular's browser cookie rides on every post; it trusts only the regular's name and address.
    const cookie = `gazette_commenter=${signBrowserComments(BENCH_SECRET, [APPROVED_COMMENT_ID])}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: gazette.url, cookie };
    const base = { article_id: articleId, token, comment_parent: '0', url: '' };
    const accepted = formBody({ ...base, author: APPROVED_NAME, email: APPROVED_EMAIL }, 'A published comment under load');
    const held = formBody({ ...base, author: 'Newcomer', email: 'newcomer@example.org' }, 'A held comment under load');

    // 2. POST throughput, each against the bare server answering the same 303.
    for (const [label, body, where] of [
      ['held', held, '?comment=held#respond'],
      ['accepted', accepted, '?comment=approved#comment-'],
    ] as const) {
      ctx.log(`POST /comments (${label}): ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
      const figures303 = await runLoad({ url: `${gazette.url}/comments`, method: 'POST', headers, body, idReplacement: true, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid, databasePids: gazette.databasePids });
      loads.push({ label: `gazette POST /comments (${label})`, ...figures303 });
      const only303 = figures303.statusCodes['303'] === figures303.responses && figures303.responses > 0;
      checks.push(valid(`POST (${label}): every response 303 to ${where}`, only303, '303 only', JSON.stringify(figures303.statusCodes)));
      const bare = await startBareServer(Buffer.alloc(0), 'text/plain; charset=utf-8');
      try {
        const bareFigures = await runLoad({ url: `${bare.url}/comments`, method: 'POST', headers, body, idReplacement: true, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: bare.pid });
        loads.push({ label: `bare node:http POST (${label})`, ...bareFigures });
        figures.push({ label: `POST ${label}: gazette / bare req/s`, value: (figures303.requestsPerSec / bareFigures.requestsPerSec) * 100, unit: '%' });
        figures.push({ label: `POST ${label}: comments stored per second`, value: figures303.requestsPerSec, unit: ' /s' });
      } finally {
        await bare.stop();
      }
    }

    // 3. Page reads alone, then while comments are posted (8 posting connections beside the readers).
    const readers = Math.max(1, ctx.connections - 8);
    const alone = await runLoad({ url: gazette.url + SEED_ARTICLE_PATH, connections: readers, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid, databasePids: gazette.databasePids });
    loads.push({ label: `gazette GET article, ${readers} readers, no posting`, ...alone });
    for (const [label, body] of [
      ['held', held],
      ['accepted', accepted],
    ] as const) {
      ctx.log(`GET article while posting ${label} comments: ${ctx.durationSec} s`);
      const [reads, posts] = await Promise.all([
        runLoad({ url: gazette.url + SEED_ARTICLE_PATH, connections: readers, durationSec: ctx.durationSec, warmupSec: 0, serverPid: gazette.pid, databasePids: gazette.databasePids }),
        runLoad({ url: `${gazette.url}/comments`, method: 'POST', headers, body, idReplacement: true, connections: 8, durationSec: ctx.durationSec, warmupSec: 0 }),
      ]);
      loads.push({ label: `gazette GET article while posting ${label}`, ...reads }, { label: `gazette POST ${label} beside readers`, ...posts });
      checks.push(valid(`reads while posting ${label}: every response 200, no errors`, reads.non2xx === 0 && reads.errors === 0 && reads.responses > 0, 'non-2xx = 0', `${reads.non2xx} of ${reads.responses}, ${reads.errors} errors`));
      figures.push({ label: `GET article while posting ${label}: req/s relative to no posting`, value: (reads.requestsPerSec / alone.requestsPerSec) * 100, unit: '%' });
      // The server's one thread shares its time between the posts and the reads, so reads slow down; a
      // blocked read path would drop towards zero instead.
      if (label === 'held') checks.push(atLeast('reads while held comments are posted: req/s relative to no posting', (reads.requestsPerSec / alone.requestsPerSec) * 100, 50, '%'));
    }
    const still = (await commentPages(gazette.url, SEED_ARTICLE_PATH)).reduce((n, p) => n + p.comments, 0);
    checks.push(valid('the article read in part 3 still had 500 comments', still === COMMENTS, `${COMMENTS}`, String(still)));

    // 4. Reads over the pages that do not show B, while comments on B are accepted at WRITES_PER_SEC.
    addTo({ loads, figures, checks, notes }, await readsBesideCommentsOnB(ctx, gazette, { headers, accepted }));
    notes.push(
      'Comments posted under load went to ' + POSTED_PATH + '. Held comments change no public page, so posting them leaves the page cache alone. Each accepted comment changes the page, ' +
        'so the next read re-renders that article\'s comment page: reads go on (no error, no wait on the writer), at the re-render rate.',
    );
    const serverOutput = gazette.output().trim();
    if (serverOutput) notes.push(`The Gazette server wrote (LOG_LEVEL=warn): ${serverOutput.split('\n').slice(-5).join(' / ')}`);
    return { loads, figures, checks, notes };
  } finally {
    await gazette.stop();
  }
}

/** Every comment page of an article, from its address on along rel="next": bytes, comments and top-level threads of each. */
async function commentPages(base: string, path: string): Promise<{ bytes: number; comments: number; threads: number }[]> {
  const pages: { bytes: number; comments: number; threads: number }[] = [];
  for (let next: string | null = path; next !== null && pages.length < 1000; ) {
    const html = (await request(base + next)).body.toString('utf8');
    const list = html.slice(html.indexOf('<ol class="comment-list">'));
    // A thread is an <li> of the list itself: count the items not inside a .comment-children list.
    let depth = 0;
    let threads = 0;
    for (const m of list.matchAll(/<ol class="comment-(?:list|children)">|<\/ol>|<li class="comment" /g)) {
      if (m[0].startsWith('<ol')) depth++;
      else if (m[0] === '</ol>') {
        if (--depth === 0) break;
      } else if (depth === 1) threads++;
    }
    pages.push({ bytes: Buffer.byteLength(html), comments: (html.match(/<li class="comment" id="comment-/g) ?? []).length, threads });
    next = /<a class="comment-pages-on" rel="next" href="([^"#]+)/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
  }
  return pages;
}

/** How fast comments on B are accepted in part 4 ("about 20 per second" in the issue). */
const WRITES_PER_SEC = 20;
/** Most pages the readers of part 4 spread over. */
const MAX_READ_PAGES = 40;

/** Internal HTML page links of a page: no assets, feeds, sitemaps, fragments or query strings. */
function pageLinks(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/href="(\/[^"#?]*)"/g)) {
    const p = m[1]!;
    if (p.startsWith('//') || /\.(css|js|svg|png|jpe?g|webp|avif|ico|xml|json|atom|txt)$/.test(p) || p.startsWith('/assets/') || p.startsWith('/feeds/')) continue;
    found.add(p);
  }
  return [...found];
}

/**
 * The pages that do not show B, found on the site itself: the pages linked from the home page and from
 * those pages, that answer 200 with HTML, do not mention B's address, and stay byte-identical after a
 * comment on B is accepted.
 */
async function pagesNotShowing(gazette: GazetteServer, b: string, postOne: () => Promise<void>): Promise<string[]> {
  const before = new Map<string, Buffer>();
  const fetched = new Set<string>();
  let level = ['/'];
  for (let depth = 0; depth < 3 && level.length; depth++) {
    const next: string[] = [];
    for (const p of level) {
      if (fetched.has(p) || fetched.size >= 4 * MAX_READ_PAGES) continue;
      fetched.add(p);
      const res = await request(gazette.url + p);
      if (res.status !== 200 || !String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
      const text = res.body.toString('utf8');
      next.push(...pageLinks(text));
      if (!text.includes(b)) before.set(p, res.body);
    }
    level = next;
  }
  await postOne();
  const kept: string[] = [];
  for (const [p, body] of before) {
    const res = await request(gazette.url + p);
    if (res.status === 200 && samePage(body, res.body)) kept.push(p);
    if (kept.length >= MAX_READ_PAGES) break;
  }
  return kept;
}

async function readsBesideCommentsOnB(
  ctx: BenchContext,
  gazette: GazetteServer,
  post: { headers: Record<string, string>; accepted: string },
): Promise<ScenarioReport> {
  const report = emptyReport();
  const postOnce = async () => {
    const res = await request(`${gazette.url}/comments`, { method: 'POST', headers: post.headers, body: post.accepted.replace('[<id>]', `probe-${Date.now()}`) });
    if (res.status !== 303 || !String(res.headers.location ?? '').includes('comment=approved')) throw new Error(`an accepted comment on ${POSTED_PATH} answered ${res.status} ${res.headers.location ?? ''}`);
  };
  const pages = await pagesNotShowing(gazette, POSTED_PATH, postOnce);
  report.checks.push(valid('part 4: pages that do not show B found', pages.length >= 3, '>= 3 pages', String(pages.length)));
  if (pages.length === 0) return report;
  report.notes.push(`Part 4 reads ${pages.length} pages that do not show B (${POSTED_PATH}), in turn: ${pages.join(', ')}.`);
  let next = 0;
  const nextPath = () => pages[next++ % pages.length]!;
  const readers = ctx.connections;
  const read = () =>
    runLoad({ url: gazette.url, nextPath, connections: readers, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid, databasePids: gazette.databasePids });
  let notApproved = 0;
  const write = (durationSec: number) =>
    runLoad({
      url: `${gazette.url}/comments`,
      method: 'POST',
      headers: post.headers,
      body: post.accepted,
      idReplacement: true,
      // Two connections, so that one slow answer does not hold the rate below WRITES_PER_SEC.
      connections: 2,
      overallRate: WRITES_PER_SEC,
      durationSec,
      warmupSec: 0,
      onResponse: (status, headers) => {
        if (status !== 303 || !(headers.location ?? '').includes('comment=approved')) notApproved++;
      },
    });

  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  let accepted = 0;
  let writeSeconds = 0;
  for (let round = 1; round <= ctx.rounds; round++) {
    const suffix = ctx.rounds > 1 ? ` (round ${round})` : '';
    const pair: { alone?: number; beside?: number; aloneCpu?: number; besideCpu?: number } = {};
    // Alternate which goes first, so that a neighbour's burst does not land on one side only.
    for (const withWrites of round % 2 ? [false, true] : [true, false]) {
      ctx.log(`${pages.length} pages not showing B, ${readers} readers${withWrites ? `, comments on B accepted at ${WRITES_PER_SEC}/s` : ', no writes'}${suffix}: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s`);
      if (!withWrites) {
        const alone = await read();
        report.loads.push({ label: `gazette GET ${pages.length} pages not showing B, no writes${suffix}`, ...alone });
        pair.alone = alone.requestsPerSec;
        pair.aloneCpu = alone.responsesPerCpuSec;
      } else {
        // Comments are accepted through the readers' warm-up too: the measured reads see the steady state.
        const [reads, writes] = await Promise.all([read(), write(ctx.warmupSec + ctx.durationSec)]);
        report.loads.push(
          { label: `gazette GET ${pages.length} pages not showing B, while comments on B are accepted${suffix}`, ...reads },
          { label: `gazette POST accepted comments on B, at most ${WRITES_PER_SEC}/s${suffix}`, ...writes },
        );
        report.checks.push(valid(`part 4: reads beside writes: every response 200, no errors${suffix}`, reads.non2xx === 0 && reads.errors === 0 && reads.responses > 0, 'non-2xx = 0', `${reads.non2xx} of ${reads.responses}, ${reads.errors} errors`));
        pair.beside = reads.requestsPerSec;
        pair.besideCpu = reads.responsesPerCpuSec;
        accepted += writes.responses;
        writeSeconds += writes.durationSec;
      }
    }
    if (pair.alone && pair.beside !== undefined) ratios.push(pair.beside / pair.alone);
    if (pair.aloneCpu && pair.besideCpu !== undefined) cpuRatios.push(pair.besideCpu / pair.aloneCpu);
  }
  const rate = writeSeconds ? accepted / writeSeconds : 0;
  report.checks.push(
    valid('part 4: every comment posted on B was accepted (303 to ?comment=approved)', notApproved === 0 && accepted > 0, '0 refused', `${notApproved} of ${accepted} refused or held`),
    // The issue's "about 20 per second": a writer that fell far behind would flatter the reads.
    valid(`part 4: comments on B accepted at about ${WRITES_PER_SEC}/s`, rate >= WRITES_PER_SEC * 0.75, `>= ${WRITES_PER_SEC * 0.75}/s`, `${rate.toFixed(1)}/s`),
  );
  const ratio = median(ratios) * 100;
  report.figures.push(
    { label: 'part 4: comments on B accepted per second', value: rate, unit: '/s' },
    { label: 'part 4: reads of pages not showing B, with comments on B accepted / with no writes', value: ratio, unit: '%' },
    // Reads per CPU-second of the server (and its PostgreSQL backends), the writes' own cost included:
    // what the reads pay for the writes beside them, whatever the neighbours did to the wall clock.
    ...(cpuRatios.length === ctx.rounds ? [{ label: 'part 4: the same, reads per server CPU-second (the work of the writes included)', value: median(cpuRatios) * 100, unit: '%' }] : []),
  );
  report.checks.push(atLeast(`reads of pages not showing B while comments on B are accepted at ${WRITES_PER_SEC}/s: req/s relative to no writes`, ratio, 90, '%'));
  return report;
}

export default async function comments(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  for (const engine of ctx.engines) {
    ctx.log(`— ${engine.label}`);
    addTo(report, onEngine(engine, await onOneEngine(ctx, engine)));
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
