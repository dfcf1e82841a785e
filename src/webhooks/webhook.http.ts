// Sending one webhook request (decision 0026): a POST with a short deadline for connecting and answering,
// no redirects followed (a 3xx is recorded as the answer), at most a little of the response read, and
// the SSRF check made on the address actually connected to: an address written in the URL is judged
// before connecting, a name through the connection's `lookup` hook, so the address judged is the one
// the socket uses (a second DNS answer cannot slip a private address in: DNS rebinding).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressProblem, literalAddress } from './webhook.addresses.ts';

export type Outcome = 'ok' | 'http_error' | 'redirect' | 'refused' | 'timeout' | 'network';

export interface SendResult {
  outcome: Outcome;
  statusCode: number | null;
  /** The start of the response body, as text. */
  excerpt: string;
  /** What went wrong, in words, or ''. */
  error: string;
  durationMs: number;
}

export interface SendOptions {
  /** Private, loopback and link-local addresses allowed (an admin's choice for this endpoint). */
  allowPrivate: boolean;
  /** Connecting, sending and the whole answer must fit in this. */
  timeoutMs: number;
  /** Resolves names (tests pass their own to play DNS); node's dns.lookup otherwise. */
  lookup?: LookupFunction;
}

/** How much of a response body is read, and how much of it is kept for the log. */
const READ_LIMIT = 64 * 1024;
export const EXCERPT_CHARS = 500;

class Refused extends Error {
  readonly code = 'EWEBHOOKREFUSED';
}

/** A lookup that resolves every address of the name and refuses the lot when one is not public. */
function guardedLookup(base: LookupFunction, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0);
      const list = (Array.isArray(found) ? found : [{ address: String(found), family: 4 }]) as dns.LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => addressProblem(a.address) !== null);
      if (bad) return callback(new Refused(`${hostname} resolves to ${bad.address}, a ${addressProblem(bad.address)} address`), '', 0);
      if (!list.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Readable text of the start of a body: control characters (other than line breaks and tabs) dropped. */
const excerptOf = (body: Buffer) =>
  body
    .toString('utf8')
    .slice(0, EXCERPT_CHARS)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');

/** Why the URL may not be sent to before any connection is made, or null. */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are sent to';
  if (url.username || url.password) return 'a URL with a user name or password is not sent to';
  const literal = literalAddress(url.hostname);
  const problem = literal !== null && !allowPrivate ? addressProblem(literal) : null;
  return problem ? `${literal} is a ${problem} address` : null;
}

/** Sends one signed webhook request; never throws (every failure is an outcome). */
export function sendWebhook(rawUrl: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const finish = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  const problem = urlProblem(rawUrl, options.allowPrivate);
  if (problem) return Promise.resolve(finish({ outcome: 'refused', statusCode: null, excerpt: '', error: `refused: ${problem}` }));
  const url = new URL(rawUrl);
  const client = url.protocol === 'https:' ? https : http;
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(finish(r));
    };
    const request = client.request(url, {
      method: 'POST',
      // A fresh connection each time: a pooled socket would skip the lookup hook's check.
      agent: false,
      lookup: guardedLookup(options.lookup ?? (dns.lookup as unknown as LookupFunction), options.allowPrivate),
      headers: { ...headers, 'content-length': String(payload.length) },
    });
    const timer = setTimeout(() => done({ outcome: 'timeout', statusCode: null, excerpt: '', error: `no complete answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof Refused) done({ outcome: 'refused', statusCode: null, excerpt: '', error: `refused: ${error.message}` });
      else done({ outcome: 'network', statusCode: null, excerpt: '', error: `${error.code ?? 'error'}: ${error.message}`.slice(0, 500) });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const end = () => {
        const excerpt = excerptOf(Buffer.concat(chunks));
        if (status >= 200 && status < 300) done({ outcome: 'ok', statusCode: status, excerpt, error: '' });
        else if (status >= 300 && status < 400) done({ outcome: 'redirect', statusCode: status, excerpt, error: `redirect to ${String(response.headers.location ?? '(no location)').slice(0, 300)} not followed` });
        else done({ outcome: 'http_error', statusCode: status, excerpt, error: `answered ${status}` });
      };
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= READ_LIMIT) chunks.push(chunk);
        else end();
      });
      response.on('end', end);
      response.on('error', end);
    });
    request.end(payload);
  });
}
