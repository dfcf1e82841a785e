// Importing a parsed WordPress export (issue 14, decision 0028) through the owning services: authors
// become people, categories sections, tags tags, posts articles, pages static pages, comments comments.
// Everything is written in ONE write transaction, so a fatal error leaves the site as it was; a dry run
// does the same work and rolls it back, so its counts are exactly what an import would do. The
// import_map table remembers what each WordPress object became, so a second run updates instead of
// adding.
import type { Db, Store } from '../db/store.ts';
import { EVERYTHING } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { isSlug, slugify } from '../lib/slug.ts';
import { createArticleIn, updateArticleIn, type ArticleInput } from '../articles/article.service.ts';
import { articleFacts } from '../articles/article.lookups.ts';
import { defineSectionIn, RESERVED_SECTION_SLUGS } from '../sections/section.service.ts';
import { definePersonIn } from '../people/person.service.ts';
import { ensureTags } from '../tags/tag.service.ts';
import { definePageIn } from '../pages/page.service.ts';
import { importCommentIn } from '../comments/comment.service.ts';
import type { CommentStatus } from '../db/schema.ts';
import { computeRelatedLists } from '../related/related.service.ts';
import { mappedIds, recordMapping, withSavepoint, type MappedKind } from './import.repository.ts';
import { wordpressToHtml, wordpressToMarkdown, wordpressToText } from './wp-content.ts';
import { wordpressSeo } from './wp-seo.ts';
import type { WxrAuthor, WxrComment, WxrDocument, WxrItem, WxrTerm } from './wxr.parser.ts';

export type Outcome = 'imported' | 'updated' | 'skipped' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['imported', 'updated', 'skipped', 'failed'];

export interface ImportOptions {
  dryRun: boolean;
  /** Posts whose author is missing from the export's list of authors are credited to the listed author with this email. */
  defaultAuthor?: string;
  skipPingbacks: boolean;
  /** The server secret that keys commenters' avatars (resolveSecret). */
  secret: string;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportNote {
  kind: string;
  wpId: string;
  outcome: Outcome;
  reason: string;
}

export interface ImportSummary {
  dryRun: boolean;
  site: string;
  /** By kind (author, category, tag, post, page, comment, and item types not imported), by outcome. */
  counts: Record<string, Record<Outcome, number>>;
  /** Why each skipped or failed object was, and remarks on imported ones (a private post made a draft). */
  notes: ImportNote[];
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRunRollback extends Error {}

const UNCATEGORIZED = { slug: 'uncategorized', name: 'Uncategorized' };
const MAX_TAGS = 50;

/** The state of one import, kept while its transaction runs. */
class ImportRun {
  readonly summary: ImportSummary;
  readonly personByLogin = new Map<string, string>();
  readonly sectionByNicename = new Map<string, string>();
  readonly parentOfCategory = new Map<string, string>();
  readonly createdArticles: number[] = [];
  maps = new Map<MappedKind, Map<string, number>>();

  constructor(
    readonly trx: Db,
    readonly store: Store,
    readonly doc: WxrDocument,
    readonly options: ImportOptions,
    readonly stamp: string,
  ) {
    this.summary = { dryRun: options.dryRun, site: siteKey(doc), counts: {}, notes: [] };
  }

  count(kind: string, outcome: Outcome, wpId = '', reason = ''): void {
    const c = (this.summary.counts[kind] ??= { imported: 0, updated: 0, skipped: 0, failed: 0 });
    c[outcome] += 1;
    if (reason) this.summary.notes.push({ kind, wpId, outcome, reason });
  }

  /** What restore() needs to forget an item whose writes were undone. */
  snapshot() {
    return {
      counts: structuredClone(this.summary.counts),
      notes: this.summary.notes.length,
      sections: new Map(this.sectionByNicename),
      parents: new Map(this.parentOfCategory),
      created: this.createdArticles.length,
    };
  }

  /** Back to the counts, sections and ids before an item that was undone (maps are read again). */
  restore(s: ReturnType<ImportRun['snapshot']>): void {
    this.summary.counts = s.counts;
    this.summary.notes.length = s.notes;
    this.replace(this.sectionByNicename, s.sections);
    this.replace(this.parentOfCategory, s.parents);
    this.createdArticles.length = s.created;
    this.maps.clear();
  }

  private replace<K, V>(target: Map<K, V>, from: Map<K, V>): void {
    target.clear();
    for (const [k, v] of from) target.set(k, v);
  }

  async mapOf(kind: MappedKind): Promise<Map<string, number>> {
    let map = this.maps.get(kind);
    if (!map) {
      map = await mappedIds(this.trx, this.summary.site, kind);
      this.maps.set(kind, map);
    }
    return map;
  }

  async remember(kind: MappedKind, wpId: string, id: number): Promise<void> {
    (await this.mapOf(kind)).set(wpId, id);
    await recordMapping(this.trx, this.summary.site, kind, wpId, id, this.stamp);
  }
}

/** The key of the exporting site in import_map. */
function siteKey(doc: WxrDocument): string {
  return (doc.siteUrl || doc.blogUrl || `untitled:${doc.title}`).replace(/\/+$/, '');
}

function decodedSlug(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** A slug Gazette accepts made from a WordPress slug, else from the name, else from the fallback. */
function slugFrom(raw: string, name: string, fallback: string): string {
  const decoded = decodedSlug(raw);
  if (isSlug(decoded)) return decoded;
  return slugify(decoded) || slugify(name) || fallback;
}

/** "2010-10-16 20:53:18" (GMT) as ISO-8601; undefined for WordPress's zero date or anything else. */
export function wordpressDate(gmt: string, local = ''): string | undefined {
  for (const value of [gmt, local]) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
    if (m && m[1] !== '0000') {
      const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
  }
  return undefined;
}

function reasonOf(error: unknown): string | null {
  return error instanceof AppError ? error.message : null;
}

// --- authors ---------------------------------------------------------------------------------------

function personName(a: WxrAuthor): string {
  return (a.displayName.trim() || `${a.firstName} ${a.lastName}`.trim() || a.login.trim()).slice(0, 200);
}

async function importAuthor(run: ImportRun, a: WxrAuthor): Promise<void> {
  const login = a.login.trim();
  if (!login) return run.count('author', 'skipped', a.id, 'an author without a login');
  const slug = slugFrom(login, personName(a), `author-${a.id || run.personByLogin.size + 1}`);
  const known = (await run.mapOf('author')).has(login);
  // People carry a name, a slug, a biography and a link: no email, and never a password.
  const id = await definePersonIn(run.trx, { slug, name: personName(a) || slug, bio: '', url: null });
  await run.remember('author', login, id);
  run.personByLogin.set(login, slug);
  run.count('author', known ? 'updated' : 'imported');
}

/**
 * Authors listed in the export, then any author a post names that the list lacks (WXR 1.0 has no list),
 * unless --default-author says to credit such posts to a listed author instead.
 */
async function importAuthors(run: ImportRun): Promise<void> {
  for (const a of run.doc.authors) await importAuthor(run, a);
  if (run.options.defaultAuthor) return;
  for (const item of run.doc.items) {
    const login = item.creator.trim();
    if (login && !run.personByLogin.has(login)) await importAuthor(run, { id: '', login, email: '', displayName: login, firstName: '', lastName: '' });
  }
}

function authorsFor(run: ImportRun, item: WxrItem): string[] {
  const slug = run.personByLogin.get(item.creator.trim());
  if (slug) return [slug];
  if (run.options.defaultAuthor) {
    const wanted = run.options.defaultAuthor.trim().toLowerCase();
    const author = run.doc.authors.find((a) => a.email.trim().toLowerCase() === wanted);
    const fallback = author && run.personByLogin.get(author.login.trim());
    if (fallback) return [fallback];
  }
  return [];
}

// --- categories and tags -------------------------------------------------------------------------------

async function importCategory(run: ImportRun, term: Pick<WxrTerm, 'id' | 'slug' | 'name' | 'parent' | 'description'>, position: number): Promise<void> {
  const key = term.slug || term.name;
  if (run.sectionByNicename.has(key)) return;
  let slug = slugFrom(term.slug, term.name, `category-${term.id || position}`);
  if (RESERVED_SECTION_SLUGS.has(slug)) slug = `${slug}-section`;
  const wpId = term.id || `slug:${key}`;
  const known = (await run.mapOf('category')).has(wpId);
  try {
    const id = await defineSectionIn(run.trx, { slug, name: term.name.trim() || slug, description: wordpressToText(term.description).slice(0, 500), position });
    await run.remember('category', wpId, id);
    run.sectionByNicename.set(key, slug);
    if (term.parent) run.parentOfCategory.set(key, term.parent);
    run.count('category', known ? 'updated' : 'imported');
  } catch (error) {
    const reason = reasonOf(error);
    if (reason === null) throw error;
    run.count('category', 'failed', wpId, reason);
  }
}

async function importTags(run: ImportRun, tags: WxrTerm[]): Promise<void> {
  const wanted = tags.map((t) => ({ term: t, name: t.name.trim().slice(0, 100) })).filter((t) => slugify(t.name));
  for (const t of tags) if (!slugify(t.name.trim())) run.count('tag', 'skipped', t.id, `the tag "${t.name}" has no letters or digits`);
  if (!wanted.length) return;
  const ids = await ensureTags(run.trx, wanted.map((t) => ({ slug: slugify(t.name), name: t.name })));
  const map = await run.mapOf('tag');
  for (const t of wanted) {
    const wpId = t.term.id || `slug:${t.term.slug}`;
    run.count('tag', map.has(wpId) ? 'updated' : 'imported');
    await run.remember('tag', wpId, ids.get(slugify(t.name))!);
  }
}

async function importTerms(run: ImportRun): Promise<void> {
  let position = 0;
  for (const term of run.doc.terms) {
    if (term.taxonomy === 'category') await importCategory(run, term, ++position);
    else if (term.taxonomy !== 'post_tag') run.count(`term (${term.taxonomy || 'unknown'})`, 'skipped', term.id, `the taxonomy "${term.taxonomy}" is not imported`);
  }
  await importTags(run, run.doc.terms.filter((t) => t.taxonomy === 'post_tag'));
}

/** The post's most specific category (one that is no other of its categories' parent), as a section slug. */
async function sectionFor(run: ImportRun, item: WxrItem): Promise<string> {
  const categories = item.terms.filter((t) => t.domain === 'category');
  for (const c of categories) await importCategory(run, { id: '', slug: c.slug, name: c.name, parent: '', description: '' }, run.sectionByNicename.size + 1);
  const parents = new Set(categories.map((c) => run.parentOfCategory.get(c.slug || c.name)).filter(Boolean));
  const chosen = categories.find((c) => !parents.has(c.slug)) ?? categories[0];
  const slug = chosen && run.sectionByNicename.get(chosen.slug || chosen.name);
  if (slug) return slug;
  if (!run.sectionByNicename.has(UNCATEGORIZED.slug)) await importCategory(run, { id: '', slug: UNCATEGORIZED.slug, name: UNCATEGORIZED.name, parent: '', description: '' }, 0);
  return run.sectionByNicename.get(UNCATEGORIZED.slug) ?? UNCATEGORIZED.slug;
}

function tagsOf(item: WxrItem): string[] {
  const names = item.terms.filter((t) => t.domain === 'post_tag' || t.domain === 'tag').map((t) => t.name.trim().slice(0, 100)).filter((n) => slugify(n));
  const bySlug = new Map(names.map((n) => [slugify(n), n]));
  return [...bySlug.values()].slice(0, MAX_TAGS);
}

// --- posts and pages -------------------------------------------------------------------------------------

/** WordPress statuses that leave the post out altogether. */
const NOT_CONTENT = new Set(['trash', 'auto-draft', 'inherit']);

/** Published only when WordPress published it for everyone; everything else is a draft no reader sees. */
function statusFor(run: ImportRun, item: WxrItem, kind: string): 'published' | 'draft' {
  if (item.status === 'publish' && !item.postPassword) return 'published';
  const why = item.status === 'publish' ? 'password-protected' : item.status || 'no status';
  run.summary.notes.push({ kind, wpId: item.postId, outcome: 'imported', reason: `${why}: imported as a draft` });
  return 'draft';
}

function headlineOf(item: WxrItem, kind: string): string {
  return item.title.trim() || `Untitled WordPress ${kind} ${item.postId}`;
}

async function importPost(run: ImportRun, item: WxrItem): Promise<number | null> {
  const status = statusFor(run, item, 'post');
  const publishedAt = status === 'published' ? wordpressDate(item.postDateGmt, item.postDate) : undefined;
  const slug = slugFrom(item.postName, item.title, `post-${item.postId}`);
  const content = {
    headline: headlineOf(item, 'post'),
    summary: wordpressToText(item.excerpt).slice(0, 1000),
    body: wordpressToHtml(item.content),
    bodyFormat: 'html' as const,
    tags: tagsOf(item),
    status,
    // The SEO plugins' title and description, and the sticky mark (src/import/wp-seo.ts).
    ...wordpressSeo(item, run.doc),
  };
  const mapped = (await run.mapOf('post')).get(item.postId);
  if (mapped !== undefined && (await articleFacts(run.trx, mapped))) {
    await updateArticleIn(run.trx, run.store.search, mapped, content, new Date(run.stamp));
    run.count('post', 'updated');
    return mapped;
  }
  const input: ArticleInput = { ...content, section: await sectionFor(run, item), slug, authors: authorsFor(run, item), commentsOpen: item.commentStatus === 'open', ...(publishedAt && { publishedAt }) };
  let created: { id: number };
  try {
    created = await createArticleIn(run.trx, run.store.search, input, new Date(run.stamp));
  } catch (error) {
    // Two posts with one slug in one section: the later one keeps its WordPress id in its address.
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    created = await createArticleIn(run.trx, run.store.search, { ...input, slug: `${slug}-${item.postId}`.slice(0, 120) }, new Date(run.stamp));
  }
  await run.remember('post', item.postId, created.id);
  run.createdArticles.push(created.id);
  run.count('post', 'imported');
  return created.id;
}

async function importPage(run: ImportRun, item: WxrItem): Promise<void> {
  const status = statusFor(run, item, 'page');
  const known = (await run.mapOf('page')).has(item.postId);
  const slug = slugFrom(item.postName, item.title, `page-${item.postId}`);
  const id = await definePageIn(run.trx, { slug: RESERVED_SECTION_SLUGS.has(slug) ? `${slug}-page` : slug, title: headlineOf(item, 'page').slice(0, 200), body: wordpressToMarkdown(item.content), language: 'en', status });
  await run.remember('page', item.postId, id);
  run.count('page', known ? 'updated' : 'imported');
  for (const c of item.comments) run.count('comment', 'skipped', `${item.postId}:${c.id}`, `a comment on page ${item.postId}: static pages take no comments`);
}

// --- comments ---------------------------------------------------------------------------------------------

const COMMENT_STATUS: Record<string, CommentStatus> = { '1': 'approved', approve: 'approved', '0': 'pending', hold: 'pending', spam: 'spam' };

/** Parents before their replies, whatever order the export lists them in. */
function threadOrder(comments: WxrComment[]): WxrComment[] {
  const ids = new Set(comments.map((c) => c.id));
  const done = new Set<string>();
  const ordered: WxrComment[] = [];
  let pending = comments;
  while (pending.length) {
    const next = pending.filter((c) => !(c.parent && c.parent !== '0' && ids.has(c.parent) && !done.has(c.parent)));
    // A cycle of parents: the rest go in as they are (their parents are dropped below).
    const batch = next.length ? next : pending;
    for (const c of batch) {
      ordered.push(c);
      done.add(c.id);
    }
    pending = pending.filter((c) => !done.has(c.id));
  }
  return ordered;
}

async function importComments(run: ImportRun, item: WxrItem, articleId: number): Promise<void> {
  const map = await run.mapOf('comment');
  for (const c of threadOrder(item.comments)) {
    const wpId = `${item.postId}:${c.id}`;
    const status = COMMENT_STATUS[c.approved];
    if (!status) {
      run.count('comment', 'skipped', wpId, `status "${c.approved}" (trash) is not imported`);
      continue;
    }
    const pingback = c.type === 'pingback' || c.type === 'trackback';
    if (pingback && run.options.skipPingbacks) {
      run.count('comment', 'skipped', wpId, `${c.type} skipped (--skip-pingbacks)`);
      continue;
    }
    const text = wordpressToText(c.content);
    if (!text) {
      run.count('comment', 'skipped', wpId, 'an empty comment');
      continue;
    }
    const parentId = c.parent && c.parent !== '0' ? (map.get(`${item.postId}:${c.parent}`) ?? null) : null;
    const existing = map.get(wpId) ?? null;
    const id = await importCommentIn(
      run.trx,
      run.options.secret,
      { articleId, parentId, author: c.author, email: c.authorEmail, url: c.authorUrl || null, text, status, createdAt: wordpressDate(c.dateGmt, c.date) ?? run.stamp },
      existing,
    );
    await run.remember('comment', wpId, id);
    run.count('comment', existing === id ? 'updated' : 'imported');
  }
}

// --- the import ---------------------------------------------------------------------------------------------

async function importItem(run: ImportRun, item: WxrItem): Promise<void> {
  const type = item.postType || 'post';
  if (type !== 'post' && type !== 'page') {
    const reason = type === 'attachment' ? 'attachments (media) are not imported yet' : `the post type "${type}" is not imported`;
    return run.count(type, 'skipped', item.postId, reason);
  }
  if (NOT_CONTENT.has(item.status)) return run.count(type, 'skipped', item.postId, `status "${item.status}" is not imported`);
  // Counts are kept aside until the item is written whole: a refused item is one failure, and undone.
  const before = run.snapshot();
  try {
    await withSavepoint(run.trx, async () => {
      if (type === 'page') return importPage(run, item);
      const articleId = await importPost(run, item);
      if (articleId !== null) await importComments(run, item, articleId);
    });
  } catch (error) {
    run.restore(before);
    const reason = reasonOf(error);
    if (reason === null) throw error;
    run.count(type, 'failed', item.postId, reason);
  }
}

async function runImport(run: ImportRun): Promise<void> {
  const total = run.doc.items.length;
  run.options.onProgress?.(0, total);
  await importAuthors(run);
  await importTerms(run);
  for (const [i, item] of run.doc.items.entries()) {
    await importItem(run, item);
    run.options.onProgress?.(i + 1, total);
  }
}

/**
 * Imports `doc` into the store in one transaction (rolled back for a dry run) and reports what it did.
 * A problem with one object is counted as failed with its reason; any other error rolls everything back.
 */
export async function importWordpress(store: Store, doc: WxrDocument, options: ImportOptions): Promise<ImportSummary> {
  const stamp = (options.now ?? new Date()).toISOString();
  let run: ImportRun | null = null;
  try {
    await store.writeTransaction(async (trx) => {
      run = new ImportRun(trx, store, doc, options, stamp);
      await runImport(run);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  const done = run as ImportRun | null;
  if (!done) throw new Error('the import did not run');
  if (!options.dryRun) {
    if (done.createdArticles.length) {
      await store.search.compact(store.db);
      await computeRelatedLists(store, done.createdArticles, () => {}, new Date(stamp));
    }
    store.changes.announce([EVERYTHING]);
  }
  return done.summary;
}
