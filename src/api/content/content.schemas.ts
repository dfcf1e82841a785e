// The shapes of the Content API's answers, as zod schemas: they document the answers in the OpenAPI
// document and serialise them. Times are ISO 8601 UTC text; paths are on the site (prefix PUBLIC_URL).
import { z } from 'zod';

const Ref = (id: string) => z.object({ slug: z.string(), name: z.string(), path: z.string() }).meta({ id });

export const SectionRefSchema = Ref('SectionRef');
export const AuthorRefSchema = Ref('AuthorRef');
export const TagRefSchema = Ref('TagRef');

export const SectionSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    language: z.string().meta({ description: 'BCP 47 language tag.' }),
    path: z.string().meta({ description: 'The section\'s page on the site.' }),
  })
  .meta({ id: 'Section' });

export const TagSchema = z.object({ id: z.number().int(), slug: z.string(), name: z.string(), path: z.string() }).meta({ id: 'Tag' });

export const AuthorSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    bio: z.string(),
    url: z.string().nullable(),
    photoUrl: z.string().nullable(),
    links: z.array(z.object({ label: z.string(), url: z.string() })),
    languages: z.array(z.string()),
    path: z.string(),
  })
  .meta({ id: 'Author' });

export const PageSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    title: z.string(),
    bodyHtml: z.string(),
    language: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    path: z.string(),
  })
  .meta({ id: 'Page' });

const SourceSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    url: z.string().nullable(),
    kind: z.enum(['outlet', 'agency', 'document', 'person']),
    role: z.enum(['reported', 'relayed', 'quoted', 'obtained']),
    document: z
      .object({
        title: z.string(),
        sha256: z.string().nullable(),
        held: z.boolean(),
        download: z.object({ path: z.string(), mediaType: z.string(), sizeBytes: z.number().int() }).nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Source' });

/**
 * An article's lead picture: from the media library (its renditions, caption, credit and social picture),
 * or only an address for articles that name an image on another site; `url` is null when there is none.
 * Addresses are absolute.
 */
export const ImageSchema = z
  .object({
    url: z.string().nullable().meta({ description: 'A rendition every browser reads (about 960 pixels wide), or the image address an imported article names.' }),
    alt: z.string(),
    decorative: z.boolean().meta({ description: 'The picture adds nothing a reader needs (alt is then empty).' }),
    width: z.number().int().nullable().meta({ description: 'Pixel size of the widest rendition (null when not from the library).' }),
    height: z.number().int().nullable(),
    caption: z.string(),
    credit: z.string(),
    srcset: z.string().nullable().meta({ description: 'Every width of the fallback format, for <img srcset>.' }),
    sources: z.array(z.object({ type: z.string(), srcset: z.string() })).meta({ description: 'AVIF and WebP widths, for <picture><source>.' }),
    card: z.object({ url: z.string(), srcset: z.string(), width: z.number().int(), height: z.number().int() }).nullable().meta({ description: 'The 3:2 crop around the focal point that listings show.' }),
    social: z.object({ url: z.string(), width: z.number().int(), height: z.number().int() }).nullable().meta({ description: 'The 1200×630 picture for social sites.' }),
  })
  .meta({ id: 'Image' });

const CardSchema = z
  .object({
    id: z.number().int(),
    path: z.string(),
    language: z.string(),
    headline: z.string(),
    subtitle: z.string(),
    excerpt: z.string(),
    section: SectionRefSchema,
    authors: z.array(AuthorRefSchema),
    image: ImageSchema,
    publishedAt: z.string(),
    updatedAt: z.string(),
    commentCount: z.number().int(),
    pinned: z.boolean().optional().meta({ description: 'An editor pinned it to the home page, which lists it first.' }),
  })
  .meta({ id: 'ArticleCard' });

/** The fields a list returns unless `fields` says otherwise. */
export const CARD_FIELDS = ['path', 'language', 'headline', 'subtitle', 'excerpt', 'section', 'authors', 'tags', 'image', 'publishedAt', 'updatedAt', 'commentCount', 'pinned'] as const;
/** Fields a list reads without loading each whole article, beyond the default ones. */
export const LISTING_FIELDS = [...CARD_FIELDS, 'seoTitle', 'seoDescription'] as const;
/** Every field an article has in the API. */
export const ARTICLE_FIELDS = [...LISTING_FIELDS, 'bodyHtml', 'wordCount', 'sources', 'translations', 'related', 'commentsOpen'] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];


export const ArticleSchema = z
  .object({
    id: z.number().int(),
    path: z.string().optional().meta({ description: 'The article\'s page on the site.' }),
    language: z.string().optional(),
    headline: z.string().optional(),
    subtitle: z.string().optional(),
    excerpt: z.string().optional(),
    section: SectionRefSchema.optional(),
    authors: z.array(AuthorRefSchema).optional().meta({ description: 'In byline order.' }),
    tags: z.array(TagRefSchema).optional(),
    image: ImageSchema.optional(),
    publishedAt: z.string().optional(),
    updatedAt: z.string().optional(),
    commentCount: z.number().int().optional().meta({ description: 'Approved reader comments.' }),
    pinned: z.boolean().optional().meta({ description: 'An editor pinned it to the home page, which lists pinned articles first (`pinned=true` lists only them).' }),
    seoTitle: z.string().optional().meta({ description: 'The title an editor wrote for search results and social cards (the page\'s whole <title>); empty when the headline serves.' }),
    seoDescription: z.string().optional().meta({ description: 'The description an editor wrote for search results and social cards; empty when the subtitle or excerpt serves.' }),
    bodyHtml: z.string().optional().meta({ description: 'The body as the site shows it (cleaned HTML).' }),
    wordCount: z.number().int().optional(),
    sources: z.array(SourceSchema).optional().meta({ description: 'Who reported, relayed or was quoted, in order, with the documents cited.' }),
    translations: z.array(z.object({ language: z.string(), path: z.string() })).optional().meta({ description: 'The article\'s language versions, itself included; empty when it has none.' }),
    related: CardSchema.nullable().optional().meta({ description: 'The "Check Also" article.' }),
    commentsOpen: z.boolean().optional(),
  })
  .meta({ id: 'Article', description: 'A published article. Every field but `id` is present unless `fields` left it out.' });

export const SearchResultSchema = CardSchema.extend({
  snippet: z.string().meta({ description: 'Words of the body around the matches.' }),
}).meta({ id: 'SearchResult' });
