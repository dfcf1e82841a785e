// Signed, expiring comment-form tokens and the other keyed digests comments need. Every digest is an
// HMAC-SHA256 with the server secret and a purpose label, so one purpose's value is useless for another.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A keyed digest for one purpose, as base64url. */
export function keyedDigest(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('base64url');
}

export type TokenCheck =
  | { ok: true }
  | { ok: false; problem: 'token_invalid' }
  | { ok: false; problem: 'token_expired' }
  | { ok: false; problem: 'too_fast'; waitSeconds: number };

export interface TokenRules {
  /** A form sent sooner than this after it was issued is refused. */
  minSeconds: number;
  /** A form older than this is refused. */
  maxSeconds: number;
}

const PURPOSE = 'comment-form-v1';

/** Issues the token a comment form carries: which article it is for and when it was served, signed. */
export function issueFormToken(secret: string, articleId: number, now: Date): string {
  const issued = Math.floor(now.getTime() / 1000);
  const payload = `${articleId}.${issued}`;
  return `${payload}.${keyedDigest(secret, PURPOSE, payload).slice(0, 32)}`;
}

/** Checks a token against the article it was posted for and the clock. */
export function checkFormToken(secret: string, token: string, articleId: number, now: Date, rules: TokenRules): TokenCheck {
  const m = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return { ok: false, problem: 'token_invalid' };
  const [, id, issuedText, signature] = m as unknown as [string, string, string, string];
  const expected = Buffer.from(keyedDigest(secret, PURPOSE, `${id}.${issuedText}`).slice(0, 32));
  if (!timingSafeEqual(expected, Buffer.from(signature)) || Number(id) !== articleId) return { ok: false, problem: 'token_invalid' };
  const age = now.getTime() / 1000 - Number(issuedText);
  // A token from the future was not issued by this clock.
  if (age < -60) return { ok: false, problem: 'token_invalid' };
  if (age > rules.maxSeconds) return { ok: false, problem: 'token_expired' };
  if (age < rules.minSeconds) return { ok: false, problem: 'too_fast', waitSeconds: Math.max(1, Math.ceil(rules.minSeconds - age)) };
  return { ok: true };
}
