// Old WordPress addresses (issue 14 part 3, decision 0031). While an export is imported, every address
// its site answered at is recorded in legacy_links with what it became: each post's and page's own link
// (the permalink structure the site actually used, under the folder it was installed in), `?p=ID` and
// `?page_id=ID`, the usual permalink shapes, categories, tags, authors, feeds and uploads. The public
// site asks here only when it is about to answer 404, and answers 301 to the object's address as its
// owner gives it now. At the end of an import, links to the old site in the bodies the import wrote are
// rewritten to the new addresses.
import type { Db } from '../db/store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { AppError } from '../errors.ts';
import { commentFeedPath } from '../lib/paths.ts';
import { lowerAscii, slugify } from '../lib/slug.ts';
import { articleBodies, publishedPathsOf } from '../articles/article.lookups.ts';
import { replaceBodyIn } from '../articles/article.service.ts';
import { feedPath } from '../feeds/feed-paths.ts';
import { imageViews } from '../media/image.service.ts';
import { definePageIn, getPage } from '../pages/page.service.ts';
import { getPersonById } from '../people/person.service.ts';
import { getManagedSection } from '../sections/section.service.ts';
import { getTagById } from '../tags/tag.service.ts';
import { findLinks, saveLinks, uploadMappingsAfter, type LegacyLinkRow } from './legacy-links.repository.ts';

/** What an old address can lead to. */
export type LegacyKind =
  | 'home'
  | 'article'
  | 'article-comments'
  | 'page'
  | 'section'
  | 'section-feed'
  | 'tag'
  | 'tag-feed'
  | 'person'
  | 'person-feed'
  | 'site-rss'
  | 'site-atom'
  | 'upload';

/** Query parameters WordPress answers at any path, in the order they are looked at. */
const QUERY_PARAMS = ['p', 'page_id', 'cat', 'tag', 'author'] as const;
/** "-300x200" before a file's extension: a size WordPress cut from an upload. */
const SIZE_SUFFIX = /-\d{1,5}x\d{1,5}(\.[a-z0-9]{1,5})$/;
const BATCH = 100;

/** A path as links are kept: percent-decoded, ASCII lower case, without trailing slashes ("/" stays). */
export function normalisePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape is compared as written.
  }
  const trimmed = lowerAscii(decoded.normalize('NFC')).replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * The keys an address (path and query, no host) may be recorded under, best first: a WordPress query
 * link (`/?p=12` → "/?p=12"), then the path itself, then an upload's path without its size suffix.
 * With `queryOnly`, a query link is looked up by its query key alone.
 */
export function keysOf(pathAndQuery: string, queryOnly = false): string[] {
  const hash = pathAndQuery.indexOf('#');
  const address = hash < 0 ? pathAndQuery : pathAndQuery.slice(0, hash);
  const q = address.indexOf('?');
  const path = normalisePath(q < 0 ? address : address.slice(0, q));
  const keys: string[] = [];
  if (q >= 0) {
    const params = new URLSearchParams(address.slice(q + 1));
    const name = QUERY_PARAMS.find((n) => params.get(n));
    if (name) keys.push(`${path}?${name}=${lowerAscii(params.get(name)!.trim())}`);
    if (name && queryOnly) return keys;
  }
  keys.push(path);
  const unsized = path.replace(SIZE_SUFFIX, '$1');
  if (unsized !== path) keys.push(unsized);
  return keys;
}

/** True for an address on this site only: one slash, then not another slash or a backslash. */
export function isLocalAddress(address: string): boolean {
  return /^\/(?![/\\])/.test(address) && !/[\r\n]/.test(address);
}

function notFound(error: unknown): null {
  if (error instanceof AppError && error.code === 'not_found') return null;
  throw error;
}

/** Where each link leads now, asked of the owning services and kept for the pass (one query per article batch). */
class Addresses {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly db: Db) {}

  /** Looks up the articles among `links` in one query. */
  async prefetch(links: Iterable<LegacyLinkRow>): Promise<void> {
    const ids = [...links].filter((l) => (l.kind === 'article' || l.kind === 'article-comments') && !this.known.has(`article:${l.targetId}`)).map((l) => l.targetId);
    if (!ids.length) return;
    const paths = await publishedPathsOf(this.db, ids);
    for (const id of ids) this.known.set(`article:${id}`, paths.get(id) ?? null);
  }

  async of(link: LegacyLinkRow): Promise<string | null> {
    const memo = `${link.kind}:${link.targetId}`;
    if (!this.known.has(memo)) this.known.set(memo, await this.look(link.kind as LegacyKind, link.targetId));
    const found = this.known.get(memo) ?? null;
    return found !== null && isLocalAddress(found) ? found : null;
  }

  private async look(kind: LegacyKind, id: number): Promise<string | null> {
    switch (kind) {
      case 'home':
        return '/';
      case 'article':
        return (await publishedPathsOf(this.db, [id])).get(id) ?? null;
      case 'article-comments': {
        const path = this.known.get(`article:${id}`) ?? (await publishedPathsOf(this.db, [id])).get(id);
        return path ? commentFeedPath(path) : null;
      }
      case 'page': {
        const page = await getPage(this.db, id).catch(notFound);
        return page && page.status === 'published' ? page.path : null;
      }
      case 'section':
      case 'section-feed': {
        const section = await getManagedSection(this.db, id).catch(notFound);
        if (!section) return null;
        return kind === 'section' ? section.path : feedPath({ kind: 'section', slug: section.slug }, 'rss');
      }
      case 'tag':
      case 'tag-feed': {
        const tag = await getTagById(this.db, id).catch(notFound);
        if (!tag) return null;
        return kind === 'tag' ? tag.path : feedPath({ kind: 'tag', slug: tag.slug }, 'rss');
      }
      case 'person':
      case 'person-feed': {
        const person = await getPersonById(this.db, id).catch(notFound);
        if (!person) return null;
        return kind === 'person' ? person.path : feedPath({ kind: 'author', slug: person.slug }, 'rss');
      }
      case 'site-rss':
        return feedPath({ kind: 'site' }, 'rss');
      case 'site-atom':
        return feedPath({ kind: 'site' }, 'atom');
      case 'upload':
        return (await imageViews(this.db, [{ id }])).get(id)?.picture.src ?? null;
      default:
        return null;
    }
  }
}

/**
 * Where an old address (a request's path and query) leads now, or null when it is not an old address,
 * or what it became is gone or not public. Always a local address.
 */
export async function legacyTarget(db: Db, pathAndQuery: string): Promise<string | null> {
  const keys = keysOf(pathAndQuery);
  const links = await findLinks(db, keys);
  const addresses = new Addresses(db);
  for (const k of keys) {
    const link = links.get(k);
    const address = link && (await addresses.of(link));
    if (address) return address;
  }
  return null;
}

// --- recording, while an import runs --------------------------------------------------------------------

/** The exporting site's addresses, from the export's channel. */
export interface LegacySite {
  /** <wp:base_site_url>: where WordPress itself (and wp-content) was. */
  siteUrl: string;
  /** <wp:base_blog_url>: where the blog's addresses began. */
  blogUrl: string;
}

/** The path of a URL (or of a path), without its trailing slash; "" for the root. */
function basePath(url: string): string {
  try {
    const path = normalisePath(new URL(url).pathname);
    return path === '/' ? '' : path;
  } catch {
    return '';
  }
}

function hostOf(url: string): string | null {
  try {
    return lowerAscii(new URL(url).hostname).replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** A post or page as the recorder reads it (a WxrItem has these fields). */
export interface LegacyItem {
  postId: string;
  link: string;
  postName: string;
  postDate: string;
}

/**
 * Records the old addresses of one import, in its transaction, and at the end rewrites the links to the
 * old site in the bodies it wrote. Exact addresses (an item's own link, `?p=`, a term's address) replace
 * what an earlier import recorded there; guessed shapes (`/YYYY/MM/slug/` for a site whose links had
 * another structure) never displace a link recorded before.
 */
/** Addresses per statement when noted ones are written: five values each. */
const SAVE_CHUNK = 1000;

export class LegacyLinks {
  private readonly blogBase: string;
  private readonly siteBase: string;
  private readonly hosts: Set<string>;
  private readonly articles = new Set<number>();
  private readonly pages = new Set<number>();
  private readonly categoryParent = new Map<string, string>();
  /** Addresses noted and not yet written (flush). */
  private pending: (LegacyLinkRow & { exact: boolean })[] = [];

  constructor(
    private readonly trx: Db,
    private readonly site: string,
    urls: LegacySite,
    private readonly stamp: string,
  ) {
    this.blogBase = basePath(urls.blogUrl || urls.siteUrl);
    this.siteBase = basePath(urls.siteUrl || urls.blogUrl);
    this.hosts = new Set([hostOf(urls.siteUrl), hostOf(urls.blogUrl)].filter((h): h is string => !!h));
  }

  /**
   * Notes one object's addresses: exact ones replace what is recorded, guessed ones only fill gaps. They
   * are written by flush(), the importer's once per chunk of the file, rather than a statement or two
   * per object.
   */
  private async save(targetId: number, ...groups: { kind: LegacyKind; exact: readonly string[]; guessed?: readonly string[] }[]): Promise<void> {
    for (const g of groups) for (const path of g.exact) this.pending.push({ path, kind: g.kind, targetId, exact: true });
    for (const g of groups) for (const path of g.guessed ?? []) this.pending.push({ path, kind: g.kind, targetId, exact: false });
  }

  /** How many addresses wait to be written; forget(n) drops those noted after this (an item undone). */
  get noted(): number {
    return this.pending.length;
  }

  forget(noted: number): void {
    this.pending.length = noted;
  }

  /**
   * Writes the addresses noted since the last flush, in two statements, with what writing them one object
   * at a time would leave: at a path, the last exact address noted wins; a guessed one is written only
   * where no exact one was noted and nothing is recorded, the first noted winning.
   */
  async flush(): Promise<void> {
    if (!this.pending.length) return;
    const exact = new Map<string, LegacyLinkRow>();
    const guessed = new Map<string, LegacyLinkRow>();
    for (const l of this.pending) if (l.exact) exact.set(l.path, { path: l.path, kind: l.kind, targetId: l.targetId });
    for (const l of this.pending) if (!l.exact && !exact.has(l.path) && !guessed.has(l.path)) guessed.set(l.path, { path: l.path, kind: l.kind, targetId: l.targetId });
    this.pending = [];
    for (const [rows, replace] of [[[...exact.values()], true], [[...guessed.values()], false]] as const) {
      for (let i = 0; i < rows.length; i += SAVE_CHUNK) await saveLinks(this.trx, this.site, this.stamp, rows.slice(i, i + SAVE_CHUNK), replace);
    }
  }

  /** The key of an address the export gave (a URL on the old site, or a path). */
  private keyOfUrl(url: string): string | null {
    const trimmed = url.trim();
    if (!trimmed) return null;
    try {
      const u = new URL(trimmed);
      return keysOf(u.pathname + u.search)[0] ?? null;
    } catch {
      return trimmed.startsWith('/') ? (keysOf(trimmed)[0] ?? null) : null;
    }
  }

  private under(base: string, rest: string): string {
    return normalisePath(`${base}/${rest}`);
  }

  private query(name: (typeof QUERY_PARAMS)[number], value: string): string {
    return `${this.blogBase || '/'}?${name}=${lowerAscii(value)}`;
  }

  /** An author: /author/<nicename>/, its feed, and ?author=ID. */
  async author(author: { id: string; login: string }, personId: number): Promise<void> {
    const nicename = slugify(author.login) || lowerAscii(author.login.trim());
    if (!nicename) return;
    const path = this.under(this.blogBase, `author/${nicename}`);
    await this.save(personId, { kind: 'person', exact: [path, ...(author.id ? [this.query('author', author.id)] : [])] }, { kind: 'person-feed', exact: [`${path}/feed`] });
  }

  /** A category: /category/<parents…>/<slug>/ (and the slug alone), its feed, and ?cat=ID. */
  async category(term: { id: string; slug: string; parent: string }, sectionId: number): Promise<void> {
    if (!term.slug) return;
    if (term.parent) this.categoryParent.set(term.slug, term.parent);
    const chain = [term.slug];
    for (let p = this.categoryParent.get(term.slug); p && chain.length < 20 && !chain.includes(p); p = this.categoryParent.get(p)) chain.unshift(p);
    const full = this.under(this.blogBase, `category/${chain.join('/')}`);
    const leaf = this.under(this.blogBase, `category/${term.slug}`);
    await this.save(
      sectionId,
      { kind: 'section', exact: [full, ...(term.id ? [this.query('cat', term.id)] : [])], guessed: [leaf] },
      { kind: 'section-feed', exact: [`${full}/feed`], guessed: [`${leaf}/feed`] },
    );
  }

  /** A tag: /tag/<slug>/, its feed, and ?tag=<slug>. */
  async tag(term: { slug: string }, tagId: number): Promise<void> {
    if (!term.slug) return;
    const path = this.under(this.blogBase, `tag/${term.slug}`);
    await this.save(tagId, { kind: 'tag', exact: [path, this.query('tag', normalisePath(term.slug).slice(1))] }, { kind: 'tag-feed', exact: [`${path}/feed`] });
  }

  /** A post: its own link and ?p=ID; /YYYY/MM/DD/slug/, /YYYY/MM/slug/, /slug/, /archives/ID; its comments feed. */
  async post(item: LegacyItem, articleId: number): Promise<void> {
    this.articles.add(articleId);
    const own = this.keyOfUrl(item.link);
    // Not the guid: WordPress copies it when a post is duplicated, so two posts may share one.
    const exact = [this.query('p', item.postId), ...(own ? [own] : [])];
    const guessed: string[] = [this.under(this.blogBase, `archives/${item.postId}`)];
    const slug = item.postName.trim();
    const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(item.postDate);
    if (slug) {
      guessed.push(this.under(this.blogBase, slug));
      if (date) guessed.push(this.under(this.blogBase, `${date[1]}/${date[2]}/${date[3]}/${slug}`), this.under(this.blogBase, `${date[1]}/${date[2]}/${slug}`));
    }
    const feeds = [own, ...guessed].filter((p): p is string => !!p && !p.includes('?')).map((p) => `${p}/feed`);
    await this.save(articleId, { kind: 'article', exact, guessed }, { kind: 'article-comments', exact: own && !own.includes('?') ? [`${own}/feed`] : [], guessed: feeds });
  }

  /** A static page: its own link (parents included), ?page_id=ID and /slug/. */
  async page(item: LegacyItem, pageId: number): Promise<void> {
    this.pages.add(pageId);
    const own = this.keyOfUrl(item.link);
    const slug = item.postName.trim();
    await this.save(pageId, { kind: 'page', exact: [this.query('page_id', item.postId), ...(own ? [own] : [])], guessed: slug ? [this.under(this.blogBase, slug)] : [] });
  }

  /**
   * The end of an import: the site's feeds and the blog's old root, the uploads the import mapped
   * (import_map rows of kind 'upload'), then the links to the old site in the bodies written.
   */
  async finish(search: SearchIndex, now: Date): Promise<{ rewritten: number }> {
    await this.save(
      0,
      { kind: 'site-rss', exact: ['feed', 'feed/rss2', 'feed/rss', 'feed/rdf', 'comments/feed'].map((f) => this.under(this.blogBase, f)) },
      { kind: 'site-atom', exact: [this.under(this.blogBase, 'feed/atom')] },
      { kind: 'home', exact: this.blogBase ? [this.blogBase] : [] },
    );
    await this.flush();
    await this.recordUploads();
    return { rewritten: (await this.rewriteArticles(search, now)) + (await this.rewritePages()) };
  }

  private async recordUploads(): Promise<void> {
    const bases = [...new Set([this.siteBase, this.blogBase])];
    for (let after = '', batch = await uploadMappingsAfter(this.trx, this.site, after, 500); batch.length; batch = await uploadMappingsAfter(this.trx, this.site, after, 500)) {
      for (const base of bases) {
        const rows = batch.map((u) => ({ path: this.under(base, `wp-content/uploads/${u.wpId}`), kind: 'upload', targetId: u.imageId }));
        await saveLinks(this.trx, this.site, this.stamp, rows, true);
      }
      after = batch[batch.length - 1]!.wpId;
    }
  }

  // --- rewriting links in what was imported --------------------------------------------------------

  /** The path and query of a link to the old site (absolute on its host, or root-relative), else null. */
  private oldAddress(url: string): string | null {
    if (url.startsWith('/') && !url.startsWith('//')) return url;
    try {
      const u = new URL(url.startsWith('//') ? `http:${url}` : url);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !this.hosts.has(lowerAscii(u.hostname).replace(/^www\./, ''))) return null;
      return u.pathname + u.search;
    } catch {
      return null;
    }
  }

  /** New addresses for the old links among `urls`, by URL as written (fragment kept). */
  private async newAddresses(urls: Iterable<string>, addresses: Addresses): Promise<Map<string, string>> {
    const wanted = new Map<string, { keys: string[]; fragment: string }>();
    for (const url of urls) {
      const hash = url.indexOf('#');
      const address = this.oldAddress(hash < 0 ? url : url.slice(0, hash));
      // A link to an unknown or unpublished post stays as written (not sent to the old front page).
      if (address !== null) wanted.set(url, { keys: keysOf(address, true), fragment: hash < 0 ? '' : url.slice(hash) });
    }
    const links = await findLinks(this.trx, [...wanted.values()].flatMap((w) => w.keys));
    await addresses.prefetch(links.values());
    const out = new Map<string, string>();
    for (const [url, w] of wanted) {
      for (const k of w.keys) {
        const link = links.get(k);
        const to = link && (await addresses.of(link));
        if (to) {
          out.set(url, to + w.fragment);
          break;
        }
      }
    }
    return out;
  }

  private async rewriteArticles(search: SearchIndex, now: Date): Promise<number> {
    const ids = [...this.articles];
    const addresses = new Addresses(this.trx);
    let changed = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const bodies = await articleBodies(this.trx, ids.slice(i, i + BATCH));
      const urls = new Set<string>();
      for (const { body, bodyFormat } of bodies.values()) for (const u of urlsIn(body, bodyFormat)) urls.add(u);
      const to = await this.newAddresses(urls, addresses);
      if (!to.size) continue;
      for (const [id, { body, bodyFormat }] of bodies) {
        const rewritten = replaceUrls(body, bodyFormat, to);
        if (rewritten === body) continue;
        await replaceBodyIn(this.trx, search, id, rewritten, now);
        changed += 1;
      }
    }
    return changed;
  }

  private async rewritePages(): Promise<number> {
    const addresses = new Addresses(this.trx);
    let changed = 0;
    for (const id of this.pages) {
      const page = await getPage(this.trx, id).catch(notFound);
      if (!page) continue;
      const to = await this.newAddresses(urlsIn(page.body, 'markdown'), addresses);
      const body = replaceUrls(page.body, 'markdown', to);
      if (body === page.body) continue;
      await definePageIn(this.trx, { slug: page.slug, title: page.title, body, language: page.language, status: page.status });
      changed += 1;
    }
    return changed;
  }
}

// Links as the stored bodies write them: cleaned HTML puts every attribute in double quotes with & as
// &amp;; the importer's Markdown writes [text](url) and ![alt](url) with no space in the URL.
const HTML_LINK = /(\s(?:href|src)=")([^"]*)(")/g;
const MARKDOWN_LINK = /(\]\()([^)\s]+)(\))/g;

const htmlUrl = (value: string) => value.replace(/&amp;/g, '&');

function urlsIn(body: string, format: 'html' | 'markdown'): string[] {
  const pattern = format === 'html' ? HTML_LINK : MARKDOWN_LINK;
  return [...body.matchAll(pattern)].map((m) => (format === 'html' ? htmlUrl(m[2]!) : m[2]!));
}

function replaceUrls(body: string, format: 'html' | 'markdown', to: ReadonlyMap<string, string>): string {
  if (!to.size) return body;
  const pattern = format === 'html' ? HTML_LINK : MARKDOWN_LINK;
  return body.replace(pattern, (all, open: string, value: string, close: string) => {
    const next = to.get(format === 'html' ? htmlUrl(value) : value);
    return next === undefined ? all : `${open}${format === 'html' ? next.replace(/&/g, '&amp;') : next}${close}`;
  });
}
