// The article page, the front page and the section, tag and author listings, drawn from the article
// service's models. Each returns the main content for layout() to frame.
import type { Article, ArticleCard, Source } from '../../articles/article.service.ts';
import type { Person } from '../../people/person.service.ts';
import { html, trusted, type SafeHtml } from '../../lib/html.ts';
import { listingPagePath } from '../../lib/paths.ts';
import { commentStrings } from '../i18n/comments.ts';
import { formatTime, sameDay } from '../i18n/format.ts';
import { stringsFor, type Strings } from '../i18n/site.ts';
import type { CommentsSectionView, HomeView, ListingView } from '../theme.ts';
import { commentsSection } from './comments.ts';
import { dateTime, langAttrs, pager, time } from './parts.ts';
import { cardPicture, homeLeadPicture, leadFigure } from './pictures.ts';

/** A time later on the same day as publication: the clock time is what tells readers something. */
function timeOfDay(iso: string, language: string, timeZone: string): SafeHtml {
  return html`<time datetime="${iso}">${formatTime(iso, language, timeZone)}</time>`;
}

function byline(a: ArticleCard, t: Strings): SafeHtml {
  if (!a.authors.length) return html``;
  return html`<span class="byline-authors">${t.by} ${a.authors.map((p, i) => html`${i ? ', ' : ''}<a rel="author" href="${p.path}">${p.name}</a>`)}</span>`;
}

/** " · 3 comments", linked to the article's comments; nothing when there are none. */
function commentCount(a: ArticleCard): SafeHtml {
  return a.commentCount ? html` · <a class="card-comments" href="${a.path}#comments">${commentStrings(a.language).commentCount(a.commentCount)}</a>` : html``;
}

/** An article teaser in a listing. */
/** The home page's mark on an article an editor pinned there, in the article's language, before its section. */
function pinnedMark(a: ArticleCard): SafeHtml | string {
  return a.pinned ? html`<span class="pinned-mark">${stringsFor(a.language).pinned}</span> ` : '';
}

function card(a: ArticleCard, pageLanguage: string, timeZone: string, headingLevel: 2 | 3 = 2, markPinned = false): SafeHtml {
  const heading = html`<a href="${a.path}">${a.headline}</a>`;
  return html`<article class="card${a.leadImage ? ' has-image' : ''}"${langAttrs(a.language, pageLanguage)}>
${cardPicture(a)}
<p class="kicker">${markPinned ? pinnedMark(a) : ''}<a href="${a.section.path}">${a.section.name}</a></p>
${headingLevel === 2 ? html`<h2 class="card-title">${heading}</h2>` : html`<h3 class="card-title">${heading}</h3>`}
<p class="card-excerpt">${a.excerpt}</p>
<p class="card-meta">${time(a.publishedAt, a.language, timeZone)}${commentCount(a)}</p>
</article>`;
}

/** A file's size for readers, in the page's numerals. */
function fileSize(bytes: number, language: string): string {
  const format = (n: number, unit: string) => `${new Intl.NumberFormat(language, { maximumFractionDigits: n < 10 ? 1 : 0 }).format(n)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / 1024 / 1024, 'MB');
}

function sourceItem(s: Source, t: Strings, language: string): SafeHtml {
  const name = s.url ? html`<a href="${s.url}" rel="nofollow noopener">${s.name}</a>` : html`${s.name}`;
  const d = s.document;
  const download = d?.download
    ? html` · <a class="source-download" href="${d.download.path}" download>${t.documentDownload}</a> <span class="source-file">(${d.download.mediaType === 'application/pdf' ? 'PDF' : d.download.mediaType.replace(/^image\//, '').toUpperCase()}, ${fileSize(d.download.sizeBytes, language)})</span>`
    : '';
  const doc = d
    ? html`<span class="source-doc">${d.held ? t.documentHeld : t.documentNotHeld}${download}${d.sha256 ? html` · SHA-256 <code dir="ltr">${d.sha256}</code>` : ''}</span>${d.download && d.sha256 ? html`<small class="source-verify">${t.documentVerify}</small>` : ''}`
    : '';
  return html`<li class="source source-${s.kind}">
<span class="source-role">${t.role[s.role]}</span>
<span class="source-name">${name}</span>
<span class="source-kind">${t.kind[s.kind]}${s.description ? html` · ${s.description}` : ''}</span>
${doc}
</li>`;
}

/** The article page: header, body, sources, tags, "Check Also", comments and "Leave a Reply". */
export function articlePage(a: Article, comments: CommentsSectionView, timeZone: string): SafeHtml {
  const t = stringsFor(a.language);
  const minutes = Math.max(1, Math.round(a.wordCount / 230));
  const updated = a.updatedAt !== a.publishedAt;
  return html`<article class="article" aria-labelledby="headline">
<header class="article-header">
<p class="kicker"><a href="${a.section.path}">${a.section.name}</a></p>
<h1 id="headline">${a.headline}</h1>
${a.subtitle ? html`<p class="subtitle">${a.subtitle}</p>` : ''}
<p class="byline">${byline(a, t)}
<span class="dates"><span>${t.published} ${dateTime(a.publishedAt, a.language, timeZone)}</span>${updated ? html` <span>${t.updated} ${sameDay(a.updatedAt, a.publishedAt, timeZone) ? timeOfDay(a.updatedAt, a.language, timeZone) : dateTime(a.updatedAt, a.language, timeZone)}</span>` : ''}</span>
<span class="reading-time">${t.readingTime(minutes)}</span></p>
</header>
${a.leadImage ? leadFigure(a.leadImage) : a.imageUrl ? html`<figure class="article-image"><img src="${a.imageUrl}" alt="${a.imageAlt}"></figure>` : ''}
<div class="article-body">
${trusted(a.bodyHtml)}
</div>
${a.sources.length
  ? html`<aside class="sources" aria-labelledby="sources-title">
<h2 id="sources-title">${t.sources}</h2>
<p class="sources-intro">${t.sourcesIntro}</p>
<ol class="source-list">
${a.sources.map((s) => sourceItem(s, t, a.language))}
</ol>
</aside>`
  : ''}
${a.tags.length
  ? html`<nav class="tags" aria-label="${t.tags}"><h2 class="visually-hidden">${t.tags}</h2><ul>${a.tags.map((tag) => html`<li><a href="${tag.path}" rel="tag">${tag.name}</a></li>`)}</ul></nav>`
  : ''}
</article>
${a.related
  ? html`<aside class="check-also" aria-labelledby="check-also-title">
<h2 id="check-also-title">${t.checkAlso}</h2>
${card(a.related, a.language, timeZone, 3)}
</aside>`
  : ''}
${commentsSection(comments, timeZone)}`;
}

/** What an author's page shows of their profile besides the bio: photo, links, languages. */
function profile(p: Person): SafeHtml {
  const languages = p.languages.map(languageName);
  return html`${p.photoUrl ? html`<img class="author-photo" src="${p.photoUrl}" alt="" width="96" height="96">` : ''}
${p.links.length || p.url
  ? html`<ul class="author-links">${p.url ? html`<li><a href="${p.url}" rel="me noopener">${p.url.replace(/^https?:\/\//, '')}</a></li>` : ''}${p.links.map((l) => html`<li><a href="${l.url}" rel="me noopener">${l.label}</a></li>`)}</ul>`
  : ''}
${languages.length ? html`<p class="author-languages">${languages.join(' · ')}</p>` : ''}`;
}

/** A language's own name for itself ("العربية"), or the tag when Intl does not know it. */
function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** A section, tag or author page: a heading and one page of article cards. */
export function listingPage(v: ListingView, timeZone: string): SafeHtml {
  const t = stringsFor(v.language);
  return html`<header class="listing-header">
<h1>${v.title}</h1>
${v.profile ? profile(v.profile) : ''}
${v.description ? html`<p class="listing-description">${v.description}</p>` : ''}
</header>
${v.page.items.length
  ? html`<div class="card-grid">${v.page.items.map((a) => card(a, v.language, timeZone))}</div>`
  : html`<p class="empty">${t.noArticles}</p>`}
${pager(v.page.page, v.page.pageCount, (n) => listingPagePath(v.basePath, n), t)}`;
}

/** The front page: a lead story, the latest articles, then a block per section. */
export function homePage(v: HomeView, timeZone: string): SafeHtml {
  const t = stringsFor(v.language);
  const [lead, ...rest] = v.latest.items;
  return html`<h1 class="visually-hidden">${v.siteName}</h1>
${lead && v.latest.page === 1
  ? html`<section class="lead">
<article class="lead-story${lead.leadImage ? ' has-image' : ''}"${langAttrs(lead.language, v.language)}>
${homeLeadPicture(lead)}
<div class="lead-text">
<p class="kicker">${pinnedMark(lead)}<a href="${lead.section.path}">${lead.section.name}</a></p>
<h2 class="lead-title"><a href="${lead.path}">${lead.headline}</a></h2>
${lead.subtitle ? html`<p class="subtitle">${lead.subtitle}</p>` : ''}
<p class="card-excerpt">${lead.excerpt}</p>
<p class="card-meta">${byline(lead, stringsFor(lead.language))} ${time(lead.publishedAt, lead.language, timeZone)}${commentCount(lead)}</p>
</div>
</article>
</section>`
  : ''}
<section class="latest" aria-labelledby="latest-title">
<h2 id="latest-title" class="block-title">${t.latest}</h2>
${v.latest.items.length
  ? html`<div class="card-grid">${(v.latest.page === 1 ? rest : v.latest.items).map((a) => card(a, v.language, timeZone, 3, true))}</div>`
  : html`<p class="empty">${t.noArticles}</p>`}
${pager(v.latest.page, v.latest.pageCount, (n) => listingPagePath('/', n), t)}
</section>
${v.latest.page === 1
  ? v.sections
      .filter((s) => s.items.length)
      .map(
        (s) => html`<section class="section-block"${langAttrs(s.language, v.language)} aria-label="${s.name}">
<h2 class="block-title"><a href="${s.path}">${s.name}</a></h2>
<div class="card-grid">${s.items.map((a) => card(a, s.language, timeZone, 3))}</div>
</section>`,
      )
  : ''}`;
}
