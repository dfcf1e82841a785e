// Reader-facing pages built from articles: the article page, the home page, and the section, tag and
// author listings. Routes only translate HTTP to service calls and views.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import { badRequest } from '../errors.ts';
import { html } from '../lib/html.ts';
import { getPerson } from '../people/person.service.ts';
import { getSection } from '../sections/section.service.ts';
import { getTag } from '../tags/tag.service.ts';
import type { Site } from '../web/site.ts';
import { articlePage, homePage, listingPage, pageLinks } from '../web/theme/pages.ts';
import { newsArticleJsonLd } from '../web/theme/structured-data.ts';
import { stringsFor } from '../web/theme/i18n.ts';
import { getArticle, listArticles, type ArticleCard, type Page } from './article.service.ts';
import type { ListFilter } from './article.repository.ts';

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

const pageSuffix = (page: Page<unknown>, language: string) => (page.page > 1 ? ` – ${stringsFor(language).pageOf(page.page, page.pageCount)}` : '');

export interface ArticleRoutesOptions {
  store: Store;
  site: Site;
}

export async function articleRoutes(app: FastifyInstance, { store, site }: ArticleRoutesOptions): Promise<void> {
  const { db } = store;
  const cached = { config: { pageCache: true } };

  async function listing(request: FastifyRequest, filter: ListFilter, basePath: string, language: string, title: string, description: string) {
    const page = await listArticles(db, filter, pageNumber(request), PER_PAGE);
    const links = pageLinks(page, basePath);
    return site.render(
      { language, title: title + pageSuffix(page, language), description: description || title, path: page.page > 1 ? `${basePath}?page=${page.page}` : basePath, ...links },
      listingPage({ language, title, description, basePath, page }),
    );
  }

  app.get('/', cached, async (request, reply) => {
    const latest = await listArticles(db, {}, pageNumber(request), PER_PAGE);
    const sections: { name: string; path: string; language: string; items: ArticleCard[] }[] = [];
    if (latest.page === 1) {
      for (const s of await site.sections()) {
        const items = (await listArticles(db, { sectionId: s.id }, 1, HOME_SECTION_ITEMS)).items;
        sections.push({ name: s.name, path: s.path, language: s.language, items });
      }
    }
    const language = site.language;
    const description = latest.items[0] ? `${site.name}: ${latest.items.slice(0, 3).map((a) => a.headline).join(' · ')}` : site.name;
    const body = await site.render(
      { language, title: site.name + pageSuffix(latest, language), description, path: latest.page > 1 ? `/?page=${latest.page}` : '/', ...pageLinks(latest, '/') },
      homePage({ language, siteName: site.name, latest, sections }),
    );
    return reply.page(body);
  });

  app.get<{ Params: { section: string } }>('/:section/', cached, async (request, reply) => {
    const section = await getSection(db, request.params.section);
    return reply.page(await listing(request, { sectionId: section.id }, section.path, section.language, section.name, section.description));
  });

  // "/news" -> "/news/": one canonical address per section.
  app.get<{ Params: { section: string } }>('/:section', async (request, reply) => {
    const section = await getSection(db, request.params.section);
    return reply.redirect(section.path, 301);
  });

  app.get<{ Params: { slug: string } }>('/tag/:slug/', cached, async (request, reply) => {
    const tag = await getTag(db, request.params.slug);
    const t = stringsFor(site.language);
    return reply.page(await listing(request, { tagId: tag.id }, tag.path, site.language, t.taggedWith(tag.name), ''));
  });

  app.get<{ Params: { slug: string } }>('/author/:slug/', cached, async (request, reply) => {
    const person = await getPerson(db, request.params.slug);
    const t = stringsFor(site.language);
    return reply.page(await listing(request, { personId: person.id }, person.path, site.language, t.articlesBy(person.name), person.bio));
  });

  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => reply.redirect((await getTag(db, request.params.slug)).path, 301));
  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => reply.redirect((await getPerson(db, request.params.slug)).path, 301));

  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', cached, async (request, reply) => {
    const article = await getArticle(db, request.params.section, request.params.slug);
    const body = await site.render(
      {
        language: article.language,
        title: article.headline,
        description: article.subtitle || article.excerpt,
        path: article.path,
        ogType: 'article',
        image: article.imageUrl,
        jsonLd: newsArticleJsonLd(article, site),
        article: { publishedAt: article.publishedAt, updatedAt: article.updatedAt, section: article.section.name, tags: article.tags.map((t) => t.name) },
      },
      articlePage(article),
    );
    return reply.page(body);
  });

  // The comment pipeline is its own piece of work; until it lands the form gets a clear answer.
  app.post('/comments', async (_request, reply) => {
    const t = stringsFor(site.language);
    const body = await site.render(
      { language: site.language, title: 'Comments are not accepted yet', description: 'Comments are not accepted yet.', path: '/comments', noindex: true },
      html`<div class="error-page"><h1>Comments are not accepted yet</h1><p>This site does not take comments yet. Nothing you typed was stored.</p><p><a href="/">${t.goHome}</a></p></div>`,
    );
    return reply.code(503).header('retry-after', '86400').type('text/html; charset=utf-8').send(body);
  });
}
