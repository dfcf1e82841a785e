// Last-Modified / If-Modified-Since for generated documents (feeds, sitemaps). ETag / If-None-Match is
// handled by reply.cachedBody(); per RFC 9110 §13.1.3 If-Modified-Since is ignored when If-None-Match is present.
import type { IncomingHttpHeaders } from 'node:http';

/** The HTTP-date (IMF-fixdate) of an ISO time. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** True when the request's If-Modified-Since shows the client already has this version. */
export function notModifiedSince(headers: IncomingHttpHeaders, lastModifiedIso: string): boolean {
  if (headers['if-none-match'] !== undefined) return false;
  const since = headers['if-modified-since'];
  if (!since) return false;
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) return false;
  // HTTP dates have whole seconds: compare at that resolution.
  return Math.floor(Date.parse(lastModifiedIso) / 1000) <= Math.floor(sinceMs / 1000);
}
