// Standard Webhooks signatures, made by the specification's reference library (standardwebhooks): the
// `whsec_` secrets endpoints are given, and the `webhook-signature` header, `v1,<base64 HMAC-SHA256 of
// "<id>.<timestamp>.<body>">`, with one signature per secret while a rotated one still counts.
import { randomBytes } from 'node:crypto';
import { standardWebhooks } from '../lib/on-demand.ts';

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The three Standard Webhooks headers for one attempt at sending `body`. */
export function signedHeaders(secrets: readonly string[], messageId: string, at: Date, body: string): Record<string, string> {
  const { Webhook } = standardWebhooks();
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(' '),
  };
}
