// Calls to the API that are checked against its own OpenAPI document: every answer (errors included)
// must be documented for its path, method and status, and its body must match the documented schema
// (ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1). The client remembers which documented
// operations it exercised, so a test can require that every one was. Reuse it for any /api test:
//   const api = await ApiClient.open(server);  const answer = await api.get('/api/content/tags');
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TestServer } from './server.ts';

type Json = Record<string, unknown>;

// ajv-formats is CommonJS: its function is the default export's default under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null for an empty one, e.g. 304 or 204). */
  body: T;
  /** The documented operation it answered, e.g. `GET /api/content/articles/{id}`. */
  operation: string;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Json;
}

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** An operation's path template as a pattern for concrete paths (`{id}` is one segment). */
function templatePattern(template: string): RegExp {
  const source = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}$`);
}

export class ApiClient {
  /** Operations (`GET /api/content/tags`) answered at least once through this client. */
  readonly exercised = new Set<string>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: Operation[];

  private constructor(
    readonly server: Pick<TestServer, 'url'>,
    readonly document: Json,
  ) {
    // The document itself is a schema resource, so `#/components/schemas/...` refs resolve inside it.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    const paths = document.paths as Record<string, Record<string, Json>>;
    this.operations = Object.entries(paths).flatMap(([template, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), template, pattern: templatePattern(template), responses: (op.responses ?? {}) as Json })),
    );
  }

  /** Fetches /api/openapi.json from the server and makes a client over it. */
  static async open(server: Pick<TestServer, 'url'>): Promise<ApiClient> {
    const response = await fetch(`${server.url}/api/openapi.json`);
    assert.equal(response.status, 200);
    return new ApiClient(server, (await response.json()) as Json);
  }

  /** Every documented operation, as `METHOD /path/{param}`. */
  get documented(): string[] {
    return this.operations.map((o) => `${o.method} ${o.template}`);
  }

  get<T = Json>(path: string, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path, { headers });
  }

  /** Any request; `json` is sent as a JSON body. The answer is checked against the document. */
  async request<T = Json>(method: string, path: string, init: { headers?: Record<string, string>; json?: unknown; body?: string | FormData } = {}): Promise<ApiAnswer<T>> {
    const headers = { ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(this.server.url + path, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as T) : (null as T);
    const operation = this.check(method, path, response.status, response.headers, parsed);
    return { status: response.status, headers: response.headers, body: parsed, operation };
  }

  /** Asserts the answer is documented and matches its schema; returns the operation's name. */
  check(method: string, path: string, status: number, headers: Headers, body: unknown): string {
    const bare = path.split('?')[0]!;
    const op = this.operations.find((o) => o.method === method && o.pattern.test(bare));
    assert.ok(op, `${method} ${bare} is not in the OpenAPI document`);
    const name = `${op.method} ${op.template}`;
    this.exercised.add(name);
    // 304 and 204 carry no body; a 500 is never acceptable in these tests.
    assert.ok(status < 500, `${name} answered ${status}: ${JSON.stringify(body)}`);
    if (status === 304 || status === 204) return name;
    assert.ok(String(status) in op.responses, `${name} answered ${status}, which the document does not list (it lists ${Object.keys(op.responses).join(', ')})`);
    assert.match(headers.get('content-type') ?? '', /^application\/json/, `${name} ${status} is not JSON`);
    const validate = this.validator(op, status);
    if (!validate(body)) {
      assert.fail(`${name} ${status}: the body does not match the document: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
    }
    return name;
  }

  private validator(op: Operation, status: number): ValidateFunction {
    const pointer = ['paths', op.template, op.method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'].map(escapePointer).join('/');
    const known = this.validators.get(pointer);
    if (known) return known;
    const validate = this.ajv.compile({ $ref: `openapi.json#/${pointer}` });
    this.validators.set(pointer, validate);
    return validate;
  }
}
