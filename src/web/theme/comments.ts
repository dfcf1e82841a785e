// Comments under an article (the thread and the "Leave a Reply" form), the page that answers a refused
// comment (form filled in again, problems beside their fields), and the unsubscribe pages. Everything is
// escaped here, comment text included (it arrives as paragraphs of text runs and links).
import type { Identicon } from '../../comments/comment.avatar.ts';
import type { FieldName } from '../../comments/comment.errors.ts';
import type { PublicComment } from '../../comments/comment.service.ts';
import type { Paragraph } from '../../comments/comment.text.ts';
import { SafeHtml, html, trusted } from '../../lib/html.ts';
import { commentFeedPath, commentPagePath, withParam } from '../../lib/paths.ts';
import { commentStrings, type CommentStrings } from '../i18n/comments.ts';
import { directionOf, formatDate, formatNumber } from '../i18n/format.ts';
import { stringsFor } from '../i18n/site.ts';
import type { CommentsSectionView, FormView, RejectionView, UnsubscribeView } from '../theme.ts';

/** Inline SVG for a commenter's identicon; decorative, so hidden from assistive technology. */
export function identiconSvg(icon: Identicon, size = 40): SafeHtml {
  const hue = Math.trunc(icon.hue) % 360;
  const path = /^[Mhvz0-9 -]*$/.test(icon.path) ? icon.path : '';
  return new SafeHtml(
    `<svg class="comment-avatar" width="${size}" height="${size}" viewBox="-0.5 -0.5 6 6" aria-hidden="true" focusable="false"><rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl(${hue} 40% 92%)"/><path d="${path}" fill="hsl(${hue} 55% 38%)"/></svg>`,
  );
}

function required(): SafeHtml {
  return html` <span class="required" aria-hidden="true">*</span>`;
}

function fieldError(id: string, message: string | null): SafeHtml {
  return message ? html`<span class="field-error" id="${id}-error">${message}</span>` : html``;
}

function describedBy(id: string, message: string | null): SafeHtml {
  return message ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``;
}

/** The comment form, empty or filled in with what the reader sent. */
export function commentForm(f: FormView): SafeHtml {
  const t = stringsFor(f.language);
  const ct = commentStrings(f.language);
  const v = f.values;
  const say = (field: FieldName) => {
    const i = f.issues[field];
    return i ? ct.field(field, i.problem, i.params) : null;
  };
  const parent = f.replyTo ? String(f.replyTo.id) : (v?.comment_parent ?? '0');
  return html`<form class="comment-form" method="post" action="/comments" novalidate>
<p class="comment-notes">${t.emailNotPublished} <span>${t.requiredMarked}${required()}</span></p>
${f.replyTo
  ? html`<p class="replying-to">${ct.replyTo('')}<bdi>${f.replyTo.authorName}</bdi>${f.cancelHref ? html` <a href="${f.cancelHref}">${ct.cancelReply}</a>` : ''}</p>`
  : ''}
${f.articleId !== null ? html`<input type="hidden" name="article_id" value="${f.articleId}">` : ''}
<input type="hidden" name="comment_parent" value="${parent}">
<input type="hidden" name="token" value="${f.token}">
${fieldError('comment_parent', say('comment_parent'))}
<p class="field field-comment"><label for="comment">${t.comment}${required()}</label>
<textarea id="comment" name="comment" rows="7" required${describedBy('comment', say('comment'))}>${v?.comment ?? ''}</textarea>
${fieldError('comment', say('comment'))}</p>
<div class="field-row">
<p class="field"><label for="author">${t.name}${required()}</label>
<input id="author" name="author" type="text" maxlength="120" autocomplete="name" required value="${v?.author ?? ''}"${describedBy('author', say('author'))}>
${fieldError('author', say('author'))}</p>
<p class="field"><label for="email">${t.email}${required()}</label>
<input id="email" name="email" type="email" maxlength="254" autocomplete="email" required dir="ltr" value="${v?.email ?? ''}"${describedBy('email', say('email'))}>
${fieldError('email', say('email'))}</p>
<p class="field"><label for="url">${t.website}</label>
<input id="url" name="url" type="url" maxlength="200" autocomplete="url" dir="ltr" value="${v?.url ?? ''}"${describedBy('url', say('url'))}>
${fieldError('url', say('url'))}</p>
</div>
<p class="comment-hp" aria-hidden="true"><label for="homepage">${ct.honeypot}</label>
<input id="homepage" name="homepage" type="text" tabindex="-1" autocomplete="off" value=""></p>
${f.mail
  ? html`<p class="field-check"><input id="notify" name="notify" type="checkbox" value="on"${v?.notify ? trusted(' checked') : ''}> <label for="notify">${ct.notifyMe}</label></p>`
  : ''}
<p class="form-submit"><button type="submit">${t.postComment}</button></p>
</form>`;
}

/** A comment's text: a <p> per paragraph, <br> between lines, its http(s) addresses linked. */
export function commentText(paragraphs: readonly Paragraph[]): SafeHtml {
  return html`${paragraphs.map(
    (p, i) => html`${i ? '\n' : ''}<p>${p.lines.map((line, j) => html`${j ? html`<br>\n` : ''}${line.map((run) => (run.href ? html`<a href="${run.href}" rel="nofollow ugc noopener">${run.text}</a>` : run.text))}`)}</p>`,
  )}`;
}

/** What every comment of a page shares: the page's address (permalinks and "Reply" stay on it) and words. */
interface ItemContext {
  pagePath: string;
  language: string;
  ct: CommentStrings;
  open: boolean;
  timeZone: string;
}

function commentItem(c: PublicComment, x: ItemContext): SafeHtml {
  const { pagePath, language, ct, open, timeZone } = x;
  const name = c.authorUrl ? html`<a class="comment-author-name" href="${c.authorUrl}" rel="nofollow ugc noopener"><bdi>${c.authorName}</bdi></a>` : html`<bdi class="comment-author-name">${c.authorName}</bdi>`;
  // Staff replies are marked by a word, not only a style, so every reader (and screen reader) gets it.
  const staff = c.staff ? html` <span class="comment-staff">${ct.staff}</span>` : '';
  return html`<li class="${c.staff ? 'comment comment-by-staff' : 'comment'}" id="comment-${c.id}">
<article class="comment-body" aria-labelledby="comment-${c.id}-author">
<header class="comment-meta">
${identiconSvg(c.avatar)}
<p class="comment-author" id="comment-${c.id}-author">${name}${staff} <span class="says">${ct.says}:</span></p>
<p class="comment-date"><a href="${pagePath}#comment-${c.id}" title="${ct.permalink}"><time datetime="${c.createdAt}">${formatDate(c.createdAt, language, timeZone)}</time></a></p>
</header>
<div class="comment-content">${commentText(c.paragraphs)}</div>
${open && c.canReply ? html`<p class="comment-reply"><a rel="nofollow" href="${withParam(pagePath, 'replytocom', c.id)}#respond" aria-label="${ct.replyTo(c.authorName)}">${ct.reply}</a></p>` : ''}
</article>
${c.children.length ? html`<ol class="comment-children">${c.children.map((child) => commentItem(child, x))}</ol>` : ''}
</li>`;
}

/**
 * Page numbers to show around the current one: the first, the last and one either side; null is a gap.
 * At most seven items, so that the line fits a phone's width.
 */
export function pageWindow(current: number, count: number, around = 1): (number | null)[] {
  const shown: (number | null)[] = [];
  for (let n = 1; n <= count; n++) {
    const near = n === 1 || n === count || Math.abs(n - current) <= around;
    // A gap of one page shows that page instead: "…" would take as much room.
    const lone = Math.abs(n - current) === around + 1 && (n === 2 || n === count - 1);
    if (near || lone) shown.push(n);
    else if (shown.at(-1) !== null) shown.push(null);
  }
  return shown;
}

/**
 * The way between an article's comment pages, in reading order: back, the page numbers, on. Oldest-first
 * pages read 1, 2, 3 towards newer comments; newest-first pages read from the last page towards page 1.
 * Arrows point along the line, so they turn round on right-to-left pages.
 */
function commentPagesNav(s: CommentsSectionView, ct: CommentStrings): SafeHtml {
  const { current, count, default: first, order } = s.view.pages;
  if (count <= 1) return html``;
  const href = (n: number) => `${commentPagePath(s.articlePath, n, first)}#comments`;
  const [backArrow, onArrow] = directionOf(s.language) === 'rtl' ? ['→', '←'] : ['←', '→'];
  const step = order === 'oldest-first' ? 1 : -1;
  const back = current - step >= 1 && current - step <= count ? current - step : null;
  const on = current + step >= 1 && current + step <= count ? current + step : null;
  const label = (n: number) => (n < current ? ct.olderComments : ct.newerComments);
  const numbers = order === 'oldest-first' ? pageWindow(current, count) : pageWindow(current, count).reverse();
  const number = (n: number | null) =>
    n === null
      ? html`<li class="comment-pages-gap" aria-hidden="true">…</li>`
      : n === current
        ? html`<li><span aria-current="page">${formatNumber(s.language, n)}</span></li>`
        : html`<li><a href="${href(n)}" aria-label="${ct.commentPage(n)}">${formatNumber(s.language, n)}</a></li>`;
  return html`<nav class="comment-pages" aria-label="${ct.commentPages}">
${back !== null ? html`<a class="comment-pages-back" rel="prev" href="${href(back)}"><span aria-hidden="true">${backArrow}</span> ${label(back)}</a>` : ''}
<ol class="comment-pages-numbers">${numbers.map(number)}</ol>
${on !== null ? html`<a class="comment-pages-on" rel="next" href="${href(on)}">${label(on)} <span aria-hidden="true">${onArrow}</span></a>` : ''}
</nav>`;
}

/** The comments and the "Leave a Reply" section of an article page. */
export function commentsSection(s: CommentsSectionView, timeZone: string): SafeHtml {
  const t = stringsFor(s.language);
  const ct = commentStrings(s.language);
  const v = s.view;
  const notice = s.notice === 'held' ? ct.noticeHeld : s.notice === 'approved' ? ct.noticeApproved : null;
  const pagePath = commentPagePath(s.articlePath, v.pages.current, v.pages.default);
  const item: ItemContext = { pagePath, language: s.language, ct, open: v.open, timeZone };
  return html`${v.count
  ? html`<section class="comments" id="comments" aria-labelledby="comments-title">
<h2 id="comments-title">${ct.commentsTitle(v.count)}</h2>
<ol class="comment-list">
${v.thread.map((c) => commentItem(c, item))}
</ol>
${commentPagesNav(s, ct)}
<p class="comments-feed"><a href="${commentFeedPath(s.articlePath)}" type="application/rss+xml">${ct.feed}</a></p>
</section>`
  : ''}
<section class="respond" id="respond" aria-labelledby="reply-title">
<h2 id="reply-title">${t.leaveReply}</h2>
${notice ? html`<p class="comment-notice" role="status">${notice}</p>` : ''}
${v.open
  ? html`${commentForm({
      articleId: s.articleId,
      token: '',
      language: s.language,
      replyTo: v.replyTo,
      cancelHref: v.replyTo ? `${pagePath}#respond` : null,
      values: null,
      issues: {},
      mail: s.mail,
    })}
<script src="${s.formScript}" defer></script>`
  : html`<p class="comments-closed">${t.commentsClosed}</p>`}
</section>`;
}

/** The private answer to a refused comment: what went wrong, and the reader's text kept. */
export function rejectionPage(r: RejectionView): SafeHtml {
  const ct = commentStrings(r.language);
  return html`<div class="comment-rejected">
<h1>${ct.notPostedTitle}</h1>
<p class="comment-problem" role="alert">${ct.problem(r.problem, r.params)}</p>
<p>${ct.notPostedIntro}</p>
${r.article ? html`<p><a href="${r.article.path}">${ct.backToArticle}: ${r.article.headline}</a></p>` : ''}
${r.form
  ? html`<section class="respond" id="respond" aria-labelledby="reply-title">
<h2 id="reply-title">${stringsFor(r.language).leaveReply}</h2>
${commentForm(r.form)}
</section>`
  : r.typed
    ? html`<p><label for="typed">${stringsFor(r.language).comment}</label></p><textarea id="typed" class="typed-text" rows="7" readonly>${r.typed}</textarea>`
    : ''}
</div>`;
}

/** Asks before unsubscribing (mail scanners follow links, so only the button's POST acts), says it is done, or says why not. */
export function unsubscribePage(u: UnsubscribeView): SafeHtml {
  const ct = commentStrings(u.language);
  const body = (() => {
    switch (u.state) {
      case 'ask':
        return html`<p>${ct.unsubscribeText}</p>
<form method="post" action="/comments/unsubscribe/${u.key}"><p class="form-submit"><button type="submit">${ct.unsubscribeButton}</button></p></form>`;
      case 'done':
        return html`<p role="status">${ct.unsubscribedText}</p>`;
      case 'invalid':
        return html`<p role="alert">${ct.unsubscribeInvalid}</p>`;
      case 'cross_site':
        return html`<p role="alert">${ct.unsubscribeCrossSite}</p>`;
      case 'rate_limited':
        return html`<p role="alert">${ct.unsubscribeRateLimited(u.wait)}</p>`;
    }
  })();
  return html`<div class="error-page">
<h1>${ct.unsubscribeTitle}</h1>
${body}
</div>`;
}
