// The site as a WordPress export, WXR 1.2 (decision 0032), written piece by piece to a sink: the element
// structure is the one WordPress's exporter writes and its importer reads. Texts go in CDATA sections
// (a "]]>" inside one is split across two sections); characters XML 1.0 cannot carry are dropped.
// Gazette's own fields ride along as `_gazette_*` post metas holding JSON, which WordPress keeps hidden
// and `gazette import wordpress` reads back (src/import/gazette-meta.ts).
import { escapeHtml } from '../lib/html.ts';
import { slugify } from '../lib/slug.ts';
import type { ArticleStatus } from '../db/schema.ts';
import type { ExportedArticle } from '../articles/article.export.ts';
import type { ExportedComment } from '../comments/comment.export.ts';
import type { ExportedImage } from '../media/image.export.ts';
import type { StaticPage } from '../pages/page.service.ts';
import type { SiteContent } from './site-content.ts';
import { GAZETTE_META, type GazetteArticleMeta, type GazettePageMeta } from '../import/gazette-meta.ts';

/** Where the export's text goes (a file, in order). */
export interface Sink {
  write(text: string): Promise<void>;
}

export interface WxrCounts {
  authors: number;
  categories: number;
  tags: number;
  posts: number;
  pages: number;
  attachments: number;
  comments: number;
}

// Characters outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/FFFF).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text an XML 1.0 document can carry. */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML, '');
}

/** Text for an element or attribute, escaped. */
export function xmlText(text: string): string {
  return escapeHtml(xmlChars(text));
}

/** Text as one or more CDATA sections: "]]>" inside it ends one section and starts the next. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlChars(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const ZERO_DATE = '0000-00-00 00:00:00';

/** An instant as WordPress writes dates ("2011-01-18 07:40:14"), in UTC. */
export function gmtDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/** The same instant on the wall clock of the site's time zone. */
export function localDate(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** RSS's date form, as WordPress writes it ("Tue, 18 Jan 2011 07:40:14 +0000"). */
function rssDate(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

/** Gazette's workflow status as WordPress's post status: only published is public in either. */
export const WP_STATUS: Record<ArticleStatus, string> = { draft: 'draft', review: 'pending', ready: 'pending', scheduled: 'future', published: 'publish', unpublished: 'draft' };

/** A comment's status as WordPress's comment_approved. */
const WP_COMMENT_STATUS: Record<ExportedComment['status'], string> = { approved: '1', pending: '0', spam: 'spam', trash: 'trash' };

/** Addresses on this site ("/media/…", "/section/slug") made absolute, so the body reads the same elsewhere. */
export function absoluteUrls(html: string, base: string): string {
  return html
    .replace(/\b(src|href|poster)="\/(?!\/)/g, `$1="${base}/`)
    .replace(/\bsrcset="([^"]*)"/g, (_, set: string) => `srcset="${set.replace(/(^|,\s*)\/(?!\/)/g, `$1${base}/`)}"`);
}

const el = (name: string, inner: string) => `<${name}>${inner}</${name}>`;

function postmeta(key: string, value: string): string {
  return `\t\t<wp:postmeta>\n\t\t\t${el('wp:meta_key', cdata(key))}\n\t\t\t${el('wp:meta_value', cdata(value))}\n\t\t</wp:postmeta>\n`;
}

interface ItemFields {
  title: string;
  link: string;
  creator: string;
  content: string;
  excerpt: string;
  id: number;
  /** The post's date, published or planned; null for a draft. */
  date: string | null;
  /** The date shown when `date` is null (when it was written). */
  fallbackDate: string;
  modified: string;
  commentStatus: 'open' | 'closed';
  name: string;
  status: string;
  type: 'post' | 'page' | 'attachment';
  attachmentUrl?: string;
  terms: { domain: 'category' | 'post_tag'; slug: string; name: string }[];
  meta: [string, string][];
}

function itemHead(f: ItemFields, zone: string): string {
  const shown = f.date ?? f.fallbackDate;
  const lines = [
    el('title', xmlText(f.title)),
    el('link', xmlText(f.link)),
    el('pubDate', f.date ? rssDate(f.date) : ''),
    el('dc:creator', cdata(f.creator)),
    `<guid isPermaLink="false">${xmlText(f.link)}</guid>`,
    '<description></description>',
    el('content:encoded', cdata(f.content)),
    el('excerpt:encoded', cdata(f.excerpt)),
    el('wp:post_id', String(f.id)),
    el('wp:post_date', cdata(localDate(shown, zone))),
    el('wp:post_date_gmt', cdata(f.date ? gmtDate(f.date) : ZERO_DATE)),
    el('wp:post_modified', cdata(localDate(f.modified, zone))),
    el('wp:post_modified_gmt', cdata(gmtDate(f.modified))),
    el('wp:comment_status', cdata(f.commentStatus)),
    el('wp:ping_status', cdata('closed')),
    el('wp:post_name', cdata(f.name)),
    el('wp:status', cdata(f.status)),
    el('wp:post_parent', '0'),
    el('wp:menu_order', '0'),
    el('wp:post_type', cdata(f.type)),
    el('wp:post_password', cdata('')),
    el('wp:is_sticky', '0'),
    ...(f.attachmentUrl ? [el('wp:attachment_url', cdata(f.attachmentUrl))] : []),
    ...f.terms.map((t) => `<category domain="${t.domain}" nicename="${xmlText(t.slug)}">${cdata(t.name)}</category>`),
  ];
  return `\t<item>\n${lines.map((l) => `\t\t${l}\n`).join('')}${f.meta.map(([k, v]) => postmeta(k, v)).join('')}`;
}

function commentXml(c: ExportedComment, zone: string): string {
  const lines = [
    el('wp:comment_id', String(c.id)),
    el('wp:comment_author', cdata(c.authorName)),
    // A reader's address is written only in a private export (the comment read has none otherwise).
    el('wp:comment_author_email', cdata(c.authorEmail ?? '')),
    el('wp:comment_author_url', cdata(c.authorUrl ?? '')),
    el('wp:comment_author_IP', cdata(c.ip ?? '')),
    el('wp:comment_date', cdata(localDate(c.createdAt, zone))),
    el('wp:comment_date_gmt', cdata(gmtDate(c.createdAt))),
    // Readers type plain text: escaped, so WordPress shows it as typed and never as markup.
    el('wp:comment_content', cdata(escapeHtml(c.body))),
    el('wp:comment_approved', cdata(WP_COMMENT_STATUS[c.status])),
    el('wp:comment_type', cdata('comment')),
    el('wp:comment_parent', String(c.parentId ?? 0)),
    el('wp:comment_user_id', '0'),
  ];
  return `\t\t<wp:comment>\n${lines.map((l) => `\t\t\t${l}\n`).join('')}\t\t</wp:comment>\n`;
}

/** post_name as WordPress stores it: percent-encoded. */
const postName = (slug: string) => encodeURIComponent(slug);

/** Post ids: articles keep theirs; pages, then pictures, are numbered after the highest article id. */
class PostIds {
  constructor(
    readonly highestArticle: number,
    readonly highestPage: number,
  ) {}
  article = (id: number) => id;
  page = (id: number) => this.highestArticle + id;
  image = (id: number) => this.highestArticle + this.highestPage + id;
}

function articleMeta(a: ExportedArticle): GazetteArticleMeta {
  return {
    body: { format: a.bodyFormat, source: a.body },
    subtitle: a.subtitle,
    language: a.language,
    status: a.status,
    authors: a.authors,
    sources: a.sources,
    translationOf: a.translationOf,
    image: a.imageUrl === null && !a.imageAlt ? null : { url: a.imageUrl, alt: a.imageAlt },
    leadImage: a.leadImageId === null ? null : { id: a.leadImageId, crop: a.leadImageCrop },
    dates: { createdAt: a.createdAt, updatedAt: a.updatedAt, publishedAt: a.publishedAt, scheduledAt: a.scheduledAt },
  };
}

function articleItem(site: SiteContent, ids: PostIds, sectionNames: Map<string, string>, a: ExportedArticle, comments: ExportedComment[]): string {
  const url = site.head.url;
  const date = a.status === 'published' ? a.publishedAt : a.status === 'scheduled' ? a.scheduledAt : null;
  const meta: [string, string][] = [[GAZETTE_META.article, JSON.stringify(articleMeta(a))]];
  if (a.leadImageId !== null) meta.unshift(['_thumbnail_id', String(ids.image(a.leadImageId))]);
  const head = itemHead(
    {
      title: a.headline,
      link: `${url}${a.path}`,
      creator: a.authors[0] ?? '',
      content: absoluteUrls(a.bodyHtml, url),
      excerpt: escapeHtml(a.summary),
      id: ids.article(a.id),
      date,
      fallbackDate: a.createdAt,
      modified: a.updatedAt,
      commentStatus: a.commentsOpen ? 'open' : 'closed',
      name: postName(a.slug),
      status: WP_STATUS[a.status],
      type: 'post',
      terms: [{ domain: 'category', slug: postName(a.section), name: sectionNames.get(a.section) ?? a.section }, ...a.tags.map((t) => ({ domain: 'post_tag' as const, slug: postName(t.slug), name: t.name }))],
      meta,
    },
    site.head.timeZone,
  );
  return `${head}${comments.map((c) => commentXml(c, site.head.timeZone)).join('')}\t</item>\n`;
}

function pageItem(site: SiteContent, ids: PostIds, p: StaticPage): string {
  const meta: GazettePageMeta = { body: p.body, language: p.language, status: p.status, dates: { createdAt: p.createdAt, updatedAt: p.updatedAt } };
  const head = itemHead(
    {
      title: p.title,
      link: `${site.head.url}${p.path}`,
      creator: '',
      content: absoluteUrls(p.bodyHtml, site.head.url),
      excerpt: '',
      id: ids.page(p.id),
      date: p.status === 'published' ? p.createdAt : null,
      fallbackDate: p.createdAt,
      modified: p.updatedAt,
      commentStatus: 'closed',
      name: postName(p.slug),
      status: WP_STATUS[p.status],
      type: 'page',
      terms: [],
      meta: [[GAZETTE_META.page, JSON.stringify(meta)]],
    },
    site.head.timeZone,
  );
  return `${head}\t</item>\n`;
}

function imageItem(site: SiteContent, ids: PostIds, i: ExportedImage): string {
  const stem = i.fileName.replace(/\.[^.]*$/, '');
  const url = `${site.head.url}${i.originalPath}`;
  const meta: [string, string][] = [
    ['_wp_attachment_image_alt', i.alt],
    [GAZETTE_META.image, JSON.stringify({ credit: i.credit, decorative: i.decorative, focal: i.focal, width: i.width, height: i.height, sha256: i.sha256, mediaType: i.mediaType, fileName: i.fileName })],
  ];
  const head = itemHead(
    {
      title: stem || i.fileName,
      link: url,
      creator: '',
      content: '',
      excerpt: i.caption,
      id: ids.image(i.id),
      date: i.createdAt,
      fallbackDate: i.createdAt,
      modified: i.updatedAt,
      commentStatus: 'closed',
      name: postName(slugify(stem) || `image-${i.id}`),
      status: 'inherit',
      type: 'attachment',
      attachmentUrl: url,
      terms: [],
      meta,
    },
    site.head.timeZone,
  );
  return `${head}\t</item>\n`;
}

function channelHead(site: SiteContent): string {
  const h = site.head;
  const lines = [
    el('title', xmlText(h.name)),
    el('link', xmlText(`${h.url}/`)),
    el('description', xmlText(h.description)),
    el('pubDate', rssDate(new Date().toISOString())),
    el('language', xmlText(h.language)),
    el('wp:wxr_version', '1.2'),
    el('wp:base_site_url', xmlText(`${h.url}/`)),
    el('wp:base_blog_url', xmlText(`${h.url}/`)),
  ];
  return lines.map((l) => `\t${l}\n`).join('');
}

function authorsXml(site: SiteContent): string {
  // People are bylines, not accounts: the login is their slug, and no address is written (staff's stay private).
  return site.people
    .map(
      (p) =>
        `\t<wp:author>${el('wp:author_id', String(p.id))}${el('wp:author_login', cdata(p.slug))}${el('wp:author_email', '')}${el('wp:author_display_name', cdata(p.name))}${el('wp:author_first_name', cdata(''))}${el('wp:author_last_name', cdata(''))}</wp:author>\n`,
    )
    .join('');
}

function termsXml(site: SiteContent): string {
  const categories = site.sections.map(
    (s) =>
      `\t<wp:category>${el('wp:term_id', String(s.id))}${el('wp:category_nicename', cdata(postName(s.slug)))}${el('wp:category_parent', cdata(''))}${el('wp:cat_name', cdata(s.name))}${el('wp:category_description', cdata(s.description))}</wp:category>\n`,
  );
  const tags = site.tags.map((t) => `\t<wp:tag>${el('wp:term_id', String(t.id))}${el('wp:tag_slug', cdata(postName(t.slug)))}${el('wp:tag_name', cdata(t.name))}</wp:tag>\n`);
  return categories.join('') + tags.join('');
}

const PROLOGUE = `<?xml version="1.0" encoding="UTF-8" ?>
<!-- A WordPress eXtended RSS file (WXR 1.2) written by Gazette (gazette export, format wxr). -->
<!-- WordPress reads it with Tools > Import > WordPress; Gazette with "gazette import wordpress". -->
<!-- Gazette's own fields are in the _gazette_* post metas, as JSON. -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
`;

/** Writes the whole site as WXR 1.2 to `sink`, an item at a time; returns what it wrote. */
export async function writeWxr(site: SiteContent, sink: Sink): Promise<WxrCounts> {
  const counts: WxrCounts = { authors: site.people.length, categories: site.sections.length, tags: site.tags.length, posts: 0, pages: 0, attachments: 0, comments: 0 };
  const ids = new PostIds(site.highestArticleId, Math.max(0, ...site.pages.map((p) => p.id)));
  const sectionNames = new Map(site.sections.map((s) => [s.slug, s.name]));
  await sink.write(PROLOGUE + channelHead(site) + '\n' + authorsXml(site) + '\n' + termsXml(site) + '\n\t<generator>Gazette</generator>\n\n');
  for await (const image of site.images()) {
    await sink.write(imageItem(site, ids, image));
    counts.attachments += 1;
  }
  for (const page of site.pages) {
    await sink.write(pageItem(site, ids, page));
    counts.pages += 1;
  }
  for await (const { article, comments } of site.articles()) {
    await sink.write(articleItem(site, ids, sectionNames, article, comments));
    counts.posts += 1;
    counts.comments += comments.length;
  }
  await sink.write('</channel>\n</rss>\n');
  return counts;
}
