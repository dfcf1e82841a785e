// The layer rule of src/, checked on every import: the house reads top-down. A module may import from its
// own layer or any layer below it, never from one above. docs/ARCHITECTURE.md describes the layers;
// this table is where they are defined.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');

/**
 * The layers, top first, each with the files (paths under src/) it holds; a file belongs to the lowest
 * layer that names it, so src/search/query.ts is base although it sits in a capability folder.
 * Capability folders (articles/, comments/, search/, ...) hold three layers: *.routes.ts, *.repository.ts
 * and everything else, which is domain logic at the services layer (services, lookups, feed and mail
 * renderers, background jobs). Their views live in the theme, in the web layer (decision 0011).
 */
const LAYERS: readonly { name: string; why: string; files: readonly RegExp[] }[] = [
  { name: 'entry', why: 'start the process: the server and the gazette command', files: [/^server\.ts$/, /^cli\//] },
  { name: 'app', why: 'assembles the HTTP application from web/ and the capabilities’ routes', files: [/^app\.ts$/] },
  // src/api/ is HTTP through and through (contexts, auth hooks, schemas of requests and answers): all of it
  // is at the routes layer and asks the capabilities' services, like their own routes (decision 0025).
  { name: 'routes', why: 'translate HTTP to service calls and pages', files: [/^[a-z-]+\/[^/]+\.routes\.ts$/, /^api\//] },
  {
    name: 'web',
    why: 'what routes render and answer through: the theme behind its contract (web/theme.ts), views, the HTTP plugins',
    files: [/^web\//, /^[a-z-]+\/[^/]+\.(?:views|strings)\.ts$/],
  },
  {
    name: 'services',
    why: 'domain logic, no Fastify',
    files: [/^(?!web\/|db\/|lib\/|cli\/|api\/)[a-z-]+\/(?![^/]+\.(?:routes|repository|views|strings)\.ts$)/],
  },
  { name: 'repositories', why: 'Kysely queries; rows never leave them', files: [/^[a-z-]+\/[^/]+\.repository\.ts$/] },
  {
    name: 'store',
    why: 'Kysely, dialects, migrations, change feed, and the search index contract the store carries (store.search)',
    files: [/^db\//, /^search\/search-index\.ts$/],
  },
  {
    name: 'base',
    why: 'pure helpers any layer may use, including the store: no I/O, no state',
    files: [/^lib\//, /^errors\.ts$/, /^config\.ts$/, /^search\/(?:normalise|query|stopwords|snippet|similar-terms|bm25)\.ts$/, /^articles\/article\.body\.ts$/],
  },
];

/** Layer index of a file (0 is the top), or -1 when no layer names it. */
function layerOf(file: string): number {
  for (let i = LAYERS.length - 1; i >= 0; i--) if (LAYERS[i]!.files.some((p) => p.test(file))) return i;
  return -1;
}

interface Import {
  from: string;
  /** A path under src/ for a relative import, else the package name as written. */
  to: string;
  relative: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** The imports and re-exports of each file under src/, read with TypeScript's parser. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(src, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const relative = specifier.startsWith('.');
    const to = relative ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : specifier;
    out.push({ from: file, to, relative, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const files = sourceFiles(src);
const all = files.flatMap(importsOf);
const imports = all.filter((i) => i.relative);
const capability = (file: string) => (/^([a-z-]+)\//.exec(file)?.[1] ?? null);

describe('layers of src/', () => {
  it('every source file has a layer', () => {
    assert.deepEqual(files.filter((f) => layerOf(f) < 0), []);
  });

  it('no module imports from a layer above its own', () => {
    const upward = imports
      .filter((i) => layerOf(i.to) >= 0 && layerOf(i.to) < layerOf(i.from))
      .map((i) => `${i.from} (${LAYERS[layerOf(i.from)]!.name}) imports ${i.to} (${LAYERS[layerOf(i.to)]!.name})`);
    assert.deepEqual(upward, [], `${upward.length} imports run up the layers:\n  ${upward.join('\n  ')}`);
  });

  it('only the app, routes and web/ know Fastify (services are shared with the CLI)', () => {
    const http = ['entry', 'app', 'routes', 'web'].map((name) => LAYERS.findIndex((l) => l.name === name));
    const fastify = all.filter((i) => !i.relative && /^(?:fastify|@fastify\/|fastify-plugin$)/.test(i.to) && !http.includes(layerOf(i.from)));
    assert.deepEqual(fastify.map((i) => `${i.from} imports ${i.to}`), []);
  });

  it('routes do not import another capability’s routes', () => {
    const crossing = imports.filter((i) => i.from.endsWith('.routes.ts') && i.to.endsWith('.routes.ts') && capability(i.from) !== capability(i.to));
    assert.deepEqual(crossing.map((i) => `${i.from} imports ${i.to}`), []);
  });

  it('capabilities render through the theme’s contract (web/theme.ts), not the theme itself; the app picks the theme', () => {
    const intoTheme = imports.filter((i) => i.to.startsWith('web/theme/') && !i.from.startsWith('web/') && i.from !== 'app.ts');
    assert.deepEqual(intoTheme.map((i) => `${i.from} imports ${i.to}`), []);
  });

  it('web/ takes only types from the capabilities (the models it shows), never their code', () => {
    const code = imports.filter((i) => i.from.startsWith('web/') && capability(i.to) !== null && !['web', 'db', 'lib'].includes(capability(i.to)!) && !i.typeOnly);
    assert.deepEqual(code.map((i) => `${i.from} imports ${i.to}`), []);
  });
});
