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

// ---- unsubscribe links ----------------------------------------------------------------------------

const OPTOUT = 'unsubscribe';
const OPTOUT_LINK = 'unsubscribe-link';
const OPTOUT_LINK_KEY = /^([A-Za-z0-9_-]{43})([A-Za-z0-9_-]{22})$/;

/** What mail_optouts stores for an address: a keyed digest, so the table holds no address. */
export function optoutKey(secret: string, emailLower: string): string {
  return keyedDigest(secret, OPTOUT, emailLower);
}

/** The key of an address's unsubscribe link: its opt-out key, then a signature only this server can make. */
export function optoutLinkKey(secret: string, emailLower: string): string {
  const key = optoutKey(secret, emailLower);
  return key + keyedDigest(secret, OPTOUT_LINK, key).slice(0, 22);
}

/** The opt-out key an unsubscribe link stands for, or null when this server did not issue the link. */
export function readOptoutLinkKey(secret: string, linkKey: string): string | null {
  const m = OPTOUT_LINK_KEY.exec(linkKey);
  if (!m) return null;
  const [, key, signature] = m as unknown as [string, string, string];
  const expected = Buffer.from(keyedDigest(secret, OPTOUT_LINK, key).slice(0, 22));
  return timingSafeEqual(expected, Buffer.from(signature)) ? key : null;
}

// ---- the commenter cookie ---------------------------------------------------------------------------

const BROWSER = 'commenter-browser-v1';
const BROWSER_VALUE = /^(\d{1,12}(?:-\d{1,12}){0,49})\.([A-Za-z0-9_-]{32})$/;

/** The cookie value naming the comments a browser sent (newest last), signed so it cannot be made up. */
export function signBrowserComments(secret: string, ids: readonly number[]): string {
  const payload = ids.join('-');
  return `${payload}.${keyedDigest(secret, BROWSER, payload).slice(0, 32)}`;
}

/** The comment ids a cookie value names; none when it is missing, malformed or not signed by this server. */
export function readBrowserComments(secret: string, value: string | undefined): number[] {
  const m = value === undefined ? null : BROWSER_VALUE.exec(value);
  if (!m) return [];
  const [, payload, signature] = m as unknown as [string, string, string];
  const expected = Buffer.from(keyedDigest(secret, BROWSER, payload).slice(0, 32));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return [];
  return payload.split('-').map(Number);
}
