// What every context that accepts a staff session shares (/admin, and /api/admin): the cookie's name and
// the same-origin check that state-changing requests made with it must pass (decision 0019).
import type { FastifyRequest } from 'fastify';

/** The session cookie's name: `__Host-` prefixed (Secure, Path=/, no Domain) on https sites. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-gazette_session' : 'gazette_session');

/** Whether the request's own headers say it came from this site (absent headers: the token decides). */
export function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const own = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  return own.has(origin);
}
