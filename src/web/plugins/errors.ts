// Failures answered as HTML pages, for a context that serves pages (the public site): every failure ends
// as a page with the right 4xx/5xx status, and nothing answers with a stack trace. An AppError's status
// comes from HTTP_STATUS (src/errors.ts); a database that went away is a 503 with Retry-After; Fastify's
// own 4xx (a bad body, a wrong method) is worded here; anything else is logged once and is a 500 page.
// What Fastify and Node refuse before any hook runs (a malformed address; a request that is malformed,
// too large in its headers or too slow to arrive) gets the same security headers as every other response.
import http from 'node:http';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { AppError, HTTP_STATUS } from '../../errors.ts';
import type { LimitLog } from '../connection-limits.ts';
import { stringsFor } from '../i18n/site.ts';
import type { Site } from '../site.ts';
import { MAX_URL_LENGTH } from './security.ts';

/** What a client-side mistake reported by Fastify itself means, in words a reader can act on. */
function frameworkMessage(code: string | undefined, status: number): string {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return 'The address is not valid: it contains a malformed percent-encoded character.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This kind of request body is not accepted here.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid.';
    default:
      if (status === 414) return `The address is too long: at most ${MAX_URL_LENGTH} characters are accepted.`;
      return status === 405 ? 'This method is not allowed here.' : 'This request is not valid.';
  }
}

/** Answers with the site's error page. A 404 of a cached route is cached like the page it stands for. */
async function sendErrorPage(site: Site, request: FastifyRequest, reply: FastifyReply, status: number, message: string, heading?: string) {
  const language = site.language;
  const t = stringsFor(language);
  const title = heading ?? (status === 404 ? t.notFoundTitle : status >= 500 ? t.errorTitle : t.badRequestTitle);
  // An error page names the address asked for, unless that address is itself the problem.
  const asked = request.url.split('?')[0] ?? '/';
  const path = asked.length <= 300 && status !== 400 && status !== 414 ? asked : '/';
  // Some error pages are made before any context's hooks brought the chrome up to date (a malformed address).
  await site.refresh();
  const body = await site.render({ language, title, description: message, path, noindex: true }, site.theme.errorPage(language, title, message));
  if (status === 404 && request.routeOptions.config?.pageCache) return reply.dependsOn(...site.keys).page(body, 404);
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * Fastify's frameworkErrors option: a malformed address is refused before any route or context is chosen
 * (and before any onRequest hook has set the security headers), so it is answered here, as a page of the
 * public site with those headers.
 */
export function frameworkErrorPages(site: Site, securityHeaders: Readonly<Record<string, string>>): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, request, reply) => {
    const status = error.statusCode ?? 400;
    reply.headers(securityHeaders);
    void sendErrorPage(site, request, reply, status, frameworkMessage(error.code, status));
  };
}

/** Node's client errors Gazette answers, with the words a client gets. */
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time. Send it again.' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request headers are too large.' },
};
const MALFORMED = { status: 400, message: 'The request is not valid HTTP.' };

/** A complete HTTP/1.1 response closing the connection, as bytes, with the security headers. */
function rawResponse(status: number, message: string, securityHeaders: Readonly<Record<string, string>>): string {
  const body = `${message}\n`;
  const headers = {
    ...securityHeaders,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`;
}

/**
 * Fastify's clientErrorHandler option: Node found the request malformed, its headers too large, or it did
 * not arrive within REQUEST_TIMEOUT_MS. Answered with a short plain-text response (there is no request to
 * route yet) and the connection closed; timeouts are noted in the LimitLog.
 */
export function clientErrorResponses(securityHeaders: Readonly<Record<string, string>>, limits: LimitLog): NonNullable<FastifyServerOptions['clientErrorHandler']> {
  const responses = new Map<string, string>();
  for (const [code, { status, message }] of Object.entries(CLIENT_ERRORS)) responses.set(code, rawResponse(status, message, securityHeaders));
  const malformed = rawResponse(MALFORMED.status, MALFORMED.message, securityHeaders);
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') limits.note('request_timeout', socket.remoteAddress);
    // As Node does: nothing is written over a response that has already begun.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(responses.get(error.code ?? '') ?? malformed);
    socket.destroySoon();
  };
}

/**
 * A last look at a GET or HEAD request about to be answered with the 404 page: true when it answered
 * instead (an old address that moved answers 301). Asked only on the 404 path, never for pages that exist.
 */
export type NotFoundRescue = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds a last look before the 404 page of the context errorPages serves (the public site). */
    rescueNotFound(rescue: NotFoundRescue): void;
  }
}

/** True when one of the rescues answered; a rescue that fails is logged and the 404 page is sent. */
async function rescued(rescues: readonly NotFoundRescue[], request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!rescues.length || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  for (const rescue of rescues) {
    try {
      if (await rescue(request, reply)) return true;
    } catch (error) {
      request.log.warn({ err: error, url: request.url.split('?')[0] }, 'looking up a moved address failed');
    }
  }
  return false;
}

export interface ErrorPagesOptions {
  site: Site;
  /** True when an error means the database cannot be reached (the store's own test). */
  isUnavailable(error: unknown): boolean;
  /** True when a unique constraint refused a row two writers raced to create (answered 409). */
  isUniqueViolation(error: unknown): boolean;
}

/** Sets the error and not-found handlers of the context it is registered in. */
export const errorPages = fp<ErrorPagesOptions>(
  async (app, { site, isUnavailable, isUniqueViolation }) => {
    const rescues: NotFoundRescue[] = [];
    app.decorate('rescueNotFound', (rescue: NotFoundRescue) => void rescues.push(rescue));

    app.setErrorHandler(async (error, request, reply) => {
      if (error instanceof AppError && error.code === 'not_found' && (await rescued(rescues, request, reply))) return reply;
      if (error instanceof AppError) return sendErrorPage(site, request, reply, HTTP_STATUS[error.code], error.message);
      if (isUniqueViolation(error)) {
        return sendErrorPage(site, request, reply, HTTP_STATUS.conflict, 'Someone else made the same change at the same moment. Reload the page and try again.');
      }
      if (isUnavailable(error)) {
        request.log.warn({ url: request.url.split('?')[0], reason: (error as Error).message }, 'database unavailable');
        const t = stringsFor(site.language);
        reply.header('retry-after', '5');
        return sendErrorPage(site, request, reply, HTTP_STATUS.service_unavailable, t.unavailableText, t.unavailableTitle);
      }
      const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
      if (status >= 400 && status < 500) return sendErrorPage(site, request, reply, status, frameworkMessage((error as { code?: string }).code, status));
      request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed');
      return sendErrorPage(site, request, reply, 500, 'The page could not be produced. The error has been logged.');
    });

    app.setNotFoundHandler(async (request, reply) => {
      if (await rescued(rescues, request, reply)) return reply;
      return sendErrorPage(site, request, reply, HTTP_STATUS.not_found, stringsFor(site.language).notFoundText);
    });
  },
  { name: 'gazette-error-pages' },
);
