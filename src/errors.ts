// Expected failures carry a code from a closed set; one handler in src/web maps each code to an HTTP
// status and a page, and the CLI maps them to an exit message. Nothing matches on message text.
// HTTP_STATUS is the only map from a code to a status: other failures (a refused comment) name a code.

export type ErrorCode =
  | 'not_found'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid_input'
  | 'conflict'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'rate_limited'
  | 'service_unavailable';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  invalid_input: 422,
  conflict: 409,
  unsupported_media_type: 415,
  payload_too_large: 413,
  uri_too_long: 414,
  rate_limited: 429,
  service_unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages for forms, keyed by field name. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);
export const badRequest = (message: string) => new AppError('bad_request', message);
