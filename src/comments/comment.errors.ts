// Why a comment was refused, as closed sets of codes: views word them per language, tests and the CLI
// read the codes, and nothing matches on message text.
import { AppError, type ErrorCode } from '../errors.ts';

export type RejectionProblem =
  | 'unknown_article'
  | 'closed'
  | 'cross_site'
  | 'honeypot'
  | 'token_invalid'
  | 'token_expired'
  | 'too_fast'
  | 'rate_limited'
  | 'duplicate'
  | 'invalid'
  | 'wrong_content_type'
  | 'too_large';

export type FieldName = 'author' | 'email' | 'url' | 'comment' | 'comment_parent';
export type FieldProblem = 'required' | 'too_long' | 'control_chars' | 'email_invalid' | 'url_invalid' | 'parent_invalid' | 'too_deep';

/** HTTP status of each refusal (the web layer's concern, kept beside the codes so none is forgotten). */
export const REJECTION_STATUS: Record<RejectionProblem, number> = {
  unknown_article: 404,
  closed: 403,
  cross_site: 403,
  honeypot: 400,
  token_invalid: 400,
  token_expired: 400,
  too_fast: 400,
  rate_limited: 429,
  duplicate: 409,
  invalid: 422,
  wrong_content_type: 415,
  too_large: 413,
};

const APP_CODE: Record<RejectionProblem, ErrorCode> = {
  unknown_article: 'not_found',
  closed: 'bad_request',
  cross_site: 'bad_request',
  honeypot: 'bad_request',
  token_invalid: 'bad_request',
  token_expired: 'bad_request',
  too_fast: 'bad_request',
  rate_limited: 'rate_limited',
  duplicate: 'conflict',
  invalid: 'invalid_input',
  wrong_content_type: 'unsupported_media_type',
  too_large: 'payload_too_large',
};

export interface FieldIssue {
  problem: FieldProblem;
  params: Readonly<Record<string, number>>;
}

/** A comment refused before anything was stored. */
export class CommentRejected extends AppError {
  constructor(
    readonly problem: RejectionProblem,
    message: string,
    readonly issues: Readonly<Partial<Record<FieldName, FieldIssue>>> = {},
    readonly params: Readonly<Record<string, number>> = {},
  ) {
    super(APP_CODE[problem], message, Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, v.problem])));
    this.name = 'CommentRejected';
  }
}
