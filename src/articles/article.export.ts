// Every article as `gazette export` writes it (decision 0032): drafts too, a page at a time, with its
// authors, tags and sources; the export module never reads the article tables itself.
import type { Db } from '../db/store.ts';
import type { ArticleStatus, SourceKind, SourceRole } from '../db/schema.ts';
import type { BodyFormat } from './article.body.ts';
import { articlePath } from '../lib/paths.ts';
import * as repo from './article.export.repository.ts';

export interface ExportedSource {
  name: string;
  description: string;
  url: string | null;
  kind: SourceKind;
  role: SourceRole;
  /** The position of the source this one relays, in the same list. */
  relays: number | null;
  /** The primary document it cites: the export carries its description, never its file. */
  document: { id: number; title: string; sha256: string | null; mediaType: string | null } | null;
}

export interface ExportedArticle {
  id: number;
  path: string;
  section: string;
  slug: string;
  language: string;
  headline: string;
  subtitle: string;
  summary: string;
  /** The body as written (Markdown or cleaned HTML: bodyFormat) and as rendered. */
  body: string;
  bodyFormat: BodyFormat;
  bodyHtml: string;
  imageUrl: string | null;
  imageAlt: string;
  leadImageId: number | null;
  leadImageCrop: string | null;
  status: ArticleStatus;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  scheduledAt: string | null;
  commentsOpen: boolean;
  /** The article this one translates, as "section/slug". */
  translationOf: string | null;
  /** Author slugs in byline order. */
  authors: string[];
  tags: { slug: string; name: string }[];
  sources: ExportedSource[];
}

function groupBy<R extends { article_id: number }, T>(rows: readonly R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.article_id) ?? [];
    list.push(map(r));
    out.set(r.article_id, list);
  }
  return out;
}

function toSource(r: Awaited<ReturnType<typeof repo.sourceRowsOf>>[number]): ExportedSource {
  return {
    name: r.name,
    description: r.description,
    url: r.url,
    kind: r.kind,
    role: r.role,
    relays: r.relays === null ? null : Number(r.relays),
    document: r.document_id === null ? null : { id: Number(r.document_id), title: r.document_title ?? r.name, sha256: r.document_sha256, mediaType: r.document_media_type },
  };
}

/** Up to `limit` articles after the id `afterId`, in id order, whatever their status. */
export async function articlesForExport(db: Db, afterId: number, limit: number): Promise<ExportedArticle[]> {
  const rows = await repo.articleRowsAfter(db, afterId, limit);
  const ids = rows.map((r) => r.id);
  const [authors, tags, sources] = await Promise.all([repo.authorSlugsOf(db, ids), repo.tagRowsOf(db, ids), repo.sourceRowsOf(db, ids)]);
  const authorsBy = groupBy(authors, (a) => a.slug);
  const tagsBy = groupBy(tags, (t) => ({ slug: t.slug, name: t.name }));
  const sourcesBy = groupBy(sources, toSource);
  return rows.map((r) => ({
    id: r.id,
    path: articlePath(r.section_slug, r.slug),
    section: r.section_slug,
    slug: r.slug,
    language: r.language,
    headline: r.headline,
    subtitle: r.subtitle,
    summary: r.summary,
    body: r.body,
    bodyFormat: r.body_format,
    bodyHtml: r.body_html,
    imageUrl: r.image_url,
    imageAlt: r.image_alt,
    leadImageId: r.lead_image_id === null ? null : Number(r.lead_image_id),
    leadImageCrop: r.lead_image_crop,
    status: r.status,
    publishedAt: r.published_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    scheduledAt: r.scheduled_at,
    commentsOpen: Boolean(Number(r.comments_open)),
    translationOf: r.translation_slug && r.translation_section_slug ? `${r.translation_section_slug}/${r.translation_slug}` : null,
    authors: authorsBy.get(r.id) ?? [],
    tags: tagsBy.get(r.id) ?? [],
    sources: sourcesBy.get(r.id) ?? [],
  }));
}

/** The highest article id (0 when there is none): the export numbers pages and pictures after it. */
export const highestArticleId = repo.highestArticleId;
