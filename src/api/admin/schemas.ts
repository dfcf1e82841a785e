// The Admin API's shapes (issue 13): zod schemas that validate what clients send and describe what they
// get back, one source for both the checks and the OpenAPI document. Request schemas are strict
// (an unknown field is refused, named) and check types and shapes only; the services behind them judge
// the rest (slugs, lengths, what exists) and name the failing field the same way, so a client meets one
// vocabulary. Response schemas list every field the API promises and nothing more.
import { z } from 'zod';
import { ROLES } from '../../accounts/permissions.ts';
import type { Role } from '../../db/schema.ts';
import { ErrorSchema, errorResponses } from '../api-schemas.ts';
import { SEO_DESCRIPTION_MAX, SEO_DESCRIPTION_SHOWN, SEO_TITLE_MAX, SEO_TITLE_SHOWN } from '../../articles/article.seo.ts';

// ---------------------------------------------------------------------------------------------- shared

const MAX_ID = 2_147_483_647;

/** A positive id in a path or query string ("12"), as a number. */
export const idText = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'expected a positive whole number')
  .transform(Number)
  .refine((n) => n <= MAX_ID, 'expected a positive whole number below 2147483648');

/** A positive id in a JSON body. */
export const idNumber = z.number().int().min(1).max(MAX_ID);

export const idParams = z.strictObject({ id: idText });

/** A page number or size in a query string. */
const wholeText = (max: number) =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, 'expected a positive whole number')
    .transform(Number)
    .refine((n) => n <= max, `expected at most ${max}`);

export const pageQuery = { page: wholeText(999_999).optional(), perPage: wholeText(100).optional() };

/** The version of the article a request is based on (what the client last read or saved). */
const version = z.number().int().min(1).max(MAX_ID).describe('The version the change is based on (from the last read or save); a stale one is answered 409 with both versions.');

export const versionBody = z.strictObject({ version });

const timestamp = z.string().describe('ISO-8601 UTC time');

// --------------------------------------------------------------------------------------------- articles

export const ARTICLE_STATUSES = ['draft', 'review', 'ready', 'scheduled', 'published', 'unpublished'] as const;
const SOURCE_KINDS = ['outlet', 'agency', 'document', 'person'] as const;
const SOURCE_ROLES = ['reported', 'relayed', 'quoted', 'obtained'] as const;

const cropBox = z
  .strictObject({ x: z.number().int(), y: z.number().int(), w: z.number().int(), h: z.number().int() })
  .describe("This article's crop of its lead image, in thousandths of the picture (x, y from the top left; w, h its size).");

const sourceIn = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  url: z.string().nullable().optional(),
  kind: z.enum(SOURCE_KINDS),
  role: z.enum(SOURCE_ROLES),
  relays: z.number().int().nullable().optional().describe('The position (from 0) in this list of the source this one relays.'),
  documentId: idNumber.nullable().optional().describe('A document uploaded through POST /api/admin/documents that this source cites.'),
});

/** Every field an editor writes, each optional (the service supplies defaults, or keeps the stored value on update). */
const draftShape = {
  section: z.string().describe('The slug of an existing section.'),
  slug: z.string().describe('Empty: made from the headline.'),
  language: z.string().describe('A language tag: en, ar, fa…'),
  headline: z.string(),
  subtitle: z.string(),
  summary: z.string(),
  body: z.string(),
  bodyFormat: z.enum(['markdown', 'html']).describe('Markdown, or HTML (cleaned by the server to an allowlist).'),
  imageUrl: z.string().nullable(),
  imageAlt: z.string(),
  leadImageId: idNumber.nullable().describe('A picture from the media library (it must have alt text or be decorative).'),
  leadImageCrop: cropBox.nullable(),
  authors: z.array(z.string()).describe('Author (people) slugs, in byline order.'),
  tags: z.array(z.string()).describe('Tag names; new ones are created.'),
  sources: z.array(sourceIn),
  pins: z.array(z.string()).describe('"Check Also" articles pinned by an editor, as section/slug.'),
  commentsOpen: z.boolean(),
  seoTitle: z.string().describe(`The page's whole <title> and its og:/twitter: title, instead of the headline (which does not change on the page). At most ${SEO_TITLE_MAX} characters, one line; about ${SEO_TITLE_SHOWN} show in search results. Empty: the headline and the site's name.`),
  seoDescription: z.string().describe(`The meta, og: and twitter: description. At most ${SEO_DESCRIPTION_MAX} characters, one line; about ${SEO_DESCRIPTION_SHOWN} show. Empty: the subtitle, or the excerpt.`),
};

/** POST /articles: a new draft; section and headline are required. */
export const articleCreate = z.strictObject(draftShape).partial().extend({ section: draftShape.section, headline: draftShape.headline }).meta({ id: 'AdminArticleCreate' });

/** PATCH /articles/:id: the version it is based on and the fields to change (others keep their stored value). */
export const articleUpdate = z.strictObject(draftShape).partial().extend({ version }).meta({ id: 'AdminArticleUpdate' });

export const articleListQuery = z.strictObject({
  status: z.enum(ARTICLE_STATUSES).optional(),
  section: z.string().optional().describe('Section slug'),
  author: z.string().optional().describe('Author slug'),
  language: z.string().optional(),
  q: z.string().optional().describe('Words in the headline'),
  ...pageQuery,
});

export const scheduleBody = z.strictObject({
  version,
  at: z.iso.datetime({ offset: true, error: 'expected a date and time such as 2030-01-31T09:00:00Z' }).describe('When to publish (in the future).'),
});

export const lockBody = z.strictObject({ takeOver: z.boolean().optional().describe('Take the lock from the account holding it.') });

export const noteBody = z.strictObject({ body: z.string() });

export const compareQuery = z.strictObject({ from: idText, to: idText });

export const revisionParams = z.strictObject({ id: idText, revision: idText });

const sourceOut = z.object({
  name: z.string(),
  description: z.string(),
  url: z.string().nullable(),
  kind: z.enum(SOURCE_KINDS),
  role: z.enum(SOURCE_ROLES),
  relays: z.number().int().nullable(),
  documentId: z.number().int().nullable(),
});

const draftOut = {
  section: z.string(),
  slug: z.string(),
  language: z.string(),
  headline: z.string(),
  subtitle: z.string(),
  summary: z.string(),
  body: z.string(),
  bodyFormat: z.enum(['markdown', 'html']),
  imageUrl: z.string().nullable(),
  imageAlt: z.string(),
  leadImageId: z.number().int().nullable(),
  leadImageCrop: z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int(), h: z.number().int() }).nullable(),
  authors: z.array(z.string()),
  tags: z.array(z.string()),
  sources: z.array(sourceOut),
  pins: z.array(z.string()),
  commentsOpen: z.boolean(),
  seoTitle: z.string(),
  seoDescription: z.string(),
};

export const draftSchema = z.object(draftOut);

const lock = z.object({ userId: z.number().int(), since: timestamp });

export const articleSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  status: z.enum(ARTICLE_STATUSES),
  ownerId: z.number().int().nullable(),
  path: z.string().describe('Its public address (where it is, or will be, published).'),
  sectionName: z.string(),
  scheduledAt: timestamp.nullable(),
  publishedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  lock: lock.nullable().describe('Who is editing it now (a lock not refreshed for two minutes no longer holds).'),
  bodyHtml: z.string().describe('The body as readers see it.'),
  homePinned: z.boolean().describe('Pinned to the home page by an editor (POST …/pin and …/unpin): the home page lists it first once it is published.'),
  actions: z
    .object({ edit: z.boolean(), submit: z.boolean(), ready: z.boolean(), schedule: z.boolean(), publish: z.boolean(), unpublish: z.boolean(), pin: z.boolean().describe('Pin or unpin it on the home page (editors and administrators).') })
    .describe('What the acting account may do with it now.'),
  ...draftOut,
}).meta({ id: 'AdminArticle' });

export const articleListSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      headline: z.string(),
      status: z.enum(ARTICLE_STATUSES),
      language: z.string(),
      sectionSlug: z.string(),
      sectionName: z.string(),
      path: z.string(),
      updatedAt: timestamp,
      scheduledAt: timestamp.nullable(),
      publishedAt: timestamp.nullable(),
      ownerId: z.number().int().nullable(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageCount: z.number().int(),
}).meta({ id: 'AdminArticleList' });

export const lockSchema = z.object({ lock });

export const noteSchema = z.object({ id: z.number().int(), authorId: z.number().int().nullable(), body: z.string(), createdAt: timestamp });
export const noteListSchema = z.object({ items: z.array(noteSchema) });

const revisionSummary = z.object({ id: z.number().int(), version: z.number().int(), savedBy: z.number().int().nullable(), savedAt: timestamp, autosave: z.boolean() });
export const revisionListSchema = z.object({ items: z.array(revisionSummary) });
export const revisionSchema = z.object({ revision: revisionSummary, draft: draftSchema });
export const compareSchema = z.object({
  from: revisionSummary,
  to: revisionSummary,
  fields: z.array(z.object({ field: z.string(), label: z.string(), lines: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })) })),
});

/** 409 for a save or move based on an old version: both versions, for the client to compare and merge. */
const conflictError = z.object({ code: z.literal('conflict'), message: z.string(), fields: z.record(z.string(), z.string()) });
export const staleSchema = z.object({
  error: conflictError,
  current: articleSchema,
  yours: z.object({ version: z.number().int(), draft: z.record(z.string(), z.unknown()) }).describe('What this request sent, and the version it was based on.'),
}).meta({ id: 'AdminStaleVersion' });

/** 409 for a save while another account holds the edit lock. */
export const lockedSchema = z.object({
  error: conflictError,
  lock,
}).meta({ id: 'AdminLocked' });

// -------------------------------------------------------------------------------- documents and media

export const documentSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: timestamp,
  downloadPath: z.string().describe('Where readers download it, once a published article cites it.'),
}).meta({ id: 'AdminDocument' });
export const documentListSchema = z.object({ items: z.array(documentSchema) });
export const documentListQuery = z.strictObject({ q: z.string().optional(), limit: wholeText(500).optional() });

/** The multipart form of a document upload, for the document (the route reads the stream itself). */
export const documentUploadForm = z.object({ title: z.string().optional(), file: z.string().meta({ format: 'binary', description: 'The file (PDF, JPEG, PNG, WebP, GIF or AVIF).' }) });

const pictureSchema = z.object({
  sources: z.array(z.object({ type: z.string(), srcset: z.string() })),
  src: z.string(),
  srcset: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});

const imageFields = z.object({
  id: z.number().int(),
  alt: z.string(),
  decorative: z.boolean(),
  caption: z.string(),
  credit: z.string(),
  picture: pictureSchema,
  card: pictureSchema,
  social: z.object({ src: z.string(), width: z.number().int(), height: z.number().int() }),
  fileName: z.string(),
  mediaType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  focal: z.object({ x: z.number().int(), y: z.number().int() }),
  metadataKept: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  originalSrc: z.string(),
});
export const imageSchema = imageFields.meta({ id: 'AdminImage' });
export const imageWithUsesSchema = imageFields.extend({
  uses: z.array(z.object({ articleId: z.number().int(), headline: z.string(), status: z.string(), as: z.array(z.enum(['lead', 'body'])) })),
});
export const imageListSchema = z.object({ items: z.array(imageSchema) });
export const imageListQuery = z.strictObject({ q: z.string().optional(), limit: wholeText(200).optional(), offset: z.string().regex(/^[0-9]{1,9}$/, 'expected a whole number').transform(Number).optional() });

const imageText = {
  alt: z.string().describe('What the picture shows, for readers who cannot see it.'),
  decorative: z.boolean().describe('Shows nothing a reader needs (then alt may be empty).'),
  caption: z.string(),
  credit: z.string(),
  focalX: z.number().int().describe('Focal point, thousandths of the width from the left (automatic crops keep it).'),
  focalY: z.number().int(),
};
export const imageEdit = z.strictObject(imageText).partial();
export const imageUploadForm = z.object({
  alt: z.string().optional(),
  decorative: z.enum(['true', 'false']).optional(),
  caption: z.string().optional(),
  credit: z.string().optional(),
  focalX: z.string().optional(),
  focalY: z.string().optional(),
  file: z.string().meta({ format: 'binary', description: 'The picture (JPEG, PNG, WebP, GIF or AVIF); text fields come before it.' }),
});
export const imageReplaceForm = z.object({ file: z.string().meta({ format: 'binary', description: 'The new picture; text, focal point and crops stay.' }) });

// ------------------------------------------------------------------------- sections, tags, people, pages

export const sectionSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  language: z.string(),
  path: z.string(),
  position: z.number().int(),
  oldSlugs: z.array(z.string()).describe('Earlier slugs, whose addresses answer 301 to the current ones.'),
}).meta({ id: 'AdminSection' });
export const sectionListSchema = z.object({ items: z.array(sectionSchema) });
const sectionFields = { slug: z.string(), name: z.string(), description: z.string(), language: z.string() };
export const sectionCreate = z.strictObject({ slug: z.string(), name: z.string(), description: z.string().optional(), language: z.string().optional() });
export const sectionUpdate = z.strictObject(sectionFields).partial();
export const sectionOrder = z.strictObject({ ids: z.array(idNumber).describe('Every section id once, in navigation order.') });

export const tagSchema = z.object({ id: z.number().int(), slug: z.string(), name: z.string(), path: z.string() }).meta({ id: 'AdminTag' });
export const tagListSchema = z.object({ items: z.array(tagSchema) });
export const tagCreate = z.strictObject({ name: z.string(), slug: z.string().optional().describe('Empty: made from the name.') });
export const tagUpdate = z.strictObject({ name: z.string().optional(), slug: z.string().optional() });

const link = z.object({ label: z.string(), url: z.string() });
const linkIn = z.strictObject({ label: z.string(), url: z.string() });
export const personSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  bio: z.string(),
  url: z.string().nullable(),
  photoUrl: z.string().nullable(),
  links: z.array(link),
  languages: z.array(z.string()),
  path: z.string(),
}).meta({ id: 'AdminAuthor' });
export const personListSchema = z.object({ items: z.array(personSchema) });
const personFields = {
  slug: z.string().describe('Empty: made from the name.'),
  bio: z.string(),
  url: z.string().nullable(),
  photoUrl: z.string().nullable(),
  links: z.array(linkIn),
  languages: z.array(z.string()),
};
export const personUpdate = z.strictObject({ name: z.string(), ...personFields }).partial();
export const personCreate = personUpdate.extend({ name: z.string() });

const PAGE_STATUSES = ['draft', 'published'] as const;
export const pageSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  body: z.string().describe('Markdown'),
  bodyHtml: z.string(),
  language: z.string(),
  status: z.enum(ARTICLE_STATUSES),
  createdAt: timestamp,
  updatedAt: timestamp,
  path: z.string(),
}).meta({ id: 'AdminPage' });
export const pageListSchema = z.object({ items: z.array(pageSchema) });
export const pageCreate = z.strictObject({ slug: z.string(), title: z.string(), body: z.string().optional(), language: z.string().optional(), status: z.enum(PAGE_STATUSES).optional() });
export const pageUpdate = z.strictObject({
  slug: z.string().optional(),
  title: z.string().optional(),
  body: z.string().optional(),
  language: z.string().optional(),
  status: z.enum(PAGE_STATUSES).optional(),
});

export const settingsSchema = z.object({
  name: z.string(),
  description: z.string(),
  language: z.string(),
  timeZone: z.string(),
  logoUrl: z.string().nullable(),
  navigation: z.array(link),
  footer: z.array(link),
}).meta({ id: 'AdminSettings' });
export const settingsUpdate = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  language: z.string().optional(),
  timeZone: z.string().optional(),
  logoUrl: z.string().nullable().optional(),
  navigation: z.array(linkIn).optional(),
  footer: z.array(linkIn).optional(),
});

// --------------------------------------------------------------------------------------------- comments

export const COMMENT_STATES = ['pending', 'approved', 'spam', 'trash'] as const;
export const MODERATION_ACTIONS = ['approve', 'unapprove', 'spam', 'trash', 'restore'] as const;

export const commentSchema = z.object({
  id: z.number().int(),
  status: z.enum(COMMENT_STATES),
  articleId: z.number().int(),
  articlePath: z.string(),
  parentId: z.number().int().nullable(),
  depth: z.number().int(),
  authorName: z.string(),
  authorEmail: z.string(),
  authorUrl: z.string().nullable(),
  ip: z.string(),
  note: z.string().describe('Why it was held or marked spam.'),
  body: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  staff: z.boolean(),
}).meta({ id: 'AdminComment' });
export const commentQueueQuery = z.strictObject({ status: z.enum(COMMENT_STATES).optional().describe('pending unless named'), article: idText.optional(), ...pageQuery });
export const commentQueueSchema = z.object({
  status: z.enum(COMMENT_STATES),
  counts: z.object({ pending: z.number().int(), approved: z.number().int(), spam: z.number().int(), trash: z.number().int() }),
  items: z.array(commentSchema),
  page: z.number().int(),
  pageCount: z.number().int(),
  perPage: z.number().int(),
});
export const moderationParams = z.strictObject({ id: idText, action: z.enum(MODERATION_ACTIONS) });
export const bulkModeration = z.strictObject({ ids: z.array(idNumber).min(1, 'choose at least one comment').max(500, 'choose at most 500 comments at a time'), action: z.enum(MODERATION_ACTIONS) });
export const moderationSchema = z.object({ moved: z.number().int(), status: z.enum(COMMENT_STATES) });
export const commentEdit = z.strictObject({ body: z.string().optional(), authorName: z.string().optional(), authorUrl: z.string().optional() });
export const commentReply = z.strictObject({ body: z.string() });
export const commentsOpenParams = z.strictObject({ articleId: idText });
export const commentsOpenBody = z.strictObject({ open: z.boolean().describe('Whether the article takes new comments.') });
export const commentsOpenSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  headline: z.string().nullable().describe('Null when the article is not published.'),
  commentsOpen: z.boolean().nullable(),
});
export const replySchema = z.object({ id: z.number().int(), articleId: z.number().int(), articlePath: z.string() });

// ------------------------------------------------------------------------------------------------ users

const role = z.enum(ROLES as [Role, ...Role[]]);
export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role,
  personId: z.number().int().nullable().describe('The byline (author) this account writes as.'),
  disabled: z.boolean(),
  invited: z.boolean().describe('Invited and has not chosen a password yet.'),
  createdAt: timestamp,
  lastSignInAt: timestamp.nullable(),
}).meta({ id: 'AdminUser' });
export const userListSchema = z.object({ items: z.array(userSchema) });
export const inviteBody = z.strictObject({ email: z.string(), name: z.string(), role });
export const invitationSchema = z.object({
  user: userSchema,
  mailed: z.boolean().describe('Whether the invitation was sent by mail.'),
  link: z.string().nullable().describe('The single-use link to pass on when the site sends no mail (shown once).'),
});
export const roleBody = z.strictObject({ role });
export const bylineBody = z.strictObject({ personId: idNumber.nullable().describe('The author (GET /api/admin/authors) this account writes as; null for none.') });

// ------------------------------------------------------------------------------------------------ errors

/** A 409: a stale version (both versions), another account's lock, or another conflict. */
export const conflictSchema = z.union([staleSchema, lockedSchema, ErrorSchema]).meta({ description: 'A stale version (with both versions), another account\'s edit lock (naming it), or another conflict.' });

type ErrorStatus = Parameters<typeof errorResponses>[number];

/** The refusals a route documents besides those every Admin API route may answer (400, 401, 403). */
export function refusals(...more: ErrorStatus[]): Record<number, z.ZodType> {
  const out: Record<number, z.ZodType> = errorResponses(400, 401, 403, ...more.filter((status) => status !== 409));
  if (more.includes(409)) out[409] = conflictSchema;
  return out;
}

/** 204: done, nothing to say. */
export const noContent = z.null().describe('No content');
