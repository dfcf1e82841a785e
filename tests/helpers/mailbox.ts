// A real SMTP server on loopback (smtp-server) that keeps what it receives, for tests of mail the site sends.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  /** The whole message as received (headers and body, quoted-printable soft breaks joined). */
  raw: string;
}

export class Mailbox {
  readonly mails: ReceivedMail[] = [];
  private waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  private server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw };
        this.mails.push(mail);
        for (const w of this.waiters.filter((w) => w.match(mail))) w.resolve(mail);
        this.waiters = this.waiters.filter((w) => !w.match(mail));
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** The environment that points the site's mail at this server. */
  get env(): Record<string, string> {
    return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(this.port), MAIL_FROM: 'newsroom@gazette.test' };
  }

  /** The first message to this address (already received, or the next one to arrive). */
  next(to: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    const match = (m: ReceivedMail) => m.to.includes(to);
    const found = this.mails.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
