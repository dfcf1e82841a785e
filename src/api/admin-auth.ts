// Who is calling the Admin API (/api/admin/*): an admin token (`Authorization: Bearer gzt_…`), or a staff
// member's /admin session cookie. Either way request.account is set to the Account the services check,
// exactly as the /admin context sets it, so the API can do no more than the web editor. A session is
// open to cross-site request forgery, so with a cookie every state-changing request must come from this
// site (Origin / Sec-Fetch-Site) and carry the session's token in `x-csrf-token`; a bearer token is never
// sent by a browser on its own, so it needs neither. A revoked token, a token of a disabled account, or an
// ended session is a 401.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { resolveSession, sameToken, type AccountDeps } from '../accounts/account.service.ts';
import { resolveApiToken, type ApiTokenRefusal } from '../accounts/api-token.service.ts';
import { sameOrigin, sessionCookieName } from '../web/plugins/staff-session.ts';
import type { Account } from '../accounts/permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** How the Admin API caller proved who they are; null outside /api/admin. */
    apiAuth: { via: 'token'; tokenId: number } | { via: 'session'; csrfToken: string } | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const REFUSALS: Record<ApiTokenRefusal, string> = {
  unknown: 'This token is not known. Check it, or make a new one with `gazette token create`.',
  revoked: 'This token was revoked.',
  disabled: 'The account this token acts as is disabled.',
  wrong_kind: 'This is a content key; the Admin API needs an admin token.',
};

/** The bearer token of an Authorization header, or null when there is none; a malformed header is refused. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError('unauthorized', 'Send the token as `Authorization: Bearer <token>`.', { authorization: 'Expected "Bearer <token>".' });
  return match[1]!;
}

export interface AdminAuthOptions {
  accounts: AccountDeps;
  /** https sites use the `__Host-` cookie name. */
  secure: boolean;
}

/** The onRequest hook of /api/admin: sets request.account or refuses with 401. */
export function adminApiAuth({ accounts, secure }: AdminAuthOptions) {
  const cookieName = sessionCookieName(secure);
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request);
    if (token !== null) {
      const caller = await resolveApiToken(accounts.store, token, 'admin');
      if (typeof caller === 'string') throw new AppError('unauthorized', REFUSALS[caller]);
      if (caller.kind !== 'admin') throw new AppError('unauthorized', REFUSALS.wrong_kind);
      setAccount(request, caller.account, { via: 'token', tokenId: caller.tokenId });
      return;
    }
    const value = request.cookies[cookieName];
    const session = value ? await resolveSession(accounts, value) : null;
    if (!session) throw new AppError('unauthorized', value ? 'Your session has ended. Sign in again, or use an admin token.' : 'Send an admin token (`Authorization: Bearer <token>`) or sign in.');
    setAccount(request, session.account, { via: 'session', csrfToken: session.csrfToken });
  };
}

function setAccount(request: FastifyRequest, account: Account, auth: NonNullable<FastifyRequest['apiAuth']>): void {
  request.account = account;
  request.apiAuth = auth;
}

/** The preValidation hook of /api/admin: a session's state-changing request must be same-origin and carry its CSRF token. */
export function adminApiCsrf(publicUrl: string) {
  return async function checkCsrf(request: FastifyRequest): Promise<void> {
    const auth = request.apiAuth;
    if (!auth || auth.via !== 'session' || !UNSAFE.has(request.method)) return;
    const refused = new AppError('forbidden', 'A request made with a session must come from this site and carry the session\'s token in x-csrf-token.', { 'x-csrf-token': 'Missing or wrong.' });
    if (!sameOrigin(request, publicUrl)) throw refused;
    if (!sameToken(auth.csrfToken, request.headers['x-csrf-token'])) throw refused;
  };
}
