// Why a comment was refused, as closed sets of codes: views word them per language, tests and the CLI
// read the codes, and nothing matches on message text.
import { AppError, type ErrorCode } from '../errors.ts';

export type RejectionProblem =
  | 'unknown_article'
  | 'closed'
  | 'cross_site'
  | 'honeypot'
  | 'confirm'
  | 'token_invalid'
  | 'token_expired'
  | 'too_fast'
  | 'rate_limited'
  | 'duplicate'
  | 'invalid'
  | 'wrong_content_type'
  | 'too_large';

export type FieldName = 'author' | 'email' | 'url' | 'comment' | 'comment_parent';
export type FieldProblem = 'required' | 'too_long' | 'invisible' | 'control_chars' | 'email_invalid' | 'url_invalid' | 'parent_invalid' | 'too_deep';

/** The error code of each refusal; its HTTP status comes from HTTP_STATUS in src/errors.ts. */
export const REJECTION_CODE: Record<RejectionProblem, ErrorCode> = {
  unknown_article: 'not_found',
  closed: 'forbidden',
  cross_site: 'forbidden',
  honeypot: 'bad_request',
  confirm: 'bad_request',
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
    super(REJECTION_CODE[problem], message, Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, v.problem])));
    this.name = 'CommentRejected';
  }
}
