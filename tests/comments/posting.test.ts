// Every rule of POST /comments over real HTTP against the real server: what a reader gets back (status,
// a message naming the problem, the form again with what they typed) and that nothing was stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CommentRejected, type RejectionProblem } from '../../src/comments/comment.errors.ts';
import { issueFormToken } from '../../src/comments/comment.token.ts';
import { HTTP_STATUS } from '../../src/errors.ts';
import { resolveSecret } from '../../src/comments/comment.service.ts';
import type { TestServer } from '../helpers/server.ts';
import {
  SEED_PATH,
  commentIdFrom,
  commenterCookie,
  countComments,
  fields,
  norm,
  postComment,
  problemOf,
  readForm,
  serviceFor,
  snapshot,
  startCommentServer,
  type PostAnswer,
} from './helpers.ts';

/** Asserts a refusal: status, a problem sentence matching `problem`, no-store, and no row written. */
async function assertRefused(server: TestServer, send: () => Promise<PostAnswer>, status: number, problem: RegExp): Promise<PostAnswer> {
  const before = await snapshot(server);
  const answer = await send();
  assert.equal(answer.status, status, `status for ${problem}: ${problemOf(answer)}`);
  assert.match(problemOf(answer), problem);
  assert.match(answer.headers.get('cache-control') ?? '', /no-store/);
  assert.match(answer.headers.get('content-type') ?? '', /^text\/html/);
  assert.deepEqual(await snapshot(server), before, 'nothing stored');
  return answer;
}

/** The refusal page offers the form again with what the reader typed. */
function assertKept(answer: PostAnswer, sent: Record<string, string>, fieldsToCheck: readonly string[] = ['author', 'url', 'comment']) {
  const form = answer.document.querySelector('form.comment-form');
  assert.ok(form, 'the form is offered again');
  for (const name of fieldsToCheck) {
    const el: Element = form.querySelector(`[name="${name}"]`)!;
    const value: string | null = el.tagName === 'TEXTAREA' ? el.textContent : el.getAttribute('value');
    assert.equal(value, sent[name], `${name} kept`);
  }
  assert.ok(form.querySelector('[name="token"]')?.getAttribute('value'), 'a fresh token');
}

describe('posting a comment', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer({ COMMENTS_MAX_LENGTH: '200', COMMENTS_MAX_DEPTH: '2', COMMENTS_BLOCKLIST: 'casino, cheap pills', COMMENTS_MAX_LINKS: '1' });
  });
  after(() => server.close());

  it('holds a first comment, shows it once approved, and publishes the next one from that browser at once', async () => {
    const form = await readForm(server, SEED_PATH);
    const first = fields(form, { comment: 'First words from Hana.', author: 'Hana', email: 'Hana@Example.org' });
    const held = await postComment(server, first);
    assert.equal(held.status, 303);
    assert.equal(held.location, `${SEED_PATH}?comment=held#respond`);
    assert.equal(held.headers.get('cache-control'), 'no-store');
    const cookie = commenterCookie(held)!;
    assert.ok(cookie, 'the browser gets the commenter cookie');

    const heldPage = await (await fetch(server.url + held.location!)).text();
    assert.match(heldPage, /Your comment is awaiting moderation/);
    assert.doesNotMatch(heldPage, /First words from Hana/, 'a held comment is not shown');

    const service = await serviceFor(server);
    const [queued] = await service.queue({ status: 'pending' });
    assert.equal(queued?.body, 'First words from Hana.');
    assert.equal(queued?.note, 'first comment from this address');
    await service.moderate([queued!.id], 'approved');
    const approvedPage = await (await fetch(server.url + SEED_PATH)).text();
    assert.match(approvedPage, /First words from Hana/, 'approval shows at once (page cache dropped)');

    const second = await postComment(server, fields(await readForm(server, SEED_PATH), { comment: 'Hana again.', author: 'Hana', email: 'hana@example.ORG' }), { cookie });
    assert.equal(second.status, 303);
    const id = commentIdFrom(second.location);
    assert.equal(second.location, `${SEED_PATH}?comment=approved#comment-${id}`);
    const page = await (await fetch(server.url + second.location!)).text();
    assert.match(page, /Your comment is published/);
    assert.match(page, new RegExp(`id="comment-${id}"`));
  });

  it('refuses a repeat of the same comment from the same browser with 409', async () => {
    const form = await readForm(server, SEED_PATH);
    const sent = fields(form, { comment: 'Said once.' });
    const first = await postComment(server, sent);
    assert.equal(first.status, 303);
    const answer = await assertRefused(server, () => postComment(server, sent, { cookie: commenterCookie(first)! }), 409, /already been sent to this article/);
    assertKept(answer, sent);
  });

  it('refuses a filled-in honeypot', async () => {
    const sent = fields(await readForm(server, SEED_PATH), { homepage: 'http://spam.example' });
    const answer = await assertRefused(server, () => postComment(server, sent), 400, /field meant to stay empty/);
    assertKept(answer, sent);
  });

  it('refuses an expired form token and offers a fresh form', async () => {
    const form = await readForm(server, SEED_PATH);
    const secret = await resolveSecret(server.store.db, server.config);
    const old = issueFormToken(secret, Number(form.article_id), new Date(Date.now() - 49 * 3600_000));
    const sent = fields(form, { token: old });
    const answer = await assertRefused(server, () => postComment(server, sent), 400, /form expired/);
    assertKept(answer, sent);
    const fresh = answer.document.querySelector('[name="token"]')!.getAttribute('value')!;
    assert.notEqual(fresh, old);
    assert.equal((await postComment(server, { ...sent, token: fresh })).status, 303, 'the re-offered form works');
  });

  it('refuses a forged or other-article token, and asks to confirm a form without one', async () => {
    const form = await readForm(server, SEED_PATH);
    // One signature character changed, to one it certainly is not (a fixed 'xx' ending was the real one now and then).
    const forged = form.token.slice(0, -1) + (form.token.endsWith('A') ? 'B' : 'A');
    await assertRefused(server, () => postComment(server, fields(form, { token: forged })), 400, /form is damaged/);
    const sent = fields(form, { token: '' });
    assertKept(await assertRefused(server, () => postComment(server, sent), 400, /press Post Comment again/), sent);
    const secret = await resolveSecret(server.store.db, server.config);
    await assertRefused(server, () => postComment(server, fields(form, { token: issueFormToken(secret, Number(form.article_id) + 1, new Date()) })), 400, /form is damaged/);
  });

  it('refuses posts from another site (Origin, Referer or Sec-Fetch-Site)', async () => {
    const form = await readForm(server, SEED_PATH);
    await assertRefused(server, () => postComment(server, fields(form), { origin: 'https://evil.example' }), 403, /sent from another website/);
    await assertRefused(server, () => postComment(server, fields(form), { origin: '', referer: 'https://evil.example/page' }), 403, /sent from another website/);
    await assertRefused(server, () => postComment(server, fields(form), { 'sec-fetch-site': 'cross-site' }), 403, /sent from another website/);
    // The configured public origin counts as the site's own (a reverse proxy in front of the server).
    assert.equal((await postComment(server, fields(form), { origin: server.config.publicUrl })).status, 303);
  });

  it('refuses a missing, empty or malformed email, naming the field', async () => {
    const form = await readForm(server, SEED_PATH);
    for (const [email, said] of [
      ['', /Email is required/],
      ['   ', /Email is required/],
      ['not-an-address', /Email must be an address/],
      ['a@b', /Email must be an address/],
      ['two@@example.org', /Email must be an address/],
    ] as const) {
      const sent = fields(form, { email });
      const answer = await assertRefused(server, () => postComment(server, sent), 422, /Some fields need correcting/);
      assert.match(norm(answer.document.querySelector('#email-error')?.textContent), said);
      assert.equal(answer.document.querySelector('#email')!.getAttribute('aria-invalid'), 'true');
      assertKept(answer, sent);
    }
    const noEmail = fields(form);
    delete noEmail.email;
    await assertRefused(server, () => postComment(server, noEmail), 422, /Some fields need correcting/);
  });

  it('refuses a missing name or text and a website that is not an http(s) address', async () => {
    const form = await readForm(server, SEED_PATH);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ author: '' }, '#author-error', /Name is required/],
      [{ comment: ' \n ' }, '#comment-error', /Comment is required/],
      [{ url: 'javascript:alert(1)' }, '#url-error', /Website must be a full http/],
      [{ url: 'http://exa mple.org' }, '#url-error', /Website must be a full http/],
      [{ author: 'Bell\u0007' }, '#author-error', /control characters/],
    ];
    for (const [extra, selector, said] of cases) {
      const sent = fields(form, extra);
      const answer = await assertRefused(server, () => postComment(server, sent), 422, /Some fields need correcting/);
      assert.match(norm(answer.document.querySelector(selector)?.textContent), said);
      assertKept(answer, sent);
    }
  });

  it('refuses a comment longer than COMMENTS_MAX_LENGTH and keeps the text', async () => {
    const sent = fields(await readForm(server, SEED_PATH), { comment: 'é'.repeat(201) });
    const answer = await assertRefused(server, () => postComment(server, sent), 422, /Some fields need correcting/);
    assert.match(norm(answer.document.querySelector('#comment-error')?.textContent), /Comment is too long: at most 200 characters \(you sent 201\)/);
    assertKept(answer, sent);
    assert.equal((await postComment(server, fields(await readForm(server, SEED_PATH), { comment: 'é'.repeat(200) }))).status, 303, '200 is allowed');
  });

  it('threads replies and refuses one deeper than COMMENTS_MAX_DEPTH', async () => {
    const service = await serviceFor(server);
    const form = await readForm(server, SEED_PATH);
    const top = await postComment(server, fields(form, { comment: 'Top of a thread.' }));
    const topId = Number((await service.queue({ status: 'pending', limit: 1 }))[0]!.id);
    assert.equal(top.status, 303);
    await service.moderate([topId], 'approved');

    // The reply link leads to a form that carries the parent.
    const replyForm = await readForm(server, `${SEED_PATH}?replytocom=${topId}`);
    assert.equal(replyForm.comment_parent, String(topId));
    const reply = await postComment(server, fields(replyForm, { comment: 'A reply.', comment_parent: String(topId) }));
    assert.equal(reply.status, 303);
    const replyId = (await service.queue({ status: 'pending', limit: 1 }))[0]!.id;
    await service.moderate([replyId], 'approved');

    const page = (await import('linkedom')).parseHTML(await (await fetch(server.url + SEED_PATH)).text()).document;
    assert.ok(page.querySelector(`#comment-${topId} .comment-children #comment-${replyId}`), 'the reply sits inside its parent');
    assert.equal(page.querySelector(`#comment-${replyId} .comment-reply`), null, 'no reply link at the deepest level');

    const sent = fields(form, { comment: 'Too deep.', comment_parent: String(replyId) });
    const answer = await assertRefused(server, () => postComment(server, sent), 422, /Some fields need correcting/);
    assert.match(norm(answer.document.querySelector('#comment_parent-error')?.textContent), /at most 2 levels deep/);
    assertKept(answer, sent, ['author', 'comment']);

    await assertRefused(server, () => postComment(server, fields(form, { comment_parent: '999999' })), 422, /Some fields need correcting/);
    await assertRefused(server, () => postComment(server, fields(form, { comment_parent: 'x1' })), 422, /Some fields need correcting/);
  });

  it('holds a comment with too many links, and sends blocklisted words to spam', async () => {
    const service = await serviceFor(server);
    const form = await readForm(server, SEED_PATH);
    const links = await postComment(server, fields(form, { comment: 'See https://a.example and https://b.example' }));
    assert.equal(links.location, `${SEED_PATH}?comment=held#respond`);
    const [held] = await service.queue({ status: 'pending', limit: 1 });
    assert.equal(held?.note, '2 links (more than 1)');

    const spam = await postComment(server, fields(form, { comment: 'Best CASINO in town' }));
    assert.equal(spam.location, `${SEED_PATH}?comment=held#respond`, 'a spammer is told no more than "held"');
    const [marked] = await service.queue({ status: 'spam', limit: 1 });
    assert.equal(marked?.body, 'Best CASINO in town');
    assert.equal(marked?.note, 'contains the blocklisted word "casino"');
  });

  it('refuses comments on an article whose comments are closed', async () => {
    const service = await serviceFor(server);
    const form = await readForm(server, '/akhbar/kashf-wathiqa-sirriya');
    await service.setOpen('akhbar/kashf-wathiqa-sirriya', false);
    try {
      const page = await (await fetch(`${server.url}/akhbar/kashf-wathiqa-sirriya`)).text();
      assert.match(page, /التعليقات مغلقة على هذا المقال/);
      assert.doesNotMatch(page, /class="comment-form"/);
      const answer = await assertRefused(server, () => postComment(server, fields(form)), 403, /التعليقات مغلقة/);
      assert.equal(answer.document.querySelector('form.comment-form'), null, 'no form for a closed article');
      assert.ok(answer.document.querySelector('textarea.typed-text')?.textContent?.startsWith('A thoughtful remark'), 'the typed text is still given back');
    } finally {
      await service.setOpen('akhbar/kashf-wathiqa-sirriya', true);
    }
  });

  it('refuses an unknown or unpublished article with 404', async () => {
    const form = await readForm(server, SEED_PATH);
    for (const article_id of ['999999', 'abc', '']) {
      const sent = fields(form, { article_id });
      const answer = await assertRefused(server, () => postComment(server, sent), 404, /does not exist or is not published/);
      assert.equal(answer.document.querySelector('textarea.typed-text')?.textContent, sent.comment);
    }
  });

  it('refuses a body that is not an HTML form with 415', async () => {
    const form = await readForm(server, SEED_PATH);
    const json = JSON.stringify(fields(form));
    await assertRefused(
      server,
      async () => {
        const r = await fetch(`${server.url}/comments`, { method: 'POST', body: json, headers: { 'content-type': 'application/json', origin: server.url } });
        const text = await r.text();
        return { status: r.status, location: null, headers: r.headers, text, document: (await import('linkedom')).parseHTML(text).document as unknown as Document };
      },
      415,
      /application\/x-www-form-urlencoded/,
    );
    await assertRefused(
      server,
      async () => {
        const r = await fetch(`${server.url}/comments`, { method: 'POST', headers: { origin: server.url } });
        const text = await r.text();
        return { status: r.status, location: null, headers: r.headers, text, document: (await import('linkedom')).parseHTML(text).document as unknown as Document };
      },
      415,
      /ordinary web form/,
    );
  });

  it('refuses an oversize body with 413', async () => {
    const form = await readForm(server, SEED_PATH);
    await assertRefused(server, () => postComment(server, fields(form, { comment: 'x'.repeat(200_000) })), 413, /request is too large/);
  });

  it('serves each refusal with the status src/errors.ts gives its error code', async () => {
    // One map from code to status: a refusal's AppError code, handled anywhere, means the status served here.
    const statusOf = (problem: RejectionProblem) => HTTP_STATUS[new CommentRejected(problem, '').code];
    const form = await readForm(server, SEED_PATH);
    const once = fields(form);
    const onceAnswer = await postComment(server, once);
    assert.equal(onceAnswer.status, 303);
    const served: [RejectionProblem, number][] = [
      ['cross_site', (await postComment(server, fields(form), { origin: 'https://evil.example' })).status],
      ['honeypot', (await postComment(server, fields(form, { homepage: 'x' }))).status],
      ['token_invalid', (await postComment(server, fields(form, { token: 'forged' }))).status],
      ['confirm', (await postComment(server, fields(form, { token: '' }))).status],
      ['unknown_article', (await postComment(server, fields(form, { article_id: '999999' }))).status],
      ['invalid', (await postComment(server, fields(form, { comment: '' }))).status],
      ['duplicate', (await postComment(server, once, { cookie: commenterCookie(onceAnswer)! })).status],
      ['too_large', (await postComment(server, fields(form, { comment: 'x'.repeat(200_000) }))).status],
      ['wrong_content_type', (await fetch(`${server.url}/comments`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', origin: server.url } })).status],
    ];
    const service = await serviceFor(server);
    const closedForm = await readForm(server, '/akhbar/kashf-wathiqa-sirriya');
    await service.setOpen('akhbar/kashf-wathiqa-sirriya', false);
    try {
      served.push(['closed', (await postComment(server, fields(closedForm))).status]);
    } finally {
      await service.setOpen('akhbar/kashf-wathiqa-sirriya', true);
    }
    for (const [problem, status] of served) assert.equal(status, statusOf(problem), `${problem}: served ${status}, its code ${new CommentRejected(problem, '').code}`);
    assert.equal(statusOf('closed'), 403, 'closed comments stay 403');
    assert.equal(statusOf('cross_site'), 403, 'a form from another site stays 403');
  });

  it('is never answered from the page cache, and a notice URL shows no private data', async () => {
    const form = await readForm(server, SEED_PATH);
    const sent = fields(form, { email: 'private.person@example.org', comment: '' });
    const answer = await postComment(server, sent);
    assert.equal(answer.status, 422);
    assert.match(answer.text, /private\.person@example\.org/, 'the reader gets their own address back in their own form');
    assert.match(answer.headers.get('cache-control') ?? '', /no-store/);
    const page = await (await fetch(`${server.url}${SEED_PATH}?comment=held`)).text();
    assert.doesNotMatch(page, /private\.person/);
  });
});

describe('posting limits', () => {
  it('answers 429 with Retry-After once an address has posted COMMENTS_RATE_MAX comments', async () => {
    const server = await startCommentServer({ COMMENTS_RATE_MAX: '2', COMMENTS_RATE_WINDOW_SECONDS: '600' });
    try {
      const form = await readForm(server, SEED_PATH);
      assert.equal((await postComment(server, fields(form))).status, 303);
      assert.equal((await postComment(server, fields(form))).status, 303);
      const sent = fields(form);
      const answer = await assertRefused(server, () => postComment(server, sent), 429, /Too many comments were sent from your address/);
      const wait = Number(answer.headers.get('retry-after'));
      assert.ok(wait > 0 && wait <= 600, `Retry-After ${wait}`);
      assertKept(answer, sent);
    } finally {
      await server.close();
    }
  });

  it('refuses a form sent faster than a person types (default minimum age)', async () => {
    const server = await startCommentServer({ COMMENTS_MIN_SECONDS: '3' });
    try {
      assert.equal(server.config.comments.minSeconds, 3);
      const form = await readForm(server, SEED_PATH);
      const sent = fields(form);
      const answer = await assertRefused(server, () => postComment(server, sent), 400, /sent too quickly/);
      assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      assertKept(answer, sent);
    } finally {
      await server.close();
    }
  });

  it('uses 3 seconds as the default minimum form age', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    assert.equal(loadConfig({}).comments.minSeconds, 3);
  });

  it('closes comments automatically COMMENTS_CLOSE_AFTER_DAYS after publishing', async () => {
    const server = await startCommentServer({ COMMENTS_CLOSE_AFTER_DAYS: '30' });
    try {
      // The demo article was published in 2022: long past 30 days.
      const page = await (await fetch(server.url + SEED_PATH)).text();
      assert.match(page, /Comments are closed for this article/);
      const service = await serviceFor(server);
      const articleId = (await server.store.db.selectFrom('articles').select('id').where('slug', '=', 'disclosure-of-confidential-document').executeTakeFirstOrThrow()).id;
      const token = service.formToken(articleId);
      await assertRefused(server, () => postComment(server, fields({ article_id: String(articleId), token, comment_parent: '0' })), 403, /Comments are closed/);
    } finally {
      await server.close();
    }
  });

  it('holds every comment with hold-all, none with hold-none, and spams a blocklisted IP', async () => {
    const all = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    try {
      const form = await readForm(all, SEED_PATH);
      const f = fields(form);
      assert.equal((await postComment(all, f)).location, `${SEED_PATH}?comment=held#respond`);
      const service = await serviceFor(all);
      await service.moderate([(await service.queue())[0]!.id], 'approved');
      assert.equal((await postComment(all, { ...f, comment: 'again' })).location, `${SEED_PATH}?comment=held#respond`, 'even an approved commenter is held');
    } finally {
      await all.close();
    }
    const none = await startCommentServer({ COMMENTS_MODERATION: 'hold-none', COMMENTS_BLOCKED_IPS: '10.0.0.1' });
    try {
      const answer = await postComment(none, fields(await readForm(none, SEED_PATH)));
      assert.match(answer.location ?? '', /\?comment=approved#comment-\d+$/);
    } finally {
      await none.close();
    }
    const blocked = await startCommentServer({ COMMENTS_MODERATION: 'hold-none', COMMENTS_BLOCKED_IPS: '127.0.0.1' });
    try {
      assert.equal((await postComment(blocked, fields(await readForm(blocked, SEED_PATH)))).location, `${SEED_PATH}?comment=held#respond`);
      const [c] = await (await serviceFor(blocked)).queue({ status: 'spam' });
      assert.equal(c?.note, 'sent from a blocklisted IP address');
      assert.equal(await countComments(blocked), 1);
    } finally {
      await blocked.close();
    }
  });
});
