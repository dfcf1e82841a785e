// Checks Admin API answers against the OpenAPI document the server publishes (/api/openapi.json): the
// operation must be documented, its status listed, and a JSON body valid under that status's schema
// (JSON Schema 2020-12, as OpenAPI 3.1 has it), with the document's components for its references.
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { TestServer } from '../helpers/server.ts';
import type { AnswerCheck } from './admin-client.ts';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: object };

/** The document's path template matching a request path (`/api/admin/articles/12` → `/api/admin/articles/{id}`), static segments first. */
function templateOf(doc: OpenApi, path: string): string | null {
  const segments = path.split('?')[0]!.split('/');
  const candidates = Object.keys(doc.paths).filter((t) => {
    const parts = t.split('/');
    return parts.length === segments.length && parts.every((p, i) => (p.startsWith('{') && p.endsWith('}') ? segments[i] !== '' : p === segments[i]));
  });
  // The most static segments wins (e.g. /comments/bulk over /comments/{id}).
  candidates.sort((a, b) => b.split('/').filter((p) => !p.startsWith('{')).length - a.split('/').filter((p) => !p.startsWith('{')).length);
  return candidates[0] ?? null;
}

/** A check for ApiClient, and every `METHOD /template STATUS` it checked. */
export type OpenApiCheck = AnswerCheck & { checked: Set<string> };

/** A check for ApiClient over the server's document. */
export async function openApiChecker(server: TestServer): Promise<OpenApiCheck> {
  const response = await fetch(`${server.url}/api/openapi.json`);
  assert.equal(response.status, 200);
  const doc = (await response.json()) as OpenApi;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const checked = new Set<string>();
  const check = (method: string, path: string, answer: { status: number; body: unknown; headers: Headers }) => {
    const template = templateOf(doc, path);
    assert.ok(template, `${method} ${path} is not in the OpenAPI document`);
    const operation = doc.paths[template]![method.toLowerCase()];
    assert.ok(operation, `${method} ${template} is not in the OpenAPI document`);
    const documented = operation.responses?.[String(answer.status)];
    assert.ok(documented, `${method} ${template} answered ${answer.status}, which the document does not list (it lists ${Object.keys(operation.responses ?? {}).join(', ')})`);
    checked.add(`${method} ${template} ${answer.status}`);
    if (answer.status === 204) return;
    const schema = documented.content?.['application/json']?.schema;
    assert.ok(schema, `${method} ${template} ${answer.status} has no JSON schema`);
    const key = `${method} ${template} ${answer.status}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: doc.components });
      compiled.set(key, validate);
    }
    assert.ok(validate(answer.body), `${key}: the answer does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 500)}`);
  };
  return Object.assign(check, { checked });
}
