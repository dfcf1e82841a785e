// A client of the Admin API for tests, over real HTTP: with an admin token (Authorization: Bearer), or
// with a signed-in staff session (its cookie, a same-origin Origin and the session's token in
// x-csrf-token, as the editor's own pages would send), and every answer checked against the OpenAPI
// document by the caller's `check`.
import type { AdminClient } from '../helpers/admin.ts';
import { ApiClient as DocumentClient } from '../helpers/openapi.ts';
import type { TestServer } from '../helpers/server.ts';

export type Auth = { via: 'token'; token: string } | { via: 'session'; client: AdminClient };

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // Tests read answers as loosely typed JSON; the OpenAPI check guards their shape.
  body: any;
  text: string;
}

export interface CallOptions {
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Session calls: leave out the x-csrf-token header (to see the refusal). */
  withoutCsrf?: boolean;
  /** Send this raw body (with its content type in headers). */
  raw?: string;
}

/** Checks an answer against the document: method, the request's path (as sent) and the answer. */
export type AnswerCheck = (method: string, path: string, answer: ApiAnswer) => void | Promise<void>;

/** A check by the document (tests/helpers/openapi.ts), and the operations it saw answered with success. */
export interface DocumentCheck {
  check: AnswerCheck;
  succeeded: Set<string>;
}

/** Checks answers against the server's own /api/openapi.json, remembering which operations succeeded. */
export async function documentCheck(server: TestServer): Promise<DocumentCheck> {
  const document = await DocumentClient.open(server);
  const succeeded = new Set<string>();
  return {
    succeeded,
    check(method, path, answer) {
      const operation = document.check(method, path, answer.status, answer.headers, answer.body);
      if (answer.status < 300) succeeded.add(operation);
    },
  };
}

export class ApiClient {
  constructor(
    readonly server: TestServer,
    readonly auth: Auth,
    readonly check: AnswerCheck = () => {},
  ) {}

  get via(): string {
    return this.auth.via;
  }

  private authHeaders(method: string, withoutCsrf: boolean): Record<string, string> {
    if (this.auth.via === 'token') return { authorization: `Bearer ${this.auth.token}` };
    const headers: Record<string, string> = { cookie: this.auth.client.cookie };
    if (method !== 'GET') {
      headers.origin = this.server.url;
      if (!withoutCsrf) headers['x-csrf-token'] = this.auth.client.csrfToken;
    }
    return headers;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders(method, options.withoutCsrf === true), ...options.headers };
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) body = options.form;
    else if (options.raw !== undefined) body = options.raw;
    const response = await fetch(this.server.url + path, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = null;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    const answer: ApiAnswer = { status: response.status, headers: response.headers, body: parsed, text };
    await this.check(method, path, answer);
    return answer;
  }

  get = (path: string, options?: CallOptions) => this.call('GET', path, options);
  post = (path: string, json?: unknown, options: CallOptions = {}) => this.call('POST', path, { ...options, ...(json !== undefined ? { json } : {}) });
  patch = (path: string, json: unknown, options: CallOptions = {}) => this.call('PATCH', path, { ...options, json });
  put = (path: string, json: unknown, options: CallOptions = {}) => this.call('PUT', path, { ...options, json });
  delete = (path: string, options?: CallOptions) => this.call('DELETE', path, options);
}

/** A multipart form: text fields first, then the file as `file`. */
export function uploadForm(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}
