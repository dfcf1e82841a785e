// A real SMTP server on loopback (smtp-server, port 0, no STARTTLS, with AUTH) that keeps what it
// receives, for the tests of mail about comments (mail.test.ts, moderation tests).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
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
export class MailSink {
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

/** SMTP settings for a test server that sends to this sink. */
export const sinkEnv = (port: number): Record<string, string> => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
  SMTP_USER: 'gazette',
  SMTP_PASSWORD: 'smtp-test-password',
  MAIL_FROM: 'news@gazette.test',
});
