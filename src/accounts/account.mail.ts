// Mail for staff accounts (invitations, password resets) over the site's SMTP server. These are messages a
// person asked for or needs to start working, not notices readers can opt out of: no unsubscribe link.
import { smtpTransport } from '../comments/comment.mail.ts';
import type { MailConfig } from '../config.ts';
import type { AccountMailer } from './account.service.ts';

export function createAccountMailer(config: MailConfig, siteName: string): AccountMailer & { close(): void } {
  const transport = smtpTransport(config);
  return {
    async send(m) {
      await transport.sendMail({ from: { name: siteName, address: config.from }, to: m.to, subject: m.subject, text: `${m.text}\n\n-- \n${siteName}\n` });
    },
    close: () => transport.close(),
  };
}
