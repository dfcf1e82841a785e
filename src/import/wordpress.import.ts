// Importing a WordPress export (issue 14, decisions 0028 and 0029) through the owning services: authors
// become people, categories sections, tags tags, posts articles, pages static pages, comments comments.
// The file is read as a stream (readWxr, on a thread of its own: readWxrAhead, decision 0051) and each
// part written as it is read, so memory stays flat whatever the size of the file. Everything is written
// in ONE write transaction, so a fatal error (a file found broken half-way included) leaves the site as it
// was; a dry run does the same work and rolls it back, so its counts are exactly what an import would do.
// The import_map table remembers what each WordPress object became, so a second run updates instead of
// adding.
import os from 'node:os';
import type { DatabaseTarget } from '../config.ts';
import type { Db, Store } from '../db/store.ts';
import { EVERYTHING } from '../db/store.ts';
import { StatisticsDue } from '../db/planner-statistics.ts';
import { AppError } from '../errors.ts';
import { isSlug, slugify } from '../lib/slug.ts';
import { createArticleIn, createArticlesIn, refreshArticleStatistics, updateArticleIn, type ArticleInput } from '../articles/article.service.ts';
import { articleFacts } from '../articles/article.lookups.ts';
import { holdImportedIn } from '../articles/article.workflow.ts';
import { defineSectionIn, RESERVED_SECTION_SLUGS } from '../sections/section.service.ts';
import { definePersonIn } from '../people/person.service.ts';
import { ensureTags } from '../tags/tag.service.ts';
import { definePageIn } from '../pages/page.service.ts';
import { importCommentIn, importNewCommentsIn, setCommentIndexesAsideForImport, type NewImportedComment } from '../comments/comment.service.ts';
import type { CommentStatus } from '../db/schema.ts';
import { computeRelatedLists } from '../related/related.service.ts';
import { similarThread } from '../search/search.pool.ts';
import { mappedIds, mappedIdsAmong, recordMappings, withSavepoint, type MappedKind } from './import.repository.ts';
import { wordpressToText } from './wp-content.ts';
import { readWxrAhead } from './wxr.ahead.ts';
import { commentText, excerptText } from './wxr.prepare.ts';
import { type WxrAuthor, type WxrChunk, type WxrComment, type WxrHead, type WxrItem, type WxrPart, type WxrTerm } from './wxr.parser.ts';
import { LegacyLinks } from './legacy-links.ts';
import { WpMedia } from './wp-media.ts';
import type { ImageFileDeps } from '../media/image.service.ts';
import { gazetteArticleContent, gazetteArticleCreation, gazettePageFields } from './gazette-meta.ts';
import { articleStateFor, pageStateFor, wordpressDate, type ArticleState } from './wp-status.ts';
import { wordpressSeo } from './wp-seo.ts';

export type Outcome = 'imported' | 'updated' | 'skipped' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['imported', 'updated', 'skipped', 'failed'];

export interface ImportOptions {
  dryRun: boolean;
  /** Posts whose author is missing from the export's list of authors are credited to the listed author with this email. */
  defaultAuthor?: string;
  skipPingbacks: boolean;
  /** A copy of wp-content/uploads (--uploads): attachments and content pictures are taken from it. */
  uploads?: string;
  /** Where the media library stores files and how it makes pictures (without it, no file is stored). */
  media?: ImageFileDeps;
  /** The server secret that keys commenters' avatars (resolveSecret). */
  secret: string;
  now?: Date;
  /** Called after each item (and each chunk of the file) with how far the import has got. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called as the new articles' "Check Also" lists are computed, after the import committed. */
  onCheckAlso?: (done: number, total: number) => void;
  /**
   * Where the store is, so that a large import's "Check Also" lists can be ranked on a second thread
   * reading it as well, where the store reads one query at a time per connection (SQLite; decision 0056).
   */
  database?: DatabaseTarget;
}

/** How far an import has got: bytes of the file read, and posts and comments written so far. */
export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  posts: number;
  comments: number;
}

/** What the import has read of the channel so far: its head and the authors listed (before or after items). */
export interface WxrChannel extends WxrHead {
  authors: WxrAuthor[];
}

/** --default-author names an email no author listed before the first item has. */
export class DefaultAuthorUnknown extends Error {
  constructor(readonly email: string) {
    super(`no author in the export has the email ${email}`);
  }
}

/** Undoes something outside the database (a file written) when the writes it went with are undone. */
export type RollbackHook = () => void | Promise<void>;

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

/**
 * New articles from which their "Check Also" lists are ranked on a second thread too: below, its start
 * (about half a second of CPU and 40 MB) costs more than it saves.
 */
const CHECK_ALSO_THREAD_FROM = 1000;

const UNCATEGORIZED = { slug: 'uncategorized', name: 'Uncategorized' };
const MAX_TAGS = 50;

/**
 * Kinds whose mappings grow with the file: only those of the items being written are held (scopeTo), so
 * memory does not grow with the number of posts and comments already imported.
 */
const ITEM_KINDS: ReadonlySet<MappedKind> = new Set(['post', 'page', 'comment']);

/** Mappings an import writes before it first refreshes the planner's statistics of import_map. */
const PLAN_MAPPINGS_FROM = 2000;

/** The state of one import, kept while its transaction runs. */
export class ImportRun {
  readonly summary: ImportSummary;
  readonly personByLogin = new Map<string, string>();
  readonly sectionByNicename = new Map<string, string>();
  readonly parentOfCategory = new Map<string, string>();
  readonly createdArticles: number[] = [];
  /** The channel's fields and its authors, once the head has been read (importHead). */
  doc: WxrChannel = { version: '', title: '', siteUrl: '', blogUrl: '', authors: [] };
  maps = new Map<MappedKind, Map<string, number>>();
  /** The WordPress ids of the items being written, by kind (scopeTo). */
  private scope = new Map<MappedKind, string[]>();
  private rollbackHooks: RollbackHook[] = [];
  /** Mappings remembered but not yet written: written together after each chunk (flushMappings). */
  private pendingMappings: { kind: MappedKind; wpId: string; gazetteId: number }[] = [];
  /** Mappings this run has written, counted for the refreshes of the planner's statistics. */
  private readonly mappingStatistics = new StatisticsDue(PLAN_MAPPINGS_FROM);
  /** Errors thrown by rollback hooks (they run on, each hook in turn). */
  readonly rollbackFailures: unknown[] = [];
  bytesRead = 0;
  totalBytes = 0;
  /** The old addresses this import records (decision 0031); made when the head names the site. */
  private legacyLinks: LegacyLinks | null = null;
  /** Attachments, featured images and content pictures (src/import/wp-media.ts). */
  readonly media: WpMedia;

  constructor(
    readonly trx: Db,
    readonly store: Store,
    readonly options: ImportOptions,
    readonly stamp: string,
  ) {
    this.summary = { dryRun: options.dryRun, site: '', counts: {}, notes: [] };
    this.media = new WpMedia(this, { ...(options.uploads && { uploads: options.uploads }), ...(options.media && { library: options.media }) });
    // The files the media stored go when the whole import is undone (the rows go with the transaction).
    this.onRollback(() => this.media.removeStoredFiles());
  }

  /**
   * Registers `undo` to run if what is being written now is undone: the item being written, when it is
   * refused and rolled back to its savepoint, or else the whole import, when its transaction is abandoned
   * (a fatal error, a file found broken, a dry run). Hooks run newest first; once the transaction has
   * committed they are dropped. E.g. a copied media file: `run.onRollback(() => fs.promises.rm(file, { force: true }))`.
   */
  onRollback(undo: RollbackHook): void {
    this.rollbackHooks.push(undo);
  }

  /** Runs (newest first) and forgets the hooks registered since the `from`-th. */
  async rollBack(from = 0): Promise<void> {
    const hooks = this.rollbackHooks.splice(from).reverse();
    for (const undo of hooks) {
      try {
        await undo();
      } catch (error) {
        this.rollbackFailures.push(error);
      }
    }
  }

  /** The ids the items about to be written may look up in mapOf('post' | 'page' | 'comment'). */
  scopeTo(items: readonly WxrItem[]): void {
    for (const kind of ITEM_KINDS) this.maps.delete(kind);
    const posts = items.map((i) => i.postId);
    const comments = items.flatMap((i) => i.comments.map((c) => `${i.postId}:${c.id}`));
    this.scope = new Map<MappedKind, string[]>([['post', posts], ['page', posts], ['comment', comments]]);
  }

  /** The old addresses this import records; there from the head on. */
  get links(): LegacyLinks {
    if (!this.legacyLinks) throw new Error('the export\'s head has not been read');
    return this.legacyLinks;
  }

  /** Starts recording old addresses once the head has named the site. */
  startLinks(head: { siteUrl: string; blogUrl: string }): void {
    this.legacyLinks = new LegacyLinks(this.trx, this.summary.site, { siteUrl: head.siteUrl, blogUrl: head.blogUrl }, this.stamp);
  }

  /** Posts and comments written so far, and where the reader is in the file. */
  progress(): ImportProgress {
    const done = (kind: string) => (this.summary.counts[kind]?.imported ?? 0) + (this.summary.counts[kind]?.updated ?? 0);
    return { bytesRead: this.bytesRead, totalBytes: this.totalBytes, posts: done('post'), comments: done('comment') };
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
      hooks: this.rollbackHooks.length,
      mappings: this.pendingMappings.length,
      links: this.legacyLinks?.noted ?? 0,
    };
  }

  /** Back to the counts, sections and ids before an item that was undone (maps are read again); its rollback hooks run. */
  async restore(s: ReturnType<ImportRun['snapshot']>): Promise<void> {
    await this.rollBack(s.hooks);
    // The undone item's mappings are dropped; the earlier items' are written before the maps are read again.
    this.pendingMappings.length = s.mappings;
    this.legacyLinks?.forget(s.links);
    await this.flushMappings();
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

  /**
   * What WordPress ids of this kind became. For posts, pages and comments only the ids of the items being
   * written are held (scopeTo); look any other up with lookup().
   */
  async mapOf(kind: MappedKind): Promise<Map<string, number>> {
    let map = this.maps.get(kind);
    if (!map) {
      map = ITEM_KINDS.has(kind) ? await mappedIdsAmong(this.trx, this.summary.site, kind, this.scope.get(kind) ?? []) : await mappedIds(this.trx, this.summary.site, kind);
      this.maps.set(kind, map);
    }
    return map;
  }

  /** What one WordPress object became, if it was imported (this run or before), e.g. a post another links to. */
  async lookup(kind: MappedKind, wpId: string): Promise<number | undefined> {
    return (await this.mapOf(kind)).get(wpId) ?? (await mappedIdsAmong(this.trx, this.summary.site, kind, [wpId])).get(wpId);
  }

  async remember(kind: MappedKind, wpId: string, id: number): Promise<void> {
    (await this.mapOf(kind)).set(wpId, id);
    this.pendingMappings.push({ kind, wpId, gazetteId: id });
  }

  /** Writes the mappings and old addresses remembered since the last call, in a few statements rather than one each. */
  async flushMappings(): Promise<void> {
    await this.legacyLinks?.flush();
    if (!this.pendingMappings.length) return;
    const rows = this.pendingMappings;
    this.pendingMappings = [];
    await recordMappings(this.trx, this.summary.site, rows, this.stamp);
    // The mappings are looked up by key a chunk at a time; for the lookups to stay index lookups as the
    // table grows, the planner is told its size each time the run's own rows have doubled (decision 0067).
    if (this.mappingStatistics.wrote(rows.length)) await this.store.refreshPlannerStatistics(this.trx, 'import_map');
  }
}

/** The key of the exporting site in import_map. */
function siteKey(doc: WxrHead): string {
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

export { wordpressDate };

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
  // Listed after a post that named it (and made it): its listed name is taken now, and it is counted once.
  const madeThisRun = run.personByLogin.get(login);
  const slug = madeThisRun ?? slugFrom(login, personName(a), `author-${a.id || run.personByLogin.size + 1}`);
  const known = (await run.mapOf('author')).has(login);
  // People carry a name, a slug, a biography and a link: no email, and never a password.
  const id = await definePersonIn(run.trx, { slug, name: personName(a) || slug, bio: '', url: null });
  await run.remember('author', login, id);
  await run.links.author(a, id);
  run.personByLogin.set(login, slug);
  if (!madeThisRun) run.count('author', known ? 'updated' : 'imported');
}

/** An author listed in the export (in its head, or after items). */
async function importListedAuthor(run: ImportRun, a: WxrAuthor): Promise<void> {
  run.doc.authors.push(a);
  await importAuthor(run, a);
}

/**
 * The author a post names that the list lacks (WXR 1.0 has no list, and a list may come after the posts)
 * is made when first met, unless --default-author says to credit such posts to a listed author instead.
 */
async function authorOf(run: ImportRun, item: WxrItem): Promise<void> {
  if (run.options.defaultAuthor) return;
  const login = item.creator.trim();
  if (login && !run.personByLogin.has(login)) await importAuthor(run, { id: '', login, email: '', displayName: login, firstName: '', lastName: '' });
}

/** The listed author with --default-author's email. */
function defaultAuthor(run: ImportRun): WxrAuthor | undefined {
  const wanted = run.options.defaultAuthor?.trim().toLowerCase();
  return wanted ? run.doc.authors.find((a) => a.email.trim().toLowerCase() === wanted) : undefined;
}

function authorsFor(run: ImportRun, item: WxrItem): string[] {
  const slug = run.personByLogin.get(item.creator.trim());
  if (slug) return [slug];
  const author = defaultAuthor(run);
  const fallback = author && run.personByLogin.get(author.login.trim());
  return fallback ? [fallback] : [];
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
    await run.links.category(term, id);
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
    await run.links.tag(t.term, ids.get(slugify(t.name))!);
  }
}

/** Terms listed in the head: categories in order, then the tags at once. */
async function importTerms(run: ImportRun, terms: readonly WxrTerm[]): Promise<void> {
  let position = 0;
  for (const term of terms) {
    if (term.taxonomy === 'category') await importCategory(run, term, ++position);
    else if (term.taxonomy !== 'post_tag') run.count(`term (${term.taxonomy || 'unknown'})`, 'skipped', term.id, `the taxonomy "${term.taxonomy}" is not imported`);
  }
  await importTags(run, terms.filter((t) => t.taxonomy === 'post_tag'));
}

/**
 * A term listed after items. A category a post already made a section for gets its listed name,
 * description and id now; its parent counts for the posts still to come.
 */
async function importLateTerm(run: ImportRun, term: WxrTerm, lateTags: WxrTerm[]): Promise<void> {
  if (term.taxonomy === 'post_tag') return void lateTags.push(term);
  if (term.taxonomy !== 'category') return run.count(`term (${term.taxonomy || 'unknown'})`, 'skipped', term.id, `the taxonomy "${term.taxonomy}" is not imported`);
  const key = term.slug || term.name;
  const slug = run.sectionByNicename.get(key);
  if (!slug) return importCategory(run, term, run.sectionByNicename.size + 1);
  try {
    const id = await defineSectionIn(run.trx, { slug, name: term.name.trim() || slug, description: wordpressToText(term.description).slice(0, 500), position: run.sectionByNicename.size });
    if (term.id) await run.remember('category', term.id, id);
    if (term.parent) run.parentOfCategory.set(key, term.parent);
  } catch (error) {
    const reason = reasonOf(error);
    if (reason === null) throw error;
    run.count('category', 'failed', term.id, reason);
  }
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

/** Where a post or page lands (wp-status.ts): published only when WordPress showed it to everyone. */
function statusFor(run: ImportRun, item: WxrItem, kind: 'post' | 'page'): ArticleState {
  const state = kind === 'post' ? articleStateFor(item, new Date(run.stamp)) : pageStateFor(item);
  if (state.status !== 'published') run.summary.notes.push({ kind, wpId: item.postId, outcome: 'imported', reason: state.why });
  return state;
}

/** Review and scheduled are workflow states an article enters after it is written as a draft. */
async function holdIfNeeded(run: ImportRun, id: number, state: ArticleState): Promise<void> {
  if (state.status === 'review' || state.status === 'scheduled') await holdImportedIn(run.trx, id, state);
}

function headlineOf(item: WxrItem, kind: string): string {
  return item.title.trim() || `Untitled WordPress ${kind} ${item.postId}`;
}

/** What a post's article shows, from the export (its content converted, its SEO fields, sticky or not). */
function postContent(run: ImportRun, item: WxrItem, state: ArticleState) {
  return {
    headline: headlineOf(item, 'post'),
    summary: excerptText(item).slice(0, 1000),
    body: run.media.html(item),
    bodyFormat: 'html' as const,
    tags: tagsOf(item),
    status: state.status === 'published' ? ('published' as const) : ('draft' as const),
    ...gazetteArticleContent(item),
    // The SEO plugins' title and description, and the sticky mark (src/import/wp-seo.ts).
    ...wordpressSeo(item, run.doc),
  };
}

/** A new post as a new article: its content, and its section and authors (made when first met). */
async function newPostInput(run: ImportRun, item: WxrItem, state: ArticleState): Promise<ArticleInput> {
  const content = postContent(run, item, state);
  const publishedAt = content.status === 'published' ? wordpressDate(item.postDateGmt, item.postDate) : undefined;
  const slug = slugFrom(item.postName, item.title, `post-${item.postId}`);
  return { ...content, section: await sectionFor(run, item), slug, authors: authorsFor(run, item), commentsOpen: item.commentStatus === 'open', ...(publishedAt && { publishedAt }), ...gazetteArticleCreation(item) };
}

/** What is recorded once a new post is written as article `id`. */
async function postCreated(run: ImportRun, item: WxrItem, state: ArticleState, id: number): Promise<void> {
  await holdIfNeeded(run, id, state);
  await run.remember('post', item.postId, id);
  await run.links.post(item, id);
  run.createdArticles.push(id);
  run.count('post', 'imported');
}

async function importPost(run: ImportRun, item: WxrItem): Promise<number | null> {
  const state = statusFor(run, item, 'post');
  const mapped = (await run.mapOf('post')).get(item.postId);
  if (mapped !== undefined && (await articleFacts(run.trx, mapped))) {
    await updateArticleIn(run.trx, run.store.search, mapped, postContent(run, item, state), new Date(run.stamp));
    await holdIfNeeded(run, mapped, state);
    run.count('post', 'updated');
    await run.links.post(item, mapped);
    return mapped;
  }
  const input = await newPostInput(run, item, state);
  let created: { id: number };
  try {
    created = await createArticleIn(run.trx, run.store.search, input, new Date(run.stamp));
  } catch (error) {
    // Two posts with one slug in one section: the later one keeps its WordPress id in its address.
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    created = await createArticleIn(run.trx, run.store.search, { ...input, slug: `${input.slug}-${item.postId}`.slice(0, 120) }, new Date(run.stamp));
  }
  await postCreated(run, item, state, created.id);
  return created.id;
}

async function importPage(run: ImportRun, item: WxrItem): Promise<void> {
  const { status } = statusFor(run, item, 'page');
  const known = (await run.mapOf('page')).has(item.postId);
  const slug = slugFrom(item.postName, item.title, `page-${item.postId}`);
  const id = await definePageIn(run.trx, { slug: RESERVED_SECTION_SLUGS.has(slug) ? `${slug}-page` : slug, title: headlineOf(item, 'page').slice(0, 200), body: run.media.markdown(item), language: 'en', status, ...gazettePageFields(item) });
  await run.remember('page', item.postId, id);
  await run.links.page(item, id);
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

/** A comment of the export to write: its key in import_map, its status, and its text as Gazette keeps it. */
interface CommentToWrite {
  wpId: string;
  c: WxrComment;
  status: CommentStatus;
  text: string;
}

/** A post's comments to write, parents first; the ones not imported (trash, empty, skipped pingbacks) are counted. */
function commentsToWrite(run: ImportRun, item: WxrItem): CommentToWrite[] {
  const out: CommentToWrite[] = [];
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
    const text = commentText(c);
    if (!text) {
      run.count('comment', 'skipped', wpId, 'an empty comment');
      continue;
    }
    out.push({ wpId, c, status, text });
  }
  return out;
}

/** The comment as the comments service takes it. */
function importedComment(run: ImportRun, articleId: number, w: CommentToWrite) {
  return { articleId, author: w.c.author, email: w.c.authorEmail, url: w.c.authorUrl || null, text: w.text, status: w.status, createdAt: wordpressDate(w.c.dateGmt, w.c.date) ?? run.stamp };
}

/** The key of a comment's parent in import_map, or null for a comment that starts a thread. */
function parentKeyOf(item: WxrItem, c: WxrComment): string | null {
  return c.parent && c.parent !== '0' ? `${item.postId}:${c.parent}` : null;
}

async function importComments(run: ImportRun, item: WxrItem, articleId: number): Promise<void> {
  const map = await run.mapOf('comment');
  for (const w of commentsToWrite(run, item)) {
    const parentKey = parentKeyOf(item, w.c);
    const parentId = parentKey === null ? null : (map.get(parentKey) ?? null);
    const existing = map.get(w.wpId) ?? null;
    const id = await importCommentIn(run.trx, run.options.secret, { ...importedComment(run, articleId, w), parentId }, existing);
    await run.remember('comment', w.wpId, id);
    run.count('comment', existing === id ? 'updated' : 'imported');
  }
}

// --- new posts in batches ------------------------------------------------------------------------------

/**
 * True when the item is a post seen for the first time (no article, no comment of it mapped yet) that
 * translates nothing: it can be written with others in one batch (importPostBatch).
 */
async function batchable(run: ImportRun, item: WxrItem): Promise<boolean> {
  if ((item.postType || 'post') !== 'post' || NOT_CONTENT.has(item.status)) return false;
  if ((await run.mapOf('post')).has(item.postId)) return false;
  const comments = await run.mapOf('comment');
  if (item.comments.some((c) => comments.has(`${item.postId}:${c.id}`))) return false;
  return !gazetteArticleCreation(item).translationOf;
}

/**
 * Writes new posts (batchable) and their comments together, a few statements for them all instead of
 * some forty each (decision 0029). If any of them is refused, the batch is undone and its posts are
 * written one by one, so that only the refused one fails, with its reason.
 */
async function importPostBatch(run: ImportRun, items: readonly WxrItem[]): Promise<void> {
  if (items.length < 2) {
    for (const item of items) await importItem(run, item);
    return;
  }
  for (const item of items) await run.media.prepare(item);
  const before = run.snapshot();
  let ids: number[];
  try {
    ids = await withSavepoint(run.trx, () => writePostBatch(run, items));
  } catch (error) {
    await run.restore(before);
    if (reasonOf(error) === null) throw error;
    for (const item of items) await writeItem(run, item, 'post');
    return;
  }
  items.forEach((item, i) => run.media.afterPost(ids[i]!, item));
}

/** Writes the batch's articles and comments; returns the articles' ids in the order of `items`. */
async function writePostBatch(run: ImportRun, items: readonly WxrItem[]): Promise<number[]> {
  const states = items.map((item) => statusFor(run, item, 'post'));
  const inputs: ArticleInput[] = [];
  for (const [i, item] of items.entries()) inputs.push(await newPostInput(run, item, states[i]!));
  const ids = await createArticlesIn(run.trx, run.store.search, inputs, new Date(run.stamp));
  for (const [i, item] of items.entries()) await postCreated(run, item, states[i]!, ids[i]!);
  const comments: NewImportedComment[] = items.flatMap((item, i) => commentsToWrite(run, item).map((w) => ({ ...importedComment(run, ids[i]!, w), key: w.wpId, parentKey: parentKeyOf(item, w.c) })));
  const made = await importNewCommentsIn(run.trx, run.options.secret, comments);
  for (const c of comments) {
    await run.remember('comment', c.key, made.get(c.key)!);
    run.count('comment', 'imported');
  }
  return ids;
}

// --- the import ---------------------------------------------------------------------------------------------

async function importItem(run: ImportRun, item: WxrItem): Promise<void> {
  const type = item.postType || 'post';
  if (type === 'attachment') return run.media.importAttachment(item);
  if (type !== 'post' && type !== 'page') return run.count(type, 'skipped', item.postId, `the post type "${type}" is not imported`);
  if (NOT_CONTENT.has(item.status)) return run.count(type, 'skipped', item.postId, `status "${item.status}" is not imported`);
  await run.media.prepare(item);
  await writeItem(run, item, type);
}

/** Writes one post or page (its media prepared) and a post's comments, undone whole if refused. */
async function writeItem(run: ImportRun, item: WxrItem, type: 'post' | 'page'): Promise<void> {
  // Counts are kept aside until the item is written whole: a refused item is one failure, and undone.
  const before = run.snapshot();
  try {
    let articleId: number | null = null;
    await withSavepoint(run.trx, async () => {
      if (type === 'page') return importPage(run, item);
      articleId = await importPost(run, item);
      if (articleId !== null) await importComments(run, item, articleId);
    });
    if (articleId !== null) run.media.afterPost(articleId, item);
  } catch (error) {
    await run.restore(before);
    const reason = reasonOf(error);
    if (reason === null) throw error;
    run.count(type, 'failed', item.postId, reason);
  }
}

/** The head: the site (the key of import_map), the listed authors, then the listed terms. */
async function importHead(run: ImportRun, part: Extract<WxrPart, { kind: 'head' }>): Promise<void> {
  run.doc = { ...part.head, authors: [] };
  run.summary.site = siteKey(part.head);
  run.startLinks(part.head);
  for (const a of part.authors) await importListedAuthor(run, a);
  if (run.options.defaultAuthor && !defaultAuthor(run)) throw new DefaultAuthorUnknown(run.options.defaultAuthor);
  await importTerms(run, part.terms);
}

/** Writes the parts one chunk of the file completed, in the file's order; runs of new posts together. */
async function importChunk(run: ImportRun, chunk: WxrChunk): Promise<void> {
  run.scopeTo(chunk.parts.flatMap((p) => (p.kind === 'item' ? [p.item] : [])));
  run.bytesRead = chunk.bytesRead;
  run.totalBytes = chunk.totalBytes;
  const lateTags: WxrTerm[] = [];
  let posts: WxrItem[] = [];
  const writePosts = async () => {
    await importPostBatch(run, posts);
    posts = [];
    run.options.onProgress?.(run.progress());
  };
  for (const part of chunk.parts) {
    if (part.kind === 'item') await authorOf(run, part.item);
    if (part.kind === 'item' && (await batchable(run, part.item))) {
      posts.push(part.item);
      continue;
    }
    if (posts.length) await writePosts();
    if (part.kind === 'head') await importHead(run, part);
    else if (part.kind === 'author') await importListedAuthor(run, part.author);
    else if (part.kind === 'term') await importLateTerm(run, part.term, lateTags);
    else {
      await importItem(run, part.item);
      run.options.onProgress?.(run.progress());
    }
  }
  if (posts.length) await writePosts();
  if (lateTags.length) await importTags(run, lateTags);
  await run.flushMappings();
  run.options.onProgress?.(run.progress());
}

/**
 * Reads `file` and writes each chunk's parts in turn; the reading thread reads, parses and converts the
 * next chunks meanwhile (a few ahead at most, decision 0051).
 */
async function runImport(run: ImportRun, file: string): Promise<void> {
  for await (const chunk of readWxrAhead(file)) await importChunk(run, chunk);
  // Featured images and galleries that named attachments listed later in the file.
  await run.media.finish();
  await run.flushMappings();
  // Old addresses of the site's feeds and uploads, and links to the old site in what was written.
  await run.links.finish(run.store.search, new Date(run.stamp));
  await run.flushMappings();
}

/**
 * The new articles' "Check Also" lists, after the import committed: on SQLite, with a spare core, a
 * large import's batches are ranked by the main thread and a search thread in turn (decision 0056).
 */
async function checkAlsoLists(store: Store, ids: readonly number[], options: ImportOptions, now: Date): Promise<void> {
  const spare = options.database && store.readsInParallelThreads && os.availableParallelism() > 1 && ids.length >= CHECK_ALSO_THREAD_FROM;
  const thread = spare ? similarThread(options.database!) : null;
  try {
    await computeRelatedLists(store, ids, options.onCheckAlso, now, thread ? [thread.similarMany] : []);
  } finally {
    await thread?.close();
  }
}

/**
 * Imports the WordPress export `file` into the store in one transaction (rolled back for a dry run), as
 * it is read, and reports what it did. A problem with one object is counted as failed with its reason;
 * any other error (WxrError for a file found broken, DefaultAuthorUnknown) rolls everything back, runs
 * the rollback hooks, and is thrown.
 */
export async function importWordpress(store: Store, file: string, options: ImportOptions): Promise<ImportSummary> {
  const stamp = (options.now ?? new Date()).toISOString();
  let run: ImportRun | null = null;
  try {
    await store.writeTransaction(async (trx) => {
      run = new ImportRun(trx, store, options, stamp);
      // Into a site without comments, the comments' indexes are built once at the end (decision 0058);
      // a dry run's rollback brings them back without building them.
      const rebuildCommentIndexes = await setCommentIndexesAsideForImport(store, trx);
      // The search index is compacted whole after the commit: it need not tidy itself on the way.
      const resumeTidying = await store.search.pauseTidying(trx);
      await runImport(run, file);
      if (options.dryRun) throw new DryRunRollback();
      await rebuildCommentIndexes?.();
      await resumeTidying();
    });
  } catch (error) {
    const abandoned = run as ImportRun | null;
    if (abandoned) await abandoned.rollBack();
    if (!(error instanceof DryRunRollback)) throw error;
    if (abandoned?.rollbackFailures.length) throw abandoned.rollbackFailures[0];
  }
  const done = run as ImportRun | null;
  if (!done) throw new Error('the import did not run');
  if (!options.dryRun) {
    if (done.createdArticles.length) {
      await store.search.compact(store.db);
      await refreshArticleStatistics(store);
      await checkAlsoLists(store, done.createdArticles, options, new Date(stamp));
    }
    store.changes.announce([EVERYTHING]);
  }
  return done.summary;
}
