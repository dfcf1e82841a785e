// Reader-facing pages built from articles: the article page, the home page, and the section, tag and
// author listings. Routes only translate HTTP to service calls and the theme's pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import { AppError, badRequest } from '../errors.ts';
import { lowerAscii } from '../lib/slug.ts';
import { listingPagePath } from '../lib/paths.ts';
import { key } from '../db/change-keys.ts';
import type { PageCacheRoute, QueryParam } from '../web/plugins/pages.ts';
import { getPerson, type Person } from '../people/person.service.ts';
import { findMovedSection, getSection } from '../sections/section.service.ts';
import { getTag } from '../tags/tag.service.ts';
import type { Site } from '../web/site.ts';
import type { CommentsSectionView } from '../web/theme.ts';
import { stringsFor } from '../web/i18n/site.ts';
import { newsArticleJsonLd } from './article.jsonld.ts';
import { headTexts } from './article.seo.ts';
import { articleOf, cardKeys, findArticle, listArticles, type FoundArticle, publishedArticlePath, type ArticleCard, type Page } from './article.service.ts';
import { movedArticlePath } from './article.workflow.ts';
import type { ListFilter } from './article.repository.ts';
import { feedAlternates, type FeedScope } from '../feeds/feed-paths.ts';
import type { MediaStorage } from '../media/media.storage.ts';
import { pageSocialImage } from '../media/social-card.ts';

const PER_PAGE = 12;
const HOME_SECTION_ITEMS = 3;
const MAX_PAGE = 100_000;

/** Reads ?page=N: absent means 1; anything but one whole number from 1 is a 400. */
function pageNumber(request: FastifyRequest): number {
  const value = (request.query as Record<string, unknown>).page;
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value) || Number(value) > MAX_PAGE)
    throw badRequest(`The page number must be a whole number from 1 to ${MAX_PAGE}.`);
  return Number(value);
}

/** Paths of the previous and next pages of a listing, for <link rel=prev/next>. */
function pageLinks(p: Page<unknown>, basePath: string): { prev: string | null; next: string | null } {
  return { prev: p.page > 1 ? listingPagePath(basePath, p.page - 1) : null, next: p.page < p.pageCount ? listingPagePath(basePath, p.page + 1) : null };
}

const pageSuffix = (page: Page<unknown>, language: string) => (page.page > 1 ? ` – ${stringsFor(language).pageOf(page.page, page.pageCount)}` : '');

/** What the article page needs from the comment pipeline. */
export interface ArticleComments {
  /** The query parameters sectionFor() reads (the notice after posting, the comment replied to). */
  readonly query: readonly QueryParam[];
  /** From the article's own row (found, not yet read whole): the section is read beside the rest of it. */
  sectionFor(article: Pick<FoundArticle, 'id' | 'path' | 'language' | 'commentsOpen' | 'publishedAt'> & Partial<Pick<FoundArticle, 'commentTotals'>>, query: unknown): Promise<CommentsSectionView>;
}

export interface ArticleRoutesOptions {
  store: Store;
  site: Site;
  comments: ArticleComments;
  /** Where the articles' social pictures are (lead pictures' renditions, generated cards). */
  storage: MediaStorage;
}

export async function articleRoutes(app: FastifyInstance, { store, site, comments, storage }: ArticleRoutesOptions): Promise<void> {
  const { db } = store;
  // site.theme is read per page: it writes dates in the site's time zone, a setting that may change.
  // Listings read ?page= only. A page past the last one is a 404 that a new article may fill; the
  // handler records its listing's key before it looks.
  const listingCache: PageCacheRoute = { query: ['page'], missing: [] };
  const listed = { config: { pageCache: listingCache } };

  /** Records what a page of cards shows; the listing itself was recorded before it was read. */
  const dependsOnCards = (reply: FastifyReply, cards: readonly ArticleCard[]) => {
    for (const card of cards) reply.dependsOn(...cardKeys(card));
  };

  async function listing(request: FastifyRequest, reply: FastifyReply, filter: ListFilter, basePath: string, language: string, title: string, description: string, feeds: FeedScope, profile?: Person) {
    const page = await listArticles(db, filter, pageNumber(request), PER_PAGE);
    dependsOnCards(reply, page.items);
    const links = pageLinks(page, basePath);
    return site.render(
      { language, title: title + pageSuffix(page, language), description: description || title, path: listingPagePath(basePath, page.page), ...links, alternates: feedAlternates(feeds, title) },
      site.theme.listingPage({ language, title, description, basePath, page, ...(profile ? { profile } : {}) }),
    );
  }

  // Addresses are lower case, sections' end in a slash and articles' do not. An address typed with ASCII
  // capitals or the wrong trailing slash is sent to the page it names (301, query string kept) when that
  // page exists; otherwise it stays a 404. Other scripts are compared as written.

  /** Answers 301 to `path`, keeping the query string of the request. */
  function moved(request: FastifyRequest, reply: FastifyReply, path: string) {
    const query = request.url.indexOf('?');
    return reply.redirect(query === -1 ? path : path + request.url.slice(query), 301);
  }

  /** Runs `load`; when it finds nothing and `movedTo` names an existing page, answers 301 there and returns undefined. */
  async function orMoved<T>(request: FastifyRequest, reply: FastifyReply, load: () => Promise<T>, movedTo: () => Promise<string | null>): Promise<T | undefined> {
    try {
      return await load();
    } catch (error) {
      const to = error instanceof AppError && error.code === 'not_found' ? await movedTo() : null;
      if (to === null) throw error;
      await moved(request, reply, to);
      return undefined;
    }
  }

  // A section's address in capitals or under an old slug of the section (renamed): the sections service knows.
  async function sectionMovedTo(slug: string): Promise<string | null> {
    return (await findMovedSection(db, slug))?.path ?? null;
  }

  /** Where a published article now lives: the address typed in lower case, or where its old address (slug or section changed) points. */
  async function articleMovedTo(sectionSlug: string, slug: string): Promise<string | null> {
    const typed = lowerAscii(sectionSlug);
    const section = (await findMovedSection(db, sectionSlug))?.slug ?? typed;
    const article = lowerAscii(slug);
    const here = section === sectionSlug && article === slug ? null : await publishedArticlePath(db, section, article);
    // An article's own old address (its slug or section changed) is kept as it was typed then.
    return here ?? (await movedArticlePath(db, typed, article)) ?? (section === typed ? null : movedArticlePath(db, section, article));
  }

  // WordPress's query links on the root ("/?p=12", "/?page_id=3"…) are answered by the import's old
  // links (src/import/legacy-links.routes.ts) before this handler: they are part of the cache key so
  // that a cached home page never answers them.
  const wordpressQuery = ['p', 'page_id', 'cat', 'tag', 'author'].map((name) => ({ name, accept: /^[^&]{1,200}$/ }));
  const home = { config: { pageCache: { ...listingCache, query: [...listingCache.query, ...wordpressQuery] } } };

  app.get('/', home, async (request, reply) => {
    reply.dependsOn(key.home, ...site.keys);
    // Articles an editor pinned lead, newest first among them; then the latest (decision 0033).
    const latest = await listArticles(db, { pinnedFirst: true }, pageNumber(request), PER_PAGE);
    dependsOnCards(reply, latest.items);
    const sections: { name: string; path: string; language: string; items: ArticleCard[] }[] = [];
    if (latest.page === 1) {
      // Every section's latest at once: on PostgreSQL, the same rounds for twenty sections as for one.
      const all = await site.sections();
      const listed = await Promise.all(all.map((s) => listArticles(db, { sectionId: s.id }, 1, HOME_SECTION_ITEMS)));
      for (const [i, s] of all.entries()) {
        const items = listed[i]!.items;
        dependsOnCards(reply, items);
        sections.push({ name: s.name, path: s.path, language: s.language, items });
      }
    }
    const language = site.language;
    const description = latest.items[0] ? `${site.name}: ${latest.items.slice(0, 3).map((a) => a.headline).join(' · ')}` : site.name;
    const body = await site.render(
      { language, title: site.name + pageSuffix(latest, language), description, path: listingPagePath('/', latest.page), ...pageLinks(latest, '/') },
      site.theme.homePage({ language, siteName: site.name, latest, sections }),
    );
    return reply.page(body);
  });

  // An unknown section's page appears when the section is defined.
  app.get<{ Params: { section: string } }>('/:section/', { config: { pageCache: { ...listingCache, missing: [key.sections] } } }, async (request, reply) => {
    reply.dependsOn(...site.keys);
    const slug = request.params.section;
    const section = await orMoved(request, reply, () => getSection(db, slug), () => sectionMovedTo(slug));
    if (!section) return reply;
    reply.dependsOn(key.section(section.id));
    return reply.page(await listing(request, reply, { sectionId: section.id }, section.path, section.language, section.name, section.description, { kind: 'section', slug: section.slug }));
  });

  // "/news" (or "/News") -> "/news/" is answered by the static pages' route (src/pages/page.routes.ts),
  // which owns every one-segment address.

  // Tags are made by article writes, which announce `articles`.
  app.get<{ Params: { slug: string } }>('/tag/:slug/', { config: { pageCache: { ...listingCache, missing: [key.articles] } } }, async (request, reply) => {
    reply.dependsOn(...site.keys);
    const tag = await getTag(db, request.params.slug);
    reply.dependsOn(key.tag(tag.id));
    const t = stringsFor(site.language);
    return reply.page(await listing(request, reply, { tagId: tag.id }, tag.path, site.language, t.taggedWith(tag.name), '', { kind: 'tag', slug: tag.slug }));
  });

  app.get<{ Params: { slug: string } }>('/author/:slug/', { config: { pageCache: { ...listingCache, missing: [key.people] } } }, async (request, reply) => {
    reply.dependsOn(...site.keys);
    const person = await getPerson(db, request.params.slug);
    reply.dependsOn(key.author(person.id));
    const t = stringsFor(site.language);
    return reply.page(await listing(request, reply, { personId: person.id }, person.path, site.language, t.articlesBy(person.name), person.bio, { kind: 'author', slug: person.slug }, person));
  });

  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => reply.redirect((await getTag(db, request.params.slug)).path, 301));
  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => reply.redirect((await getPerson(db, request.params.slug)).path, 301));

  // The comment section reads the notice and reply parameters; a missing article appears with any article write.
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', { config: { pageCache: { query: comments.query, missing: [key.articles] } } }, async (request, reply) => {
    reply.dependsOn(...site.keys);
    const { section, slug } = request.params;
    const found = await orMoved(request, reply, () => findArticle(store, section, slug), () => articleMovedTo(section, slug));
    if (!found) return reply;
    // The comment section needs only the article's own row: its reads go beside the rest of the
    // article's, one round trip fewer for a page not in the cache on PostgreSQL (decision 0061).
    const commentRead = comments.sectionFor(found, request.query);
    commentRead.catch(() => {}); // answered below, once the article's own failure (if any) has gone first
    const article = await articleOf(store, found);
    // Before the comment section's answer: a comment page that does not exist is a cached 404 that
    // must go when the article's comments change.
    reply.dependsOn(...article.keys);
    const translations = article.translations;
    const [commentSection, social] = await Promise.all([commentRead, pageSocialImage(storage, article, { name: site.name, colours: site.theme.colours })]);
    const image = { url: site.publicUrl + social.path, width: social.width, height: social.height, type: social.type, alt: social.alt };
    const body = await site.render(
      {
        language: article.language,
        title: article.headline,
        // The SEO title and description when an editor set them (decision 0033).
        ...headTexts(article),
        // The comment page shown: its address, and whether search engines should index it.
        ...commentSection.head,
        ogType: 'article',
        image,
        jsonLd: newsArticleJsonLd(article, site, social),
        article: { publishedAt: article.publishedAt, updatedAt: article.updatedAt, section: article.section.name, tags: article.tags.map((t) => t.name) },
        alternates: [
          ...translations.map((tr) => ({ href: tr.path, hreflang: tr.language })),
          ...feedAlternates({ kind: 'section', slug: article.section.slug }, article.section.name),
        ],
      },
      site.theme.articlePage(article, commentSection),
    );
    return reply.page(body);
  });

  // "/news/some-article/" (or with capitals) -> "/news/some-article".
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug/', async (request, reply) => {
    const { section, slug } = request.params;
    const to = (await publishedArticlePath(db, section, slug)) ?? (await articleMovedTo(section, slug));
    if (to === null) return reply.callNotFound();
    return moved(request, reply, to);
  });
}
