// "Never in any log line": the real `gazette serve` in a child process at LOG_LEVEL=trace, with editor
// mail going to an SMTP server that refuses the recipient, quoting the address (as real servers do),
// so a mail failure is logged. Readers post and are refused; then every line the server wrote is
// searched for their addresses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { tempDir } from '../helpers/server.ts';
import { SEED_PATH, commenterCookie, fields, postComment, readForm } from './helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/gazette.mjs');

/** An SMTP server that refuses every recipient with a reply naming the address. */
async function refusingSmtp(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: mailbox unavailable`), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('server logs', () => {
  it('name no reader address, even at trace level and when mail fails', async () => {
    const tmp = tempDir();
    const smtp = await refusingSmtp();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: `file:${path.join(tmp.dir, 'gazette.db')}`,
        PORT: '0',
        HOST: '127.0.0.1',
        PUBLIC_URL: 'http://gazette.test',
        LOG_LEVEL: 'trace',
        COMMENTS_MIN_SECONDS: '0',
        COMMENTS_EDITOR_EMAILS: 'desk.editor@example.org',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const lines = new Set<(text: string) => void>();
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const l of lines) l(output);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    /** Resolves once the output matches. */
    const seen = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const check = (text: string) => {
          const m = text.match(pattern);
          if (m) {
            lines.delete(check);
            resolve(m);
          }
        };
        lines.add(check);
        check(output);
      });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const [, url] = await seen(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      const server = { url: url! };
      const form = await readForm(server, SEED_PATH);
      const emails = ['first.timer@example.org', 'wrong.field@example.org', 'twice@example.org'];
      assert.equal((await postComment(server, fields(form, { email: emails[0]!, comment: 'Held, so the editors get mail (which fails).' }))).status, 303);
      assert.equal((await postComment(server, fields(form, { email: emails[1]!, url: 'not a url' }))).status, 422);
      const twice = fields(form, { email: emails[2]! });
      // The same browser sends it again (its cookie names the first): a duplicate.
      const cookie = commenterCookie(await postComment(server, twice))!;
      assert.equal((await postComment(server, twice, { cookie })).status, 409);
      assert.equal((await postComment(server, fields(form, { email: 'Desk.Editor@example.org', token: 'forged' }))).status, 400);
      // The failed moderation mail is logged before the server is asked to stop.
      await seen(/moderation notice failed/);
      child.kill('SIGTERM');
      await exited;
      assert.match(output, /"statusCode":422/, 'requests were logged at trace level');
      assert.match(output, /Recipient address rejected/, 'the SMTP refusal itself was logged');
      for (const e of [...emails, 'desk.editor@example.org']) assert.ok(!output.toLowerCase().includes(e), `the log names ${e}`);
      assert.doesNotMatch(output, /[\w.+-]+@example\.org/i);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await smtp.close();
      tmp.remove();
    }
  });
});
