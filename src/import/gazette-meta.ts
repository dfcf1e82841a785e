// Gazette's own fields in a WordPress export (decision 0032). `gazette export --format wxr` writes what
// WXR has no element for (the body as written, subtitle, language, every author, sources and their
// documents, the article translated, dates, workflow status) as `_gazette_*` post metas holding JSON;
// WordPress keeps metas whose key starts with "_" hidden. `gazette import wordpress` reads them back
// here, so a Gazette -> WXR -> Gazette round trip keeps what a WordPress site would lose. A meta that is
// not valid JSON of the expected shape is ignored: the post is imported from its WordPress fields.
import { z } from 'zod';
import type { ArticleChanges, ArticleInput } from '../articles/article.service.ts';
import type { PageDraft } from '../pages/page.service.ts';
import type { WxrItem } from './wxr.parser.ts';

export const GAZETTE_META = { article: '_gazette_article', page: '_gazette_page', image: '_gazette_image' } as const;

const statusSchema = z.enum(['draft', 'review', 'ready', 'scheduled', 'published', 'unpublished']);

const sourceSchema = z.object({
  name: z.string(),
  description: z.string(),
  url: z.string().nullable(),
  kind: z.enum(['outlet', 'agency', 'document', 'person']),
  role: z.enum(['reported', 'relayed', 'quoted', 'obtained']),
  relays: z.number().int().nullable(),
  document: z.object({ id: z.number().int(), title: z.string(), sha256: z.string().nullable(), mediaType: z.string().nullable() }).nullable(),
});

const articleMetaSchema = z.object({
  body: z.object({ format: z.enum(['markdown', 'html']), source: z.string() }),
  subtitle: z.string(),
  language: z.string(),
  status: statusSchema,
  authors: z.array(z.string()),
  sources: z.array(sourceSchema),
  translationOf: z.string().nullable(),
  image: z.object({ url: z.string().nullable(), alt: z.string() }).nullable(),
  leadImage: z.object({ id: z.number().int(), crop: z.string().nullable() }).nullable(),
  dates: z.object({ createdAt: z.string(), updatedAt: z.string(), publishedAt: z.string().nullable(), scheduledAt: z.string().nullable() }),
});

const pageMetaSchema = z.object({
  body: z.string(),
  language: z.string(),
  status: statusSchema,
  dates: z.object({ createdAt: z.string(), updatedAt: z.string() }),
});

/** What `_gazette_article` holds. */
export type GazetteArticleMeta = z.infer<typeof articleMetaSchema>;
/** What `_gazette_page` holds. */
export type GazettePageMeta = z.infer<typeof pageMetaSchema>;

function readMeta<T extends z.ZodType>(item: WxrItem, key: string, schema: T): z.output<T> | null {
  const raw = item.postmeta.find((m) => m.key === key)?.value;
  if (raw === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The article fields an update may change too: the body as written in its own format, and the subtitle. */
export function gazetteArticleContent(item: WxrItem): Pick<ArticleChanges, 'body' | 'bodyFormat' | 'subtitle'> {
  const meta = readMeta(item, GAZETTE_META.article, articleMetaSchema);
  if (!meta) return {};
  return { body: meta.body.source, bodyFormat: meta.body.format, subtitle: meta.subtitle };
}

/**
 * The fields of a new article only Gazette has: language, every author, sources (a document is described,
 * its file is not in the export), the article it translates (imported before it: exports list articles in
 * id order), the image address, and its dates.
 */
export function gazetteArticleCreation(item: WxrItem): Partial<ArticleInput> {
  const meta = readMeta(item, GAZETTE_META.article, articleMetaSchema);
  if (!meta) return {};
  const published = meta.status === 'published';
  return {
    language: meta.language,
    ...(meta.authors.length && { authors: meta.authors }),
    sources: meta.sources.map((s) => ({
      name: s.name,
      description: s.description,
      url: s.url,
      kind: s.kind,
      role: s.role,
      relays: s.relays,
      document: s.document && { title: s.document.title, sha256: s.document.sha256, filePath: null, mediaType: s.document.mediaType },
    })),
    ...(meta.translationOf && { translationOf: meta.translationOf }),
    ...(meta.image && { imageUrl: meta.image.url, imageAlt: meta.image.alt }),
    ...(published && meta.dates.publishedAt && { publishedAt: meta.dates.publishedAt }),
    updatedAt: meta.dates.updatedAt,
  };
}

/** A static page's Markdown as written and its language, instead of Markdown made again from its HTML. */
export function gazettePageFields(item: WxrItem): Partial<Pick<PageDraft, 'body' | 'language'>> {
  const meta = readMeta(item, GAZETTE_META.page, pageMetaSchema);
  return meta ? { body: meta.body, language: meta.language } : {};
}
