// The Content API's endpoints: published content only. Each asks the owning capability's service
// (articles, sections, tags, people, pages, search) and answers with reply.sendContent(body, keys): the
// keys are what the answer shows, so the response cache drops it when one of them changes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../db/store.ts';
import { key } from '../../db/change-keys.ts';
import { AppError } from '../../errors.ts';
import { getPublishedArticleById, walkArticles, type Article, type ArticleListing } from '../../articles/article.service.ts';
import { listPublishedPages } from '../../pages/page.service.ts';
import { findPerson, listPeople } from '../../people/person.service.ts';
import { allSections, findSection } from '../../sections/section.service.ts';
import { getTag, listTags } from '../../tags/tag.service.ts';
import type { SearchRunner } from '../../search/search.pool.ts';
import type { ApiSettings } from '../api-deps.ts';
import { errorResponses } from '../api-schemas.ts';
import { ARTICLE_FIELDS, ArticleSchema, AuthorSchema, CARD_FIELDS, LISTING_FIELDS, PageSchema, SearchResultSchema, SectionSchema, TagSchema, type ArticleField } from './content.schemas.ts';
import { ImageSchema } from './content.schemas.ts';
import { decodeCursor, encodeCursor, SORTS, sortOrder, type Sort } from './cursor.ts';

export interface ContentRoutesOptions {
  store: Store;
  /** The site's address (PUBLIC_URL), before the paths of pictures. */
  origin: string;
  settings: ApiSettings;
  runSearch: SearchRunner;
}

const keyParam = z.string().optional().meta({ description: 'A content key, instead of the Authorization header.' });
const slugParam = (what: string) => z.string().min(1).max(200).optional().meta({ description: `Only articles ${what} (its slug).` });
/** An ISO date-time with any offset, compared as the UTC text the store keeps (decision 0003). */
const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, error: 'Expected an ISO 8601 date-time such as 2024-05-01T00:00:00Z.' })
    .transform((value) => new Date(value).toISOString())
    .optional()
    .meta({ description });

const fieldsParam = z
  .string()
  .max(1000)
  .transform((value, ctx) => {
    const names = value.split(',').map((n) => n.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(ARTICLE_FIELDS as readonly string[]).includes(n));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Choose from ${ARTICLE_FIELDS.join(', ')}.` });
      return z.NEVER;
    }
    return names as ArticleField[];
  })
  .optional()
  .meta({ description: `Comma-separated fields to return (\`id\` is always there). Default: ${CARD_FIELDS.join(', ')}. Also: ${ARTICLE_FIELDS.filter((f) => !(CARD_FIELDS as readonly string[]).includes(f)).join(', ')}.` });

const List = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** The lead picture with absolute addresses (srcset lists too), or the imported article's image address. */
export function imageOf(article: Pick<ArticleListing, 'leadImage' | 'imageUrl' | 'imageAlt'>, origin: string): z.infer<typeof ImageSchema> {
  const view = article.leadImage;
  if (!view) return { url: article.imageUrl, alt: article.imageAlt, decorative: false, width: null, height: null, caption: '', credit: '', srcset: null, sources: [], card: null, social: null };
  const absolute = (srcset: string) => srcset.split(', ').map((candidate) => origin + candidate).join(', ');
  const p = view.picture;
  return {
    url: origin + p.src,
    alt: view.decorative ? '' : view.alt,
    decorative: view.decorative,
    width: p.width,
    height: p.height,
    caption: view.caption,
    credit: view.credit,
    srcset: absolute(p.srcset),
    sources: p.sources.map((s) => ({ type: s.type, srcset: absolute(s.srcset) })),
    card: { url: origin + view.card.src, srcset: absolute(view.card.srcset), width: view.card.width, height: view.card.height },
    social: { url: origin + view.social.src, width: view.social.width, height: view.social.height },
  };
}

/** Only the chosen fields of an article (id always). */
function pick(article: ArticleListing | Article, fields: readonly ArticleField[], origin: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: article.id };
  const source = article as unknown as Record<string, unknown>;
  for (const f of fields) out[f] = f === 'image' ? imageOf(article, origin) : f === 'related' ? relatedCard((article as Article).related, origin) : source[f];
  return out;
}

/** The "Check Also" card as the API shows cards: its picture like an article's, nothing else of the page's. */
function relatedCard(card: Article['related'], origin: string) {
  if (!card) return null;
  // A card of another article: its head's SEO texts belong to its own page.
  const { leadImage: _lead, imageUrl: _url, imageAlt: _alt, seoTitle: _title, seoDescription: _description, ...rest } = card;
  return { ...rest, image: imageOf(card, origin) };
}

const needsFullArticle = (fields: readonly ArticleField[]) => fields.some((f) => !(LISTING_FIELDS as readonly string[]).includes(f));

export async function contentRoutes(app: FastifyInstance, { store, origin, settings, runSearch }: ContentRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = store;

  const ArticlesQuery = z.strictObject({
    limit: z.coerce.number().int().min(1).max(settings.maxPageSize).default(20).meta({ description: `Articles per page, 1 to ${settings.maxPageSize}.` }),
    cursor: z.string().max(400).optional().meta({ description: 'Where the previous page ended (its `nextCursor`). Walk on until `nextCursor` is null; there is no cap on how far.' }),
    sort: z.enum(SORTS).default('-publishedAt').meta({ description: 'Order: newest first by default; `-` is descending.' }),
    section: slugParam('of this section'),
    tag: slugParam('with this tag'),
    author: slugParam('bylined to this author'),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Expected a language tag such as en, ar or fa.').optional().meta({ description: 'Only articles in this language.' }),
    publishedFrom: instant('Only articles published at or after this time.'),
    publishedBefore: instant('Only articles published before this time.'),
    updatedSince: instant('Only articles changed at or after this time (to keep a copy in step).'),
    pinned: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'Only the articles pinned to the home page (`true`), or only the others (`false`).' }),
    fields: fieldsParam,
    key: keyParam,
  });

  api.get(
    '/articles',
    {
      schema: {
        tags: ['content'],
        summary: 'Published articles, a page at a time, with a cursor to the next page',
        security: [{}, { contentKey: [] }],
        querystring: ArticlesQuery,
        response: {
          200: z.object({
            data: z.array(ArticleSchema),
            nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
          }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const sort: Sort = q.sort;
      const after = q.cursor === undefined ? null : decodeCursor(q.cursor, sort);
      const filter = {
        ...(await slugFilters(q.section, q.tag, q.author)),
        ...(q.language !== undefined ? { language: q.language } : {}),
        ...(q.publishedFrom !== undefined ? { publishedFrom: q.publishedFrom } : {}),
        ...(q.publishedBefore !== undefined ? { publishedBefore: q.publishedBefore } : {}),
        ...(q.updatedSince !== undefined ? { updatedSince: q.updatedSince } : {}),
        ...(q.pinned !== undefined ? { pinned: q.pinned } : {}),
      };
      const walk = await walkArticles(db, filter, sortOrder(sort), after, q.limit);
      const fields = q.fields ?? CARD_FIELDS;
      const keys = [...walk.keys];
      let items: (ArticleListing | Article)[] = walk.items;
      if (needsFullArticle(fields)) {
        items = await Promise.all(walk.items.map((item) => getPublishedArticleById(store, item.id)));
        for (const article of items as Article[]) keys.push(...article.keys);
      }
      return reply.sendContent({ data: items.map((a) => pick(a, fields, origin)), nextCursor: walk.next ? encodeCursor(sort, walk.next) : null }, keys);
    },
  );

  async function slugFilters(section?: string, tag?: string, author?: string) {
    const out: { sectionId?: number; tagId?: number; personId?: number } = {};
    if (section !== undefined) {
      const found = await findSection(db, section);
      if (!found) throw new AppError('bad_request', 'Some query parameters are not accepted.', { section: `No section has the slug "${section}".` });
      out.sectionId = found.id;
    }
    if (tag !== undefined) {
      const found = await getTag(db, tag).catch(() => null);
      if (!found) throw new AppError('bad_request', 'Some query parameters are not accepted.', { tag: `No tag has the slug "${tag}".` });
      out.tagId = found.id;
    }
    if (author !== undefined) {
      const found = await findPerson(db, author);
      if (!found) throw new AppError('bad_request', 'Some query parameters are not accepted.', { author: `No author has the slug "${author}".` });
      out.personId = found.id;
    }
    return out;
  }

  api.get(
    '/articles/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'One published article with everything it holds (body, sources and their documents, tags, translations)',
        security: [{}, { contentKey: [] }],
        params: z.strictObject({ id: z.coerce.number().int().min(1).meta({ description: 'The article\'s id.' }) }),
        querystring: z.strictObject({ fields: fieldsParam, key: keyParam }),
        response: { 200: z.object({ data: ArticleSchema }), ...errorResponses(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const article = await getPublishedArticleById(store, request.params.id);
      return reply.sendContent({ data: pick(article, request.query.fields ?? ARTICLE_FIELDS, origin) }, [...article.keys, key.article(article.id)]);
    },
  );

  const NoQuery = z.strictObject({ key: keyParam });

  api.get(
    '/sections',
    {
      schema: { tags: ['content'], summary: 'Every section, in navigation order', security: [{}, { contentKey: [] }], querystring: NoQuery, response: { 200: List(SectionSchema), ...errorResponses(400, 401, 429) } },
    },
    async (_request, reply) => reply.sendContent({ data: await allSections(db) }, [key.sections]),
  );

  api.get(
    '/tags',
    {
      schema: { tags: ['content'], summary: 'Every tag, by name', security: [{}, { contentKey: [] }], querystring: NoQuery, response: { 200: List(TagSchema), ...errorResponses(400, 401, 429) } },
    },
    // Article writes make tags (and announce `articles`); renames announce `tags`.
    async (_request, reply) => reply.sendContent({ data: await listTags(db) }, [key.tags, key.articles]),
  );

  api.get(
    '/authors',
    {
      schema: { tags: ['content'], summary: 'Every author, by name', security: [{}, { contentKey: [] }], querystring: NoQuery, response: { 200: List(AuthorSchema), ...errorResponses(400, 401, 429) } },
    },
    async (_request, reply) => {
      const people = await listPeople(db);
      return reply.sendContent({ data: people }, [key.people, ...people.map((p) => key.author(p.id))]);
    },
  );

  api.get(
    '/pages',
    {
      schema: { tags: ['content'], summary: 'Every published static page (About, Contact…)', security: [{}, { contentKey: [] }], querystring: NoQuery, response: { 200: List(PageSchema), ...errorResponses(400, 401, 429) } },
    },
    async (_request, reply) => {
      const pages = await listPublishedPages(db);
      const data = pages.map(({ keys: _keys, body: _body, status: _status, ...page }) => page);
      return reply.sendContent({ data }, [key.pages, ...pages.flatMap((p) => p.keys)]);
    },
  );

  api.get(
    '/search',
    {
      schema: {
        tags: ['content'],
        summary: 'Search published articles, as the site\'s search page does',
        security: [{}, { contentKey: [] }],
        querystring: z.strictObject({
          q: z.string().max(500).meta({ description: 'Words, "phrases", prefix* and -excluded words.' }),
          section: z.string().max(200).optional().meta({ description: 'Only this section (its slug).' }),
          language: z.string().max(35).optional(),
          from: z.string().max(10).optional().meta({ description: 'First day, YYYY-MM-DD.' }),
          to: z.string().max(10).optional().meta({ description: 'Last day, YYYY-MM-DD.' }),
          page: z.coerce.number().int().min(1).max(100).default(1),
          key: keyParam,
        }),
        response: {
          200: z.object({
            query: z.string(),
            total: z.number().int(),
            totalCapped: z.boolean().meta({ description: 'More matched than were counted.' }),
            page: z.number().int(),
            pageCount: z.number().int(),
            data: z.array(SearchResultSchema),
          }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const { key: _key, page, ...rest } = request.query;
      const outcome = await runSearch({ ...rest, page: String(page) });
      const text = (segments: readonly { text: string }[]) => segments.map((s) => s.text).join('');
      const cardFields = CARD_FIELDS.filter((f) => f !== 'tags');
      const data = outcome.results.map((r) => ({ ...pick({ ...r.card, tags: [] }, cardFields, origin), snippet: text(r.snippet) }));
      return reply.sendContent(
        { query: outcome.query, total: outcome.total, totalCapped: outcome.totalCapped, page: outcome.page, pageCount: outcome.pageCount, data },
        [key.search, key.articles],
      );
    },
  );
}
