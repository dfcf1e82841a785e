// The moderation pages of /admin (issue 11, part 6): the queue with a tab per state and its count, the
// article filter, checkboxes with bulk buttons, and one comment's page with its correction and staff
// reply forms. Plain forms: nothing here needs JavaScript. Readers' addresses are shown here, to staff,
// and nowhere public. Views take the comment service's models (types only, as every web module).
import type { ArticleChoice, BulkAction, QueueArticle, QueueView, StaffComment } from '../../comments/comment.moderation.ts';
import type { CommentStatus } from '../../db/schema.ts';
import { html, type SafeHtml } from '../../lib/html.ts';
import { button, csrfField, errorSummary, listTime, notice, selectField, textArea, textField } from './forms.ts';

const STATES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'trash'];
const STATE_LABEL: Record<CommentStatus, string> = { pending: 'Pending', approved: 'Approved', spam: 'Spam', trash: 'Trash' };

/** The bulk buttons each tab offers, in order. */
const TAB_ACTIONS: Record<CommentStatus, readonly BulkAction[]> = {
  pending: ['approve', 'spam', 'trash'],
  approved: ['unapprove', 'spam', 'trash'],
  spam: ['restore', 'trash'],
  trash: ['restore', 'spam'],
};
const ACTION_LABEL: Record<BulkAction, string> = { approve: 'Approve', unapprove: 'Unapprove', spam: 'Mark as spam', trash: 'Move to trash', restore: 'Restore to pending' };
const ACTION_KIND: Record<BulkAction, 'primary' | 'secondary' | 'danger'> = { approve: 'primary', unapprove: 'secondary', spam: 'danger', trash: 'danger', restore: 'secondary' };
/** What a finished bulk action says, by action. */
const ACTION_DONE: Record<BulkAction, string> = { approve: 'approved', unapprove: 'moved back to pending', spam: 'marked as spam', trash: 'moved to the trash', restore: 'restored to pending' };

/** The address of a queue view; page 1 and the whole site are left out. */
export function queuePath(q: { status: CommentStatus; articleId?: number | null; page?: number }): string {
  const params = new URLSearchParams({ status: q.status });
  if (q.articleId) params.set('article', String(q.articleId));
  if (q.page && q.page > 1) params.set('page', String(q.page));
  return `/admin/comments?${params}`;
}

export const commentAdminPath = (id: number) => `/admin/comments/${id}`;

const countWord = (n: number) => (n === 1 ? '1 comment' : `${n} comments`);

/** The sentence after a bulk action. */
export function bulkNotice(action: BulkAction, moved: number): string {
  return `${countWord(moved)} ${ACTION_DONE[action]}.`;
}

/** A reader's text as paragraphs, every character escaped. */
function bodyText(body: string): SafeHtml {
  return html`${body
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => html`<p>${p.split('\n').map((line, i) => (i ? html`<br>${line}` : line))}</p>`)}`;
}

function authorCell(c: StaffComment): SafeHtml {
  return html`<p class="moderation-author"><bdi>${c.authorName}</bdi>${c.staff ? html` <span class="moderation-staff">Staff</span>` : ''}</p>
<p class="moderation-private">${c.authorEmail}</p>
${c.authorUrl ? html`<p><a href="${c.authorUrl}" rel="nofollow noopener noreferrer">${c.authorUrl}</a></p>` : ''}
${c.ip ? html`<p class="moderation-private">IP ${c.ip}</p>` : ''}`;
}

/** Where the comment is (or would be) on the public site. */
function articleLink(c: StaffComment): SafeHtml {
  if (!c.articlePath) return html`<span>(article removed)</span>`;
  return html`<a href="${c.status === 'approved' ? `/comments/${c.id}` : c.articlePath}">${c.articlePath}</a>`;
}

function commentRow(c: StaffComment): SafeHtml {
  return html`<tr id="comment-${c.id}">
<td><input type="checkbox" name="ids" value="${c.id}" id="select-${c.id}" aria-describedby="comment-${c.id}-by"><label for="select-${c.id}">#${c.id}</label></td>
<td id="comment-${c.id}-by">${authorCell(c)}</td>
<td>
<div class="moderation-body">${bodyText(c.body)}</div>
${c.parentId ? html`<p class="moderation-meta">Reply to <a href="${commentAdminPath(c.parentId)}">#${c.parentId}</a></p>` : ''}
${c.note ? html`<p class="moderation-meta">Held because: ${c.note}</p>` : ''}
<p><a href="${commentAdminPath(c.id)}">Edit or reply<span class="visually-hidden"> to #${c.id}</span></a></p>
</td>
<td>${articleLink(c)}</td>
<td>${listTime(c.createdAt, 16, { utc: true })}</td>
</tr>`;
}

function tabs(view: QueueView): SafeHtml {
  return html`<nav class="moderation-tabs" aria-label="Comment states"><ul>${STATES.map(
    (s) => html`<li><a href="${queuePath({ status: s, articleId: view.article?.id })}"${s === view.status ? html` aria-current="page"` : ''}>${STATE_LABEL[s]} <span class="moderation-count">(${view.counts[s]})</span></a></li>`,
  )}</ul></nav>`;
}

function articleFilter(view: QueueView): SafeHtml {
  const choices: ArticleChoice[] = view.article && !view.articles.some((a) => a.id === view.article!.id) ? [{ id: view.article.id, path: view.article.path, comments: 0 }, ...view.articles] : view.articles;
  return html`<form method="get" action="/admin/comments" class="moderation-filter">
<input type="hidden" name="status" value="${view.status}">
${selectField({ name: 'article', label: 'Article', value: view.article ? String(view.article.id) : '', options: [{ value: '', label: 'All articles' }, ...choices.map((a) => ({ value: String(a.id), label: `${a.path} (${a.comments})` }))] })}
${button('Show', { kind: 'secondary' })}
</form>`;
}

/** The open/close form of the article the queue is filtered by (published articles only). */
function openCloseForm(article: QueueArticle, status: CommentStatus, csrfToken: string): SafeHtml {
  if (article.commentsOpen === null) return html`<p class="moderation-article">The article at ${article.path} is not published.</p>`;
  const open = article.commentsOpen;
  return html`<form method="post" action="/admin/comments/articles/${article.id}/open" class="moderation-article">
${csrfField(csrfToken)}
<input type="hidden" name="open" value="${open ? '0' : '1'}">
<input type="hidden" name="status" value="${status}">
<p>Comments on <a href="${article.path}"><bdi>${article.headline ?? article.path}</bdi></a> are <strong>${open ? 'open' : 'closed'}</strong>.</p>
${button(open ? 'Close comments' : 'Open comments', { kind: 'secondary' })}
</form>`;
}

function pager(view: QueueView): SafeHtml {
  if (view.pageCount <= 1) return html``;
  const at = (page: number) => queuePath({ status: view.status, articleId: view.article?.id, page });
  return html`<nav class="moderation-pages" aria-label="Queue pages"><p>Page ${view.page} of ${view.pageCount}</p><ul>
${view.page > 1 ? html`<li><a href="${at(view.page - 1)}" rel="prev">Newer comments</a></li>` : ''}
${view.page < view.pageCount ? html`<li><a href="${at(view.page + 1)}" rel="next">Older comments</a></li>` : ''}
</ul></nav>`;
}

export interface QueuePageOptions {
  csrfToken: string;
  /** What the last action did, shown once. */
  notice?: string | null;
  errors?: Record<string, string>;
}

/** The moderation queue: tabs with counts, the article filter, and the comments of one state with bulk buttons. */
export function moderationQueuePage(view: QueueView, o: QueuePageOptions): SafeHtml {
  const label = STATE_LABEL[view.status].toLowerCase();
  const errors = o.errors ?? {};
  return html`<h1>Comments</h1>
${o.notice ? notice('success', o.notice) : ''}
${errorSummary(errors)}
${tabs(view)}
${articleFilter(view)}
${view.article ? openCloseForm(view.article, view.status, o.csrfToken) : ''}
<form method="post" action="/admin/comments/bulk" class="moderation-bulk">
${csrfField(o.csrfToken)}
<input type="hidden" name="status" value="${view.status}">
${view.article ? html`<input type="hidden" name="article" value="${view.article.id}">` : ''}
<input type="hidden" name="page" value="${view.page}">
${errors.ids ? html`<p id="ids" class="field-error">${errors.ids}</p>` : ''}
${
  view.items.length
    ? html`<div class="moderation-actions" role="group" aria-label="With the chosen comments">
${TAB_ACTIONS[view.status].map((a) => button(ACTION_LABEL[a], { name: 'action', value: a, kind: ACTION_KIND[a] }))}
</div>
<table class="list moderation-table">
<caption>${STATE_LABEL[view.status]} comments${view.article ? html` on ${view.article.path}` : ''}: ${view.counts[view.status]}</caption>
<thead><tr><th scope="col">Choose</th><th scope="col">Author</th><th scope="col">Comment</th><th scope="col">Article</th><th scope="col">Written</th></tr></thead>
<tbody>${view.items.map(commentRow)}</tbody>
</table>`
    : html`<p>No ${label} comments${view.article ? ' on this article' : ''}.</p>`
}
</form>
${pager(view)}`;
}

export interface CommentPageOptions {
  csrfToken: string;
  notice?: string | null;
  /** The correction form as typed, when it was refused. */
  edit?: { authorName: string; authorUrl: string; body: string; errors: Record<string, string> };
  reply?: { text: string; errors: Record<string, string> };
}

/**
 * One comment: what staff know of it, its state buttons, its correction form and the staff reply form.
 * The website field is type=text (inputmode url): a refused address comes back as typed, which a
 * type=url input may not hold in valid HTML.
 */
export function moderationCommentPage(c: StaffComment, o: CommentPageOptions): SafeHtml {
  const edit = o.edit ?? { authorName: c.authorName, authorUrl: c.authorUrl ?? '', body: c.body, errors: {} };
  const reply = o.reply ?? { text: '', errors: {} };
  const actions = TAB_ACTIONS[c.status];
  return html`<p><a href="${queuePath({ status: c.status, articleId: c.articleId })}">Back to the ${STATE_LABEL[c.status].toLowerCase()} comments</a></p>
<h1>Comment #${c.id}</h1>
${o.notice ? notice('success', o.notice) : ''}
${errorSummary({ ...edit.errors, ...reply.errors })}
<dl class="moderation-facts">
<dt>State</dt><dd>${STATE_LABEL[c.status]}</dd>
<dt>Article</dt><dd>${articleLink(c)}</dd>
<dt>Author</dt><dd><bdi>${c.authorName}</bdi>${c.staff ? html` <span class="moderation-staff">Staff</span>` : ''}</dd>
<dt>Email</dt><dd class="moderation-private">${c.authorEmail}</dd>
${c.ip ? html`<dt>IP</dt><dd class="moderation-private">${c.ip}</dd>` : ''}
<dt>Written</dt><dd>${listTime(c.createdAt, 16, { utc: true })}</dd>
${c.parentId ? html`<dt>Reply to</dt><dd><a href="${commentAdminPath(c.parentId)}">#${c.parentId}</a></dd>` : ''}
${c.note ? html`<dt>Held because</dt><dd>${c.note}</dd>` : ''}
</dl>
<form method="post" action="/admin/comments/bulk" class="moderation-actions">
${csrfField(o.csrfToken)}
<input type="hidden" name="ids" value="${c.id}">
<input type="hidden" name="back" value="comment">
${actions.map((a) => button(ACTION_LABEL[a], { name: 'action', value: a, kind: ACTION_KIND[a] }))}
</form>
<section aria-labelledby="edit-heading">
<h2 id="edit-heading">Correct the comment</h2>
<form method="post" action="${commentAdminPath(c.id)}/edit" novalidate>
${csrfField(o.csrfToken)}
${textField({ name: 'author_name', label: 'Name', value: edit.authorName, error: edit.errors.author_name, required: true, maxlength: 120 })}
${textField({ name: 'author_url', label: 'Website', value: edit.authorUrl, error: edit.errors.author_url, inputmode: 'url', hint: 'An address starting with http:// or https://; leave empty for none.' })}
${textArea({ name: 'body', label: 'Comment', value: edit.body, error: edit.errors.body, rows: 8 })}
${button('Save changes')}
</form>
</section>
<section aria-labelledby="reply-heading">
<h2 id="reply-heading">Reply as staff</h2>
<form method="post" action="${commentAdminPath(c.id)}/reply" novalidate>
${csrfField(o.csrfToken)}
${textArea({ name: 'reply', label: 'Reply', value: reply.text, error: reply.errors.reply, rows: 6, hint: c.status === 'approved' ? 'Published at once under your name, marked as staff. Your email address is never shown.' : 'Published at once under your name, marked as staff; this comment is approved with it. Your email address is never shown.' })}
${button('Publish reply')}
</form>
</section>`;
}
