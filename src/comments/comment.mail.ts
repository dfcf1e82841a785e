// Outgoing mail over SMTP (nodemailer), configured by env. Every message carries an unsubscribe link,
// in the text and as List-Unsubscribe headers (RFC 2369 / RFC 8058 one-click).
import type { MailConfig } from '../config.ts';
import { nodemailer } from '../lib/on-demand.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  unsubscribeUrl: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer sending through the configured SMTP server. */
/** A transport to the configured SMTP server, with short timeouts; shared by every kind of mail the site sends. */
export function smtpTransport(config: MailConfig) {
  return nodemailer().createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

export function createMailer(config: MailConfig, siteName: string): Mailer {
  const transport = smtpTransport(config);
  return {
    async send(m) {
      await transport.sendMail({
        from: { name: siteName, address: config.from },
        to: m.to,
        subject: m.subject,
        text: `${m.text}\n\n-- \nTo get no more email from ${siteName}, open: ${m.unsubscribeUrl}\n`,
        headers: { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    },
    close: () => transport.close(),
  };
}
