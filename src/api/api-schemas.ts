// Schemas every part of the API shares: the error answer, and the error statuses a route may give, so
// each route's documented responses say which failures a client must expect. Named schemas (`.meta({ id })`)
// become components of the OpenAPI document.
import { z } from 'zod';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'A code from a closed set: not_found, bad_request, unauthorized, forbidden, invalid_input, conflict, unsupported_media_type, payload_too_large, uri_too_long, rate_limited, service_unavailable, internal.' }),
      message: z.string().meta({ description: 'What went wrong, for a person.' }),
      fields: z.record(z.string(), z.string()).meta({ description: 'A message per failing field (dotted paths for nested ones, e.g. `sources.0.url`).' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every failure of the API.' });

const ERROR_TEXT: Record<number, string> = {
  400: 'A query or path parameter is not accepted (each named in `fields`).',
  401: 'No valid token or session.',
  403: 'The role does not allow this.',
  404: 'Not found.',
  409: 'Conflict with the stored state.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'Some fields of the body need attention (each named in `fields`).',
  429: 'Too many requests; see Retry-After.',
};

/** The documented error answers of a route, by status. */
export function errorResponses(...statuses: (keyof typeof ERROR_TEXT)[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema.meta({ description: ERROR_TEXT[status] })]));
}
