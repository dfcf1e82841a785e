// Shared pieces of the comment tests: a server with test-friendly comment settings, the form as a
// reader's browser would send it (token and article id read from the real page), and database snapshots.
import { parseHTML } from 'linkedom';
import { createCommentService, resolveSecret, type CommentService } from '../../src/comments/comment.service.ts';
import { SEED_PATH, startTestServer, type TestServer } from '../helpers/server.ts';

export { SEED_PATH } from '../helpers/server.ts';

/**
 * A test server whose comment rules do not get in the way of the rule under test: no minimum form age,
 * a generous rate limit. Each test overrides what it is about.
 */
export function startCommentServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ env: { COMMENTS_MIN_SECONDS: '0', COMMENTS_RATE_MAX: '100000', ...env } });
}

/** A comment service over the test server's own store and configuration (no mailer). */
export async function serviceFor(server: TestServer): Promise<CommentService> {
  return createCommentService({ store: server.store, config: server.config, secret: await resolveSecret(server.store.db, server.config), mailer: null });
}

/** The seed article's id, and the id of another published article (for "a comment of another article"). */
export async function seedAndOtherArticle(server: TestServer): Promise<{ articleId: number; otherId: number }> {
  const [section, slug] = SEED_PATH.slice(1).split('/');
  const rows = await server.store.db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.slug', 's.slug as section'])
    .where('a.status', '=', 'published')
    .execute();
  const articleId = rows.find((r) => r.slug === slug && r.section === section)!.id;
  return { articleId, otherId: rows.find((r) => r.id !== articleId)!.id };
}

export interface ReaderForm {
  article_id: string;
  token: string;
  comment_parent: string;
}

/** The hidden fields of the comment form on a page as the page itself carries them (no script run). */
export async function readPageForm(server: Pick<TestServer, 'url'>, path: string): Promise<ReaderForm> {
  const response = await fetch(server.url + path);
  const { document } = parseHTML(await response.text());
  const form = document.querySelector('form.comment-form');
  if (!form) throw new Error(`no comment form on ${path} (status ${response.status})`);
  const value = (name: string) => form.querySelector(`[name="${name}"]`)?.getAttribute('value') ?? '';
  return { article_id: value('article_id'), token: value('token'), comment_parent: value('comment_parent') };
}

/** A per-reader form token, fetched as the form's script does. */
export async function fetchToken(server: Pick<TestServer, 'url'>, articleId: string): Promise<string> {
  const response = await fetch(`${server.url}/comments/token?article=${encodeURIComponent(articleId)}`);
  if (!response.ok) throw new Error(`no token for article ${articleId} (status ${response.status})`);
  return ((await response.json()) as { token: string }).token;
}

/** The hidden fields of the comment form on a page, with the per-reader token its script fetches. */
export async function readForm(server: Pick<TestServer, 'url'>, path: string): Promise<ReaderForm> {
  const form = await readPageForm(server, path);
  return form.token ? form : { ...form, token: await fetchToken(server, form.article_id) };
}

/** Resolves once the clock has passed a form token's issue time plus `seconds` (the token says when it was issued). */
export async function tokenAged(token: string, seconds: number): Promise<void> {
  const issued = Number(token.split('.')[1]);
  if (!Number.isFinite(issued)) throw new Error(`not a form token: ${token}`);
  // The server compares whole seconds; one more keeps the check from landing on the boundary.
  const ready = (issued + seconds + 1) * 1000;
  while (Date.now() < ready) await new Promise((resolve) => setTimeout(resolve, Math.min(100, ready - Date.now())));
}

/** The name=value of the commenter cookie a POST answer set, or null. */
export function commenterCookie(answer: { headers: Headers }): string | null {
  const set = answer.headers.getSetCookie().find((c) => c.startsWith('gazette_commenter='));
  return set ? set.split(';')[0]! : null;
}

export interface PostAnswer {
  status: number;
  location: string | null;
  headers: Headers;
  text: string;
  document: Document;
}

/** POSTs a comment form as a browser on the site itself would (Origin of the server). */
export async function postComment(server: Pick<TestServer, 'url'>, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PostAnswer> {
  const response = await fetch(`${server.url}/comments`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { origin: server.url, ...headers },
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location'), headers: response.headers, text, document: parseHTML(text).document as unknown as Document };
}

let unique = 0;
/** A complete, valid submission for a form, with a fresh address and text unless given. */
export function fields(form: ReaderForm, extra: Record<string, string> = {}): Record<string, string> {
  unique += 1;
  return {
    article_id: form.article_id,
    token: form.token,
    comment_parent: '0',
    author: `Reader ${unique}`,
    email: `reader${unique}.${process.pid}@example.org`,
    url: '',
    comment: `A thoughtful remark, number ${unique}.`,
    ...extra,
  };
}

/** The id in a 303 Location such as /news/x?comment=approved#comment-12. */
export function commentIdFrom(location: string | null): number {
  const m = /#comment-(\d+)$/.exec(location ?? '');
  if (!m) throw new Error(`no comment anchor in ${location}`);
  return Number(m[1]);
}

/**
 * The page store's tables: copies of rendered pages, written shortly after the response that rendered
 * them (decision 0040), so a page read before a post may land in them while the post is checked.
 */
const PAGE_STORE_TABLES = ['stored_pages', 'stored_page_keys'];

/** Every row of every table but the page store's, to prove a refused or accepted post changed nothing else. */
export async function snapshot(server: TestServer, except: readonly string[] = []): Promise<Record<string, unknown[]>> {
  const tables = await server.store.db.introspection.getTables();
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (except.includes(t.name) || PAGE_STORE_TABLES.includes(t.name)) continue;
    // Dynamic table names: the introspected list is the only source, so the reference is safe.
    out[t.name] = await server.store.db.selectFrom(t.name as 'comments').selectAll().execute();
  }
  return out;
}

export const countComments = async (server: TestServer) =>
  Number((await server.store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Text of the element, whitespace collapsed. */
export const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The problem sentence of a refusal page. */
export const problemOf = (answer: PostAnswer) => norm(answer.document.querySelector('.comment-problem')?.textContent);
