// Mail for comments against a real SMTP server on loopback (smtp-server, port 0, no STARTTLS, with AUTH):
// editors hear of held comments, readers who opted in hear of replies, every mail has a working
// unsubscribe link, and a dead SMTP server neither blocks posting nor puts an address in a log line.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { openCommentService } from '../../src/comments/comment.service.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, commenterCookie, fields, postComment, readForm, startCommentServer } from './helpers.ts';

interface Mail {
  to: string[];
  user: string | undefined;
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** Decodes RFC 2047 words in a header (nodemailer writes UTF-8 as Q or B). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function parseMail(raw: string, to: string[], user: string | undefined): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  else if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  return { to, user, headers, subject: decodeWords(headers.get('subject') ?? ''), text: body.replace(/\r\n/g, '\n') };
}

/** An SMTP server on 127.0.0.1 that keeps what it receives and lets a test wait for a message. */
class MailSink {
  readonly mails: Mail[] = [];
  private waiters: { match: (m: Mail) => boolean; resolve: (m: Mail) => void }[] = [];
  private server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth: (auth, _session, callback) => {
      if (auth.username === 'gazette' && auth.password === 'smtp-test-password') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address), session.user as string | undefined);
        this.mails.push(mail);
        for (const w of this.waiters.filter((w) => w.match(mail))) w.resolve(mail);
        this.waiters = this.waiters.filter((w) => !w.match(mail));
        callback();
      });
    },
  });

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.server.address() as AddressInfo).port)));
  }

  /** The first message (already received or still to come) that matches. */
  next(match: (m: Mail) => boolean): Promise<Mail> {
    const had = this.mails.find(match);
    if (had) return Promise.resolve(had);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const unsubscribeLink = (m: Mail) => /http:\/\/gazette\.test(\/comments\/unsubscribe\/[A-Za-z0-9_-]{65})/.exec(m.text)?.[1];

describe('mail about comments', () => {
  const sink = new MailSink();
  let server: TestServer;
  const editor = 'editor@example.org';
  const alice = 'alice.reader@example.org';
  const bob = 'bob.replier@example.org';
  /** Bob's browser: the cookie his first reply got. */
  let bobCookie = '';

  before(async () => {
    const port = await sink.listen();
    server = await startCommentServer({
      COMMENTS_MODERATION: 'hold-first',
      COMMENTS_EDITOR_EMAILS: editor,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_USER: 'gazette',
      SMTP_PASSWORD: 'smtp-test-password',
      MAIL_FROM: 'news@gazette.test',
    });
  });
  after(async () => {
    await server.close();
    await sink.close();
  });

  it('tells editors about a held comment, with an unsubscribe link', async () => {
    const form = await readForm(server, SEED_PATH);
    assert.equal((await postComment(server, fields(form, { author: 'Alice', email: alice, comment: 'Alice waits for an editor.', notify: 'on' }))).status, 303);
    const mail = await sink.next((m) => m.to.includes(editor) && m.text.includes('Alice waits for an editor.'));
    assert.equal(mail.user, 'gazette', 'SMTP AUTH with the configured user');
    assert.match(mail.subject, /Comment held for moderation: “Disclosure of confidential document”/);
    assert.match(mail.text, /first comment from this address/);
    assert.match(mail.text, /gazette comments approve \d+/);
    assert.match(mail.text, /Moderate: http:\/\/gazette\.test\/admin\/comments\/\d+/);
    assert.match(mail.headers.get('from') ?? '', /news@gazette\.test/);
    const link = unsubscribeLink(mail);
    assert.ok(link, 'an unsubscribe link in the text');
    assert.equal(mail.headers.get('list-unsubscribe'), `<http://gazette.test${link}>`);
    assert.equal(mail.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
  });

  it('tells a reader who opted in about an approved reply, without the replier’s address', async () => {
    const { service, close } = await openCommentService(server.store, server.config, () => {});
    try {
      const [aliceComment] = await service.queue({ status: 'pending' });
      await service.moderate([aliceComment!.id], 'approved');

      const replyForm = await readForm(server, `${SEED_PATH}?replytocom=${aliceComment!.id}`);
      const posted = await postComment(server, fields(replyForm, { author: 'Bob', email: bob, comment: 'Bob answers Alice.', comment_parent: String(aliceComment!.id) }));
      assert.equal(posted.location, `${SEED_PATH}?comment=held#respond`, 'Bob is new, so held');
      bobCookie = commenterCookie(posted)!;
      const [bobComment] = await service.queue({ status: 'pending' });
      await service.moderate([bobComment!.id], 'approved');

      const mail = await sink.next((m) => m.to.includes(alice));
      assert.match(mail.subject, /New reply to your comment on “Disclosure of confidential document”/);
      assert.match(mail.text, /Bob replied to your comment/);
      assert.match(mail.text, /Bob answers Alice\./);
      // The reply's lasting address, which finds whichever comment page holds it when the mail is read.
      assert.ok(mail.text.includes(`http://gazette.test/comments/${bobComment!.id}`), mail.text);
      assert.ok(unsubscribeLink(mail));
      assert.ok(!JSON.stringify([...mail.headers]).toLowerCase().includes(bob) && !mail.text.toLowerCase().includes(bob), 'Bob’s address is not given to Alice');
    } finally {
      await close();
    }
  });

  it('stops mail after the unsubscribe link is used (page, then button)', async () => {
    const aliceMail = await sink.next((m) => m.to.includes(alice));
    const link = unsubscribeLink(aliceMail)!;
    const page = await fetch(server.url + link);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/comments\/unsubscribe\//);
    assert.ok(!html.toLowerCase().includes(alice));
    const done = await fetch(server.url + link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /This site will send no more email to your address/);

    // The editor uses the one-click form (RFC 8058) from their mail client.
    const editorMail = await sink.next((m) => m.to.includes(editor));
    const oneClick = await fetch(server.url + unsubscribeLink(editorMail)!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.status, 200);

    const aliceBefore = sink.mails.filter((m) => m.to.includes(alice)).length;
    const editorBefore = sink.mails.filter((m) => m.to.includes(editor)).length;
    // Bob is approved now: his second reply publishes at once and would tell Alice; a new reader is held and would tell the editor.
    const parent = (await server.store.db.selectFrom('comments').select('id').where('author_email_lower', '=', alice).executeTakeFirstOrThrow()).id;
    const form = await readForm(server, `${SEED_PATH}?replytocom=${parent}`);
    const second = await postComment(server, fields(form, { author: 'Bob', email: bob, comment: 'Bob again.', comment_parent: String(parent) }), { cookie: bobCookie });
    assert.ok(commentIdFrom(second.location) > 0, 'Bob’s second reply is published at once');
    assert.equal((await postComment(server, fields(form, { comment: 'A newcomer is held.' }))).status, 303);

    // Closing the server waits for mail still being sent, so the counts below are final.
    await server.close();
    server = await startCommentServer();
    assert.equal(sink.mails.filter((m) => m.to.includes(alice)).length, aliceBefore, 'no more mail to Alice');
    assert.equal(sink.mails.filter((m) => m.to.includes(editor)).length, editorBefore, 'no more mail to the editor');
  });
});

describe('mail failures', () => {
  it('never block a comment, and the log line names no address', async () => {
    // A port nothing listens on: take one from a server, then close it.
    const probe = new SMTPServer({ disabledCommands: ['STARTTLS'], logger: false });
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.server.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const server = await startCommentServer({ COMMENTS_EDITOR_EMAILS: 'lost.editor@example.org', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port) });
    const warnings: string[] = [];
    const { service, close } = await openCommentService(server.store, server.config, (message, details) => warnings.push(`${message} ${JSON.stringify(details)}`));
    try {
      const posted = await postComment(server, fields(await readForm(server, SEED_PATH), { email: 'held.reader@example.org' }));
      assert.equal(posted.status, 303, 'posting does not wait for mail');
      const articleId = Number((await readForm(server, SEED_PATH)).article_id);
      const result = await service.post(
        { ...fields({ article_id: String(articleId), token: service.formToken(articleId, new Date(Date.now() - 60_000)), comment_parent: '0' }), email: 'another.reader@example.org' },
        { ip: '192.0.2.1', userAgent: 'test', now: new Date(), browserComments: [] },
      );
      assert.equal(result.status, 'pending');
      await service.settle();
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /moderation notice failed/);
      assert.ok(!/@example\.org/.test(warnings[0]!), warnings[0]);
    } finally {
      await close();
      await server.close();
    }
  });
});
