// What a comment's answer may depend on, over real HTTP: only what the reader themself sent or holds.
// Trust (hold-first) comes from a signed cookie on the browser a reader commented from, never from an
// address anyone can type; the duplicate rule answers the same whatever address is given; the form's
// minimum age is timed per reader although article pages stay cached and identical for everyone;
// unsubscribe links act only when the server issued them; names and texts must show something.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { optoutLinkKey } from '../../src/comments/comment.token.ts';
import { resolveSecret } from '../../src/comments/comment.service.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  SEED_PATH,
  commentIdFrom,
  commenterCookie,
  fetchToken,
  fields,
  norm,
  postComment,
  problemOf,
  readForm,
  readPageForm,
  serviceFor,
  snapshot,
  startCommentServer,
  tokenAged,
  type PostAnswer,
} from './helpers.ts';

const ARABIC_PATH = '/akhbar/kashf-wathiqa-sirriya';
const PERSIAN_PATH = '/khabar/efshaye-sanad-mahramaneh';

/** The reader's typed text as a refusal page gives it back (in the form, or as read-only text). */
const typedBack = (answer: PostAnswer) => answer.document.querySelector('textarea[name="comment"], textarea.typed-text')?.textContent ?? null;

describe('trust comes from the reader’s browser, not from an address', () => {
  let server: TestServer;
  const regular = { author: 'Leila Regular', email: `leila.regular.${process.pid}@example.org` };
  let regularCookie = '';
  let publicText = '';

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-first' });
    // The regular's first comment waits for an editor; the browser it came from keeps a cookie.
    const first = await postComment(server, fields(await readForm(server, SEED_PATH), { ...regular, comment: 'Leila’s first words.' }));
    assert.equal(first.location, `${SEED_PATH}?comment=held#respond`);
    regularCookie = commenterCookie(first) ?? '';
    const service = await serviceFor(server);
    const [held] = await service.queue({ status: 'pending' });
    await service.moderate([held!.id], 'approved');
    publicText = held!.body;
  });
  after(() => server.close());

  it('publishes the regular’s next comment at once from the browser they commented from', async () => {
    assert.ok(regularCookie, 'the first POST answer set the commenter cookie');
    const again = await postComment(server, fields(await readForm(server, SEED_PATH), { ...regular, comment: 'Leila again, from her own browser.' }), { cookie: regularCookie });
    assert.equal(again.status, 303);
    assert.match(again.location ?? '', /\?comment=approved#comment-\d+$/);
    const renewed = commenterCookie(again);
    assert.ok(renewed, 'the cookie is renewed with the new comment');
    regularCookie = renewed!;
  });

  it('holds a post with the regular’s name and address from another client, answering as for an unknown address', async () => {
    const form = await readForm(server, SEED_PATH);
    const impostor = await postComment(server, fields(form, { ...regular, comment: 'Someone speaking as Leila.' }));
    const stranger = await postComment(server, fields(form, { comment: 'A stranger’s first words.' }));
    assert.equal(impostor.status, 303);
    assert.equal(impostor.location, `${SEED_PATH}?comment=held#respond`, 'held, not published');
    assert.equal(impostor.location, stranger.location, 'the same answer as for an address never seen');
    assert.deepEqual(
      impostor.headers.getSetCookie().map((c) => c.replace(/=[^;]*/, '=…')),
      stranger.headers.getSetCookie().map((c) => c.replace(/=[^;]*/, '=…')),
      'the same cookie, in shape, as any first post',
    );
    const page = await (await fetch(server.url + SEED_PATH)).text();
    assert.doesNotMatch(page, /Someone speaking as Leila/);
    const [queued] = await (await serviceFor(server)).queue({ status: 'pending', limit: 2 });
    assert.ok(queued, 'the held post waits for an editor');
  });

  it('does not trust a forged or altered cookie', async () => {
    const [name, value] = regularCookie.split('=') as [string, string];
    const altered = `${name}=${value.replace(/^(\d+)/, (id) => String(Number(id) + 1))}`;
    for (const cookie of [altered, `${name}=1-2-3.${'A'.repeat(32)}`, `${name}=garbage`]) {
      const answer = await postComment(server, fields(await readForm(server, SEED_PATH), { ...regular, comment: `Forged cookie ${cookie.length}.` }), { cookie });
      assert.equal(answer.location, `${SEED_PATH}?comment=held#respond`, cookie);
    }
  });

  it('holds a trusted browser’s post under another name or address', async () => {
    const form = await readForm(server, SEED_PATH);
    const otherName = await postComment(server, fields(form, { ...regular, author: 'Not Leila', comment: 'Same browser, other name.' }), { cookie: regularCookie });
    assert.equal(otherName.location, `${SEED_PATH}?comment=held#respond`);
    const otherAddress = await postComment(server, fields(form, { author: regular.author, comment: 'Same browser, other address.' }), { cookie: regularCookie });
    assert.equal(otherAddress.location, `${SEED_PATH}?comment=held#respond`);
  });

  it('keeps the cookie private: HttpOnly, SameSite=Lax, only for /comments, no address in it', async () => {
    const answer = await postComment(server, fields(await readForm(server, SEED_PATH), { ...regular, comment: 'Checking the cookie.' }), { cookie: regularCookie });
    const [set] = answer.headers.getSetCookie();
    assert.ok(set);
    assert.match(set, /; HttpOnly/i);
    assert.match(set, /; SameSite=Lax/i);
    assert.match(set, /; Path=\/comments(;|$)/i);
    assert.doesNotMatch(set, /; Secure/i, 'an http PUBLIC_URL gets no Secure flag');
    const value = set.split(';')[0]!.toLowerCase();
    for (const part of [regular.email, encodeURIComponent(regular.email), 'leila', 'example']) assert.ok(!value.includes(part.toLowerCase()), `cookie contains ${part}`);
  });

  it('leaves article pages cacheable and identical with or without the cookie, and sets no cookie on them', async () => {
    const plain = await fetch(server.url + SEED_PATH);
    const withCookie = await fetch(server.url + SEED_PATH, { headers: { cookie: regularCookie } });
    assert.equal(await plain.text(), await withCookie.text());
    assert.deepEqual(withCookie.headers.getSetCookie(), []);
    assert.match(withCookie.headers.get('server-timing') ?? '', /cache;desc=hit/);
  });

  it('answers a repeat of a published comment the same whatever address is given', async () => {
    const form = await readForm(server, SEED_PATH);
    const before = await snapshot(server);
    const byAuthor = await postComment(server, fields(form, { ...regular, comment: publicText }));
    const byOther = await postComment(server, fields(form, { comment: publicText }));
    const byAuthorsBrowser = await postComment(server, fields(form, { ...regular, comment: publicText }), { cookie: regularCookie });
    for (const answer of [byAuthor, byOther, byAuthorsBrowser]) {
      assert.equal(answer.status, 409);
      assert.equal(problemOf(answer), problemOf(byOther));
      assert.equal(typedBack(answer), publicText, 'the typed text is kept');
      assert.deepEqual(answer.headers.getSetCookie(), [], 'a refusal sets no cookie');
    }
    assert.match(problemOf(byOther), /This exact comment has already been sent to this article/);
    assert.deepEqual(await snapshot(server), before, 'nothing stored');
  });

  it('answers a repeat of another reader’s held comment the same whatever address is given', async () => {
    const form = await readForm(server, SEED_PATH);
    const writer = fields(form, { comment: 'Held text nobody else has seen.' });
    assert.equal((await postComment(server, writer)).location, `${SEED_PATH}?comment=held#respond`);
    const withWritersAddress = await postComment(server, fields(form, { author: writer.author!, email: writer.email!, comment: writer.comment! }));
    const withOtherAddress = await postComment(server, fields(form, { comment: writer.comment! }));
    assert.equal(withWritersAddress.status, 303);
    assert.equal(withWritersAddress.location, withOtherAddress.location);
  });

  it('refuses a repeat from the browser that sent it, even while it is held', async () => {
    const form = await readForm(server, SEED_PATH);
    const sent = fields(form, { comment: 'Pressed the button twice.' });
    const first = await postComment(server, sent);
    assert.equal(first.location, `${SEED_PATH}?comment=held#respond`);
    const again = await postComment(server, sent, { cookie: commenterCookie(first)! });
    assert.equal(again.status, 409);
    assert.equal(typedBack(again), sent.comment);
  });
});

describe('unsubscribe links', () => {
  let server: TestServer;
  let issued = '';
  const optoutRows = async () => server.store.db.selectFrom('mail_optouts').selectAll().execute();

  before(async () => {
    server = await startCommentServer({ COMMENTS_RATE_MAX: '6', COMMENTS_RATE_WINDOW_SECONDS: '600' });
    issued = optoutLinkKey(await resolveSecret(server.store.db, server.config), 'someone@example.org');
  });
  after(() => server.close());

  const post = (key: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/comments/unsubscribe/${key}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'List-Unsubscribe=One-Click' });

  it('refuses keys the server did not issue, with 404, a message and no row', async () => {
    for (const key of ['A'.repeat(43), 'B'.repeat(65), issued.slice(0, -1) + (issued.endsWith('A') ? 'B' : 'A')]) {
      const get = await fetch(`${server.url}/comments/unsubscribe/${key}`);
      assert.equal(get.status, 404);
      const answer = await post(key);
      assert.equal(answer.status, 404, key);
      assert.match(await answer.text(), /This unsubscribe link is not valid/);
    }
    assert.deepEqual(await optoutRows(), []);
  });

  it('refuses a cross-site post with 403 and no row', async () => {
    const answer = await post(issued, { origin: 'https://evil.example' });
    assert.equal(answer.status, 403);
    assert.match(await answer.text(), /sent from another website/);
    const fetched = await post(issued, { 'sec-fetch-site': 'cross-site' });
    assert.equal(fetched.status, 403);
    assert.deepEqual(await optoutRows(), []);
  });

  it('acts on an issued key, and limits how often one address may post', async () => {
    const done = await post(issued);
    assert.equal(done.status, 200);
    assert.match(await done.text(), /This site will send no more email to your address/);
    assert.equal((await optoutRows()).length, 1);
    // Six posts in the window: three unknown keys in the first test (cross-site ones are refused before
    // counting), and three here; the seventh is refused.
    assert.equal((await post('C'.repeat(65))).status, 404);
    assert.equal((await post(issued)).status, 200);
    const limited = await post(issued);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.match(await limited.text(), /Too many requests/);
    const flood = await post('D'.repeat(65));
    assert.equal(flood.status, 429, 'an unknown key is limited too');
    assert.equal((await optoutRows()).length, 1);
  });
});

describe('the form’s minimum age is timed per reader', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer({ COMMENTS_MIN_SECONDS: '1', COMMENTS_MODERATION: 'hold-none' });
  });
  after(() => server.close());

  it('refuses a post sent right after fetching a cached page, keeping the typed text', async () => {
    const first = await fetch(server.url + SEED_PATH);
    const renderedAt = Date.now();
    await first.text();
    // Once the cached page is older than the minimum age, a bot fetching it gets a page like any other.
    while (Date.now() < renderedAt + 2100) await new Promise((resolve) => setTimeout(resolve, 100));
    const cached = await fetch(server.url + SEED_PATH);
    assert.match(cached.headers.get('server-timing') ?? '', /cache;desc=hit/);
    await cached.text();
    const form = await readPageForm(server, SEED_PATH);
    const before = await snapshot(server);
    const sent = fields(form, { comment: 'Posted the moment the page arrived.' });
    const answer = await postComment(server, sent);
    assert.ok(answer.status >= 400 && answer.status < 500, `status ${answer.status}`);
    assert.match(problemOf(answer), /press Post Comment again/);
    assert.equal(typedBack(answer), sent.comment);
    assert.deepEqual(await snapshot(server), before, 'nothing stored');
  });

  it('serves the same page bytes to every reader, with no token in them', async () => {
    const a = await (await fetch(server.url + SEED_PATH)).text();
    const b = await (await fetch(server.url + SEED_PATH)).text();
    assert.equal(a, b);
    assert.equal((await readPageForm(server, SEED_PATH)).token, '');
    const src = /<script src="(\/assets\/comments\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(a)?.[1];
    assert.ok(src, 'the form’s script is linked');
    const script = await fetch(server.url + src);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    assert.match(await script.text(), /\/comments\/token\?article=/);
  });

  it('hands out a per-reader token that works once old enough', async () => {
    const form = await readPageForm(server, SEED_PATH);
    const response = await fetch(`${server.url}/comments/token?article=${form.article_id}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    const { token } = (await response.json()) as { token: string };
    const sent = fields({ ...form, token }, { comment: 'Typed after the token came.' });
    const tooSoon = await postComment(server, sent);
    assert.equal(tooSoon.status, 400);
    assert.match(problemOf(tooSoon), /sent too quickly/);
    assert.equal(typedBack(tooSoon), sent.comment);
    assert.equal(tooSoon.document.querySelector('[name="token"]')?.getAttribute('value'), token, 'the wait goes on from the same token');
    await tokenAged(token, 1);
    const later = await postComment(server, sent);
    assert.equal(later.status, 303);
    assert.ok(commentIdFrom(later.location) > 0);
  });

  it('lets a reader without JavaScript confirm with a fresh token after the wait', async () => {
    const form = await readPageForm(server, SEED_PATH);
    const sent = fields(form, { comment: 'Sent from a browser without scripts.' });
    const confirm = await postComment(server, sent);
    assert.equal(confirm.status, 400);
    assert.match(problemOf(confirm), /press Post Comment again/);
    const token = confirm.document.querySelector('[name="token"]')?.getAttribute('value') ?? '';
    assert.ok(token, 'the confirm page carries a fresh token');
    await tokenAged(token, 1);
    const done = await postComment(server, { ...sent, token });
    assert.equal(done.status, 303);
  });

  it('answers a token request for a missing article with 404', async () => {
    for (const article of ['999999', 'abc', '']) {
      const response = await fetch(`${server.url}/comments/token?article=${article}`);
      assert.equal(response.status, 404, article);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    }
    assert.equal((await fetchToken(server, (await readPageForm(server, SEED_PATH)).article_id)).split('.').length, 3);
  });
});

describe('names and texts made only of invisible characters', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer();
  });
  after(() => server.close());

  const INVISIBLE = ['\u200B', '\u3164', '\u2800', '\u00AD', '\u202E', '\u115F\u1160', '\uFFA0', '\u200B \u2800\u3000\uFEFF', '\u034F\uFE0F', '\u{E0041}\u{E0042}', '\u2061\u180E'];

  it('refuses such a name, with a message beside the field, and stores nothing', async () => {
    const form = await readForm(server, SEED_PATH);
    for (const author of INVISIBLE) {
      const before = await snapshot(server);
      const answer = await postComment(server, fields(form, { author }));
      const cps = [...author].map((c) => c.codePointAt(0)!.toString(16)).join(' ');
      assert.equal(answer.status, 422, cps);
      assert.match(norm(answer.document.querySelector('#author-error')?.textContent), /Name has no visible characters/, cps);
      assert.deepEqual(await snapshot(server), before, cps);
    }
  });

  it('refuses such a comment text, and keeps accepting real names and texts', async () => {
    const form = await readForm(server, SEED_PATH);
    for (const comment of INVISIBLE) {
      const answer = await postComment(server, fields(form, { comment }));
      assert.equal(answer.status, 422);
      assert.match(norm(answer.document.querySelector('#comment-error')?.textContent), /Comment has no visible characters/);
    }
    for (const [author, comment] of [['\u200BZoë', 'Text with a zero\u200Bwidth space.'], ['علی', 'نظر'], ['ㅎ', '\u2800x'], ['\u0647\u200C\u0627', 'ok\u00AD']]) {
      assert.equal((await postComment(server, fields(form, { author: author!, comment: comment! }))).status, 303, author);
    }
  });

  it('says so in Arabic and Persian', async () => {
    for (const [path, said] of [
      [ARABIC_PATH, /لا يحتوي حقل الاسم على أي حرف ظاهر/],
      [PERSIAN_PATH, /نام هیچ نویسهٔ دیدنی ندارد/],
    ] as const) {
      const answer = await postComment(server, fields(await readForm(server, path), { author: '\u3164' }));
      assert.equal(answer.status, 422);
      assert.match(norm(answer.document.querySelector('#author-error')?.textContent), said);
    }
  });
});

describe('comments that close by age', () => {
  it('are found for the hourly look that drops their cached pages (pages no longer expire with a token)', async () => {
    const server = await startCommentServer({ COMMENTS_CLOSE_AFTER_DAYS: '30' });
    try {
      const service = await serviceFor(server);
      const article = await server.store.db.selectFrom('articles').select(['id', 'published_at']).where('slug', '=', SEED_PATH.split('/').pop()!).executeTakeFirstOrThrow();
      const closesAt = Date.parse(article.published_at!) + 30 * 86_400_000;
      const hour = 3_600_000;
      assert.ok((await service.closedBetween(new Date(closesAt - hour), new Date(closesAt + hour))).includes(article.id));
      assert.ok(!(await service.closedBetween(new Date(closesAt + hour), new Date(closesAt + 2 * hour))).includes(article.id));
      assert.ok(!(await service.closedBetween(new Date(closesAt - 2 * hour), new Date(closesAt - hour))).includes(article.id));
    } finally {
      await server.close();
    }
  });
});
