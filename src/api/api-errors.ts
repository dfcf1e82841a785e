// How the /api context answers a failure: always JSON, `{ "error": { "code", "message", "fields" } }`,
// the status from HTTP_STATUS (src/errors.ts, the one map from a code to a status). Whatever went wrong
// is first turned into an AppError: a schema's refusal names each failing field (`limit`, `sources.0.url`,
// an unknown field by its name), Fastify's own refusals (malformed JSON, a body too large, a type of body
// the route does not take) name `body` or `content-type`. Anything else is logged once and answered 500
// with no detail: never a stack trace.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, HTTP_STATUS, type ErrorCode } from '../errors.ts';
import type { Store } from '../db/store.ts';

/** The body of every error answer of the API (the OpenAPI document's `Error` schema). */
export interface ApiErrorBody {
  error: { code: ErrorCode | 'internal'; message: string; fields: Record<string, string> };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { keys?: unknown };
}

/** The dotted name of the field an issue is about (`sources.0.url`), or the part of the request. */
function fieldName(path: string | undefined, part: string): string {
  const name = (path ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.');
  return name || part;
}

/** One message per field from a schema's refusal; unknown fields are each named. */
export function validationFields(issues: readonly ValidationIssue[], part: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)) {
      const parent = fieldName(issue.instancePath, '');
      for (const key of issue.params.keys) fields[parent ? `${parent}.${String(key)}` : String(key)] ??= 'Unknown field: this endpoint does not take it.';
      continue;
    }
    fields[fieldName(issue.instancePath, part)] ??= issue.message ?? 'Not accepted.';
  }
  return fields;
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/** The code HTTP_STATUS gives a status (its one map read backwards), for Fastify's own 4xx errors. */
function codeForStatus(status: number): ErrorCode {
  const entry = (Object.entries(HTTP_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return entry ? entry[0] : 'bad_request';
}

/** Fastify's refusals of a body, by its error code, as AppErrors naming what was wrong. */
function fastifyRefusal(error: FastifyError): AppError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 'The body is not valid JSON.', { body: 'Send a JSON object.' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'The body is empty.', { body: 'Send a JSON object.' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The body is too large.', { body: 'Send a smaller body.' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', 'This endpoint does not take that type of body.', { 'content-type': 'Send application/json.' });
    default:
      return null;
  }
}

/** Any failure as an AppError, or null for an unexpected one (a 500). */
export function asAppError(error: unknown, store: Pick<Store, 'isUnavailable' | 'isUniqueViolation'>): AppError | null {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as { validationContext?: string }).validationContext ?? 'body';
    const fields = validationFields(error.validation as readonly ValidationIssue[], PART_NAMES[part] ?? part);
    return part === 'body'
      ? new AppError('invalid_input', 'Some fields need attention.', fields)
      : new AppError('bad_request', `Some ${PART_NAMES[part] ?? part} parameters are not accepted.`, fields);
  }
  if (store.isUnavailable(error)) return new AppError('service_unavailable', 'The database cannot be reached just now. Try again in a moment.');
  if (store.isUniqueViolation(error)) return new AppError('conflict', 'Someone else made the same change at the same moment. Try again.');
  const fastify = error as FastifyError;
  const refusal = typeof fastify.code === 'string' ? fastifyRefusal(fastify) : null;
  if (refusal) return refusal;
  const status = fastify.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(codeForStatus(status), 'This request was not accepted.');
  return null;
}

/** Sends an error answer for a failure (the context's error handler). */
export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply, store: Pick<Store, 'isUnavailable' | 'isUniqueViolation'>): FastifyReply {
  const known = asAppError(error, store);
  reply.header('cache-control', 'no-store');
  if (!known) {
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'api request failed');
    const body: ApiErrorBody = { error: { code: 'internal', message: 'The request could not be completed. The error has been logged.', fields: {} } };
    return reply.code(500).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
  const status = HTTP_STATUS[known.code];
  if (known.code === 'service_unavailable') reply.header('retry-after', '5');
  if (known.code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="gazette"');
  const body: ApiErrorBody = { error: { code: known.code, message: known.message, fields: { ...known.fields } } };
  // Serialised here, not by the route's response schema: an error is never checked against a 200's shape.
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

type FrameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Fastify's answer to an address it cannot route (a malformed percent-encoding, a segment too long),
 * given before any context is chosen: JSON for addresses under /api, the site's error page otherwise.
 */
export function apiAwareFrameworkErrors(site: FrameworkErrors, securityHeaders: Readonly<Record<string, string>>): FrameworkErrors {
  return (error, request, reply) => {
    if (request.url !== '/api' && !request.url.startsWith('/api/')) return site(error, request, reply);
    const status = error.statusCode === 414 ? 414 : 400;
    const body: ApiErrorBody = { error: { code: codeForStatus(status), message: status === 414 ? 'The address is too long.' : 'The address is malformed.', fields: { path: 'Check its percent-encoding.' } } };
    void reply.code(status).headers(securityHeaders).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(body));
  };
}
