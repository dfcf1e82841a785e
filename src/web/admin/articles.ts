// The article screens of the newsroom: the list (filters, status labels), the edit form (every field,
// sources rows, workflow buttons as the role allows, lock banner, search/social preview, notes), the
// stale-save conflict (both versions), revisions with their field-level diff and restore.
// Content fields take the direction of the article's language; the screens themselves are English.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import type { EditorListItem, FieldDiff, RevisionSummary } from '../../articles/article.workflow.ts';
import { bodyField } from './body-field.ts';
import { leadImageField, type LeadImagePreview } from './media-picker.ts';
import { button, checkboxField, csrfField, errorSummary, listTime, notice, selectField, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;
type Option = { value: string; label: string };

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  review: 'In review',
  ready: 'Ready',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};
const STATUS_CLASS: Record<ArticleStatus, string> = {
  draft: 'label-muted',
  review: 'label-warn',
  ready: 'label-warn',
  scheduled: 'label-info',
  published: 'label-ok',
  unpublished: 'label-muted',
};

export const statusLabel = (s: ArticleStatus): SafeHtml => html`<span class="label ${STATUS_CLASS[s]}">${STATUS_LABELS[s]}</span>`;

const when = (iso: string | null) => (iso ? listTime(iso, 16, { utc: true }) : html`—`);

/** Languages offered in the form; text direction follows them. */
export const LANGUAGES: readonly (Option & { dir: 'ltr' | 'rtl' })[] = [
  { value: 'en', label: 'English', dir: 'ltr' },
  { value: 'ar', label: 'Arabic (العربية)', dir: 'rtl' },
  { value: 'fa', label: 'Persian (فارسی)', dir: 'rtl' },
];
export const directionOf = (language: string): 'ltr' | 'rtl' => (/^(ar|fa|he|ur|ps|ckb|yi|dv)(-|$)/.test(language) ? 'rtl' : 'ltr');

// ---- the list ----

export interface ArticleListView {
  items: readonly (EditorListItem & { ownerName: string | null; editable: boolean })[];
  filter: { status: string; section: string; author: string; language: string; q: string };
  sections: readonly Option[];
  total: number;
  page: number;
  pageCount: number;
  message?: string;
}

function listQuery(f: ArticleListView['filter'], page: number): string {
  const params = new URLSearchParams(Object.entries({ ...f, page: page > 1 ? String(page) : '' }).filter(([, v]) => v !== ''));
  const q = params.toString();
  return q ? `/admin/articles?${q}` : '/admin/articles';
}

export function articleListPage(v: ArticleListView): SafeHtml {
  const statusOptions = [{ value: '', label: 'Any status' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))];
  const languageOptions = [{ value: '', label: 'Any language' }, ...LANGUAGES];
  return html`<h1>Articles</h1>
${v.message ? notice('success', v.message) : ''}
<p><a class="button primary" href="/admin/articles/new">New article</a></p>
<form method="get" action="/admin/articles" class="filters panel" role="search" aria-label="Filter articles">
${textField({ name: 'q', label: 'Search headlines', type: 'search', value: v.filter.q, id: 'filter-q' })}
${selectField({ name: 'status', label: 'Status', value: v.filter.status, options: statusOptions, id: 'filter-status' })}
${selectField({ name: 'section', label: 'Section', value: v.filter.section, options: [{ value: '', label: 'Any section' }, ...v.sections], id: 'filter-section' })}
${textField({ name: 'author', label: 'Author', value: v.filter.author, id: 'filter-author', hint: 'An author’s slug' })}
${selectField({ name: 'language', label: 'Language', value: v.filter.language, options: languageOptions, id: 'filter-language' })}
<div class="actions"><button type="submit" class="button secondary">Filter</button></div>
</form>
<p role="status">${v.total === 1 ? '1 article' : `${v.total} articles`}</p>
${v.items.length
  ? html`<table class="list">
<caption class="visually-hidden">Articles, most recently changed first</caption>
<thead><tr><th scope="col">Headline</th><th scope="col">Status</th><th scope="col">Section</th><th scope="col">Language</th><th scope="col">Owner</th><th scope="col">Changed</th></tr></thead>
<tbody>
${v.items.map(
  (a) => html`<tr>
<td>${a.editable ? html`<a href="/admin/articles/${a.id}" dir="auto">${a.headline}</a>` : html`<span dir="auto">${a.headline}</span>`}${a.status === 'published' ? html` <a class="hint" href="${a.path}">view<span class="visually-hidden"> “${a.headline}” on the site</span></a>` : ''}</td>
<td>${statusLabel(a.status)}${a.status === 'scheduled' ? html`<br><span class="hint">${when(a.scheduledAt)}</span>` : ''}</td>
<td>${a.sectionName}</td><td>${a.language}</td><td>${a.ownerName ?? '—'}</td><td>${when(a.updatedAt)}</td>
</tr>`,
)}
</tbody>
</table>`
  : html`<p>No article matches.</p>`}
${v.pageCount > 1
  ? html`<nav class="pager" aria-label="Pages">${v.page > 1 ? html`<a href="${listQuery(v.filter, v.page - 1)}">Newer</a> ` : ''}<span>Page ${v.page} of ${v.pageCount}</span>${
      v.page < v.pageCount ? html` <a href="${listQuery(v.filter, v.page + 1)}">Older</a>` : ''
    }</nav>`
  : ''}`;
}

// ---- the form ----

/** A source row as the form shows it (strings, as typed). */
export interface SourceRow {
  name: string;
  description: string;
  url: string;
  kind: string;
  role: string;
  /** Index (in this list) of the source it relays, or ''. */
  relays: string;
  /** The id of the stored document the source rests on, or ''. */
  document: string;
}

/** A document a source may cite, for the picker. */
export interface DocumentOption {
  value: string;
  label: string;
}

/** Every field of the form, as typed. */
export interface ArticleFormValues {
  headline: string;
  subtitle: string;
  slug: string;
  section: string;
  tags: string;
  language: string;
  summary: string;
  body: string;
  /** markdown, or html once the body editor has written it. */
  bodyFormat: 'markdown' | 'html';
  /** A Markdown body's rendered HTML, for the body editor to open it. */
  bodyHtml: string | null;
  authors: string;
  sources: SourceRow[];
  pin: string;
  commentsOpen: boolean;
  /** The lead image's library number, as typed (empty for none). */
  leadImageId: string;
  /** This article's crop of it, "x,y,w,h" in thousandths, as typed (empty for the whole picture). */
  leadImageCrop: string;
  imageUrl: string;
  imageAlt: string;
  scheduledAt: string;
  /** The search and social title and description; empty: the headline, and the subtitle or summary. */
  seoTitle: string;
  seoDescription: string;
}

export interface ArticleActions {
  save: boolean;
  submit: boolean;
  ready: boolean;
  schedule: boolean;
  publish: boolean;
  unpublish: boolean;
  /** Pin to or unpin from the home page (editors). */
  pin: boolean;
}

export interface ArticleFormView {
  csrfToken: string;
  /** The site's time zone, in which "Publish at" is read. */
  timeZone: string;
  /** null for a new article. */
  article: { id: number; version: number; status: ArticleStatus; path: string; scheduledAt: string | null; publishedAt: string | null; updatedAt: string; homePinned: boolean } | null;
  values: ArticleFormValues;
  fields: Fields;
  /** The library picture the lead image field names, when it exists. */
  leadImage: LeadImagePreview | null;
  /** The SEO title's limit and how many characters of each text search results show in full (the articles service's numbers). */
  seoLengths: { titleMax: number; titleShown: number; descriptionShown: number };
  sections: readonly Option[];
  /** Documents a source may cite. */
  documents: readonly DocumentOption[];
  actions: ArticleActions;
  /** Someone else holds the lock: the form is read-only until it is taken over. */
  lockedBy: { name: string; since: string } | null;
  notes: readonly { author: string; body: string; createdAt: string }[];
  noteError?: string;
  /** A save refused because the article changed since: the current version and what differs from what was typed. */
  conflict?: { version: number; savedAt: string; differences: readonly FieldDiff[] };
  message?: string;
  problem?: string;
}

const KINDS: readonly Option[] = [
  { value: 'outlet', label: 'Outlet (newspaper, broadcaster)' },
  { value: 'agency', label: 'Agency' },
  { value: 'document', label: 'Document' },
  { value: 'person', label: 'Person' },
];
const ROLES: readonly Option[] = [
  { value: 'reported', label: 'Reported it' },
  { value: 'relayed', label: 'Relayed it' },
  { value: 'quoted', label: 'Was quoted' },
  { value: 'obtained', label: 'Obtained (a document)' },
];

function sourceRow(v: ArticleFormView, s: SourceRow, i: number, count: number): SafeHtml {
  const id = (f: string) => `sources.${i}.${f}`;
  const others = v.values.sources.map((o, j) => ({ value: String(j), label: `${j + 1}. ${o.name || '(no name yet)'}` })).filter((o) => o.value !== String(i));
  return html`<fieldset class="source-row" data-source-row>
<legend>Source ${i + 1}</legend>
<div class="source-grid">
${textField({ name: id('name'), label: 'Name', value: s.name, error: v.fields[id('name')] })}
${textField({ name: id('description'), label: 'Who or what it is', value: s.description, error: v.fields[id('description')] })}
${textField({ name: id('url'), label: 'URL', type: 'url', value: s.url, error: v.fields[id('url')] })}
${selectField({ name: id('kind'), label: 'Kind', value: s.kind, options: KINDS, error: v.fields[id('kind')] })}
${selectField({ name: id('role'), label: 'Role', value: s.role, options: ROLES, error: v.fields[id('role')] })}
${selectField({ name: id('relays'), label: 'Relays', value: s.relays, options: [{ value: '', label: 'No other source' }, ...others], error: v.fields[id('relays')] })}
${selectField({ name: id('document'), label: 'Document', value: s.document, options: [{ value: '', label: 'None' }, ...v.documents], error: v.fields[id('document')], hint: 'A primary document it rests on: upload it under Documents first. Readers see its SHA-256.' })}
</div>
<div class="actions">
${i > 0 ? button('Move up', { name: 'action', value: `up:${i}` }) : ''}
${i < count - 1 ? button('Move down', { name: 'action', value: `down:${i}` }) : ''}
${button(`Remove source ${i + 1}`, { name: 'action', value: `remove:${i}`, kind: 'danger' })}
</div>
</fieldset>`;
}

/** "SEO title: 42 characters; about 60 show in full…": the count the editor script keeps up to date as they type. */
export function lengthHint(what: string, length: number, shown: number): string {
  return `${what}: ${length} ${length === 1 ? 'character' : 'characters'}; about ${shown} show in full in search results and social cards.${length > shown ? ' This one will be cut.' : ''}`;
}

/**
 * The search and social texts (decision 0033) and how search results and social cards will show the
 * article, with the lengths that fit. Left empty, the SEO title is the headline (with the site's name)
 * and the SEO description the subtitle, or the summary when there is none.
 */
function previewBox(v: ArticleFormView, dir: 'ltr' | 'rtl'): SafeHtml {
  const { titleMax, titleShown, descriptionShown } = v.seoLengths;
  const title = v.values.seoTitle || v.values.headline;
  const description = v.values.seoDescription || v.values.subtitle || v.values.summary;
  return html`<section class="panel search-preview" aria-labelledby="preview-heading" data-search-preview>
<h2 id="preview-heading">Search and social</h2>
${textField({ name: 'seo_title', label: 'SEO title', value: v.values.seoTitle, error: v.fields.seo_title, dir, maxlength: titleMax, hint: 'The title search results and social cards show instead of the headline; the page’s headline does not change. Empty: the headline and the site’s name.' })}
<p class="hint length-count" data-length-of="title" data-length-shown="${String(titleShown)}" aria-live="polite">${lengthHint(v.values.seoTitle ? 'SEO title' : 'Title (the headline)', title.length, titleShown)}</p>
${textArea({ name: 'seo_description', label: 'SEO description', value: v.values.seoDescription, error: v.fields.seo_description, rows: 2, dir, hint: 'The description search results and social cards show. Empty: the subtitle, or the summary when there is none.' })}
<p class="hint length-count" data-length-of="description" data-length-shown="${String(descriptionShown)}" aria-live="polite">${lengthHint(v.values.seoDescription ? 'SEO description' : 'Description (the subtitle or summary)', description.length, descriptionShown)}</p>
<h3 class="preview-heading">Preview</h3>
<div class="serp" dir="${dir}">
<p class="serp-title" data-preview-title>${title || 'Headline'}</p>
<p class="serp-url">${v.article ? v.article.path : '/section/slug'}</p>
<p class="serp-description" data-preview-description>${description || 'The subtitle (or the summary) is shown here.'}</p>
</div>
</section>`;
}

/** Where the article stands on the home page, and the editors' button to pin or unpin it (saving what was typed first). */
function homePinBox(v: ArticleFormView): SafeHtml {
  const a = v.article;
  if (!a) return html``;
  const state = a.homePinned
    ? html`<p>Pinned: it leads the home page${a.status === 'published' ? '' : ' once it is published'}, above the latest articles.</p>`
    : html`<p>Not pinned: the home page lists it by its publication time.</p>`;
  return html`<section class="panel home-pin" aria-labelledby="home-pin-heading">
<h2 id="home-pin-heading">Home page</h2>
${state}
${v.actions.pin
  ? html`<div class="actions">${a.homePinned ? button('Unpin from the home page', { name: 'action', value: 'unpin' }) : button('Pin to the home page', { name: 'action', value: 'pin' })}</div>`
  : html`<p class="hint">Editors pin articles to the home page.</p>`}
</section>`;
}

function lockBanner(v: ArticleFormView): SafeHtml {
  if (!v.lockedBy || !v.article) return html``;
  return html`<div class="notice notice-error lock-banner" role="alert">
<p><strong>${v.lockedBy.name}</strong> is editing this article (since ${when(v.lockedBy.since)}). You can read it; to edit it, take over. Their unsaved changes will not be saved over yours.</p>
<form method="post" action="/admin/articles/${v.article.id}/lock">${csrfField(v.csrfToken)}<input type="hidden" name="take_over" value="1">${button('Take over', { kind: 'primary' })}</form>
</div>`;
}

function conflictBox(v: ArticleFormView): SafeHtml {
  if (!v.conflict || !v.article) return html``;
  return html`<section class="notice notice-error conflict" role="alert" aria-labelledby="conflict-heading">
<h2 id="conflict-heading">Someone saved this article after you opened it</h2>
<p>Nothing was saved. The article is now at version ${v.conflict.version} (saved ${when(v.conflict.savedAt)}). Below are the differences between that version and yours; your text is in the form. <a href="/admin/articles/${v.article.id}">Open the current version</a> (your changes will be lost), or press a button again to save yours over it.</p>
${diffTable(v.conflict.differences, 'Current version', 'Yours')}
</section>`;
}

/** The fields that differ, each as lines removed (the first version) and added (the second). */
export function diffTable(fields: readonly FieldDiff[], removed: string, added: string, level: 2 | 3 = 3): SafeHtml {
  if (!fields.length) return html`<p>No field differs.</p>`;
  return html`<div class="diff">
${fields.map(
  (f) => html`<div class="diff-field">
${level === 2 ? html`<h2>${f.label}</h2>` : html`<h3>${f.label}</h3>`}
<ol class="diff-lines">
${f.lines.map((l) =>
  l.op === 'same'
    ? html`<li class="diff-same" dir="auto">${l.text || '\u00a0'}</li>`
    : l.op === 'removed'
      ? html`<li class="diff-removed" dir="auto"><del><span class="visually-hidden">${removed}: </span>${l.text || '\u00a0'}</del></li>`
      : html`<li class="diff-added" dir="auto"><ins><span class="visually-hidden">${added}: </span>${l.text || '\u00a0'}</ins></li>`,
)}
</ol>
</div>`,
)}
</div>`;
}

function workflowButtons(v: ArticleFormView): SafeHtml {
  const a = v.actions;
  const published = v.article?.status === 'published';
  return html`<div class="actions workflow-actions">
${a.save ? button(published ? 'Save changes' : 'Save draft', { name: 'action', value: 'save', kind: published ? 'primary' : 'secondary' }) : ''}
${a.submit ? button('Submit for review', { name: 'action', value: 'submit' }) : ''}
${a.ready ? button('Mark ready', { name: 'action', value: 'ready' }) : ''}
${a.schedule ? button('Schedule', { name: 'action', value: 'schedule' }) : ''}
${a.publish ? button('Publish', { name: 'action', value: 'publish', kind: 'primary' }) : ''}
${a.unpublish ? button(v.article?.status === 'scheduled' ? 'Unschedule' : 'Unpublish', { name: 'action', value: 'unpublish', kind: 'danger' }) : ''}
</div>`;
}

export function articleFormPage(v: ArticleFormView): SafeHtml {
  const a = v.article;
  const dir = directionOf(v.values.language);
  const action = a ? `/admin/articles/${a.id}` : '/admin/articles/new';
  const readOnly = v.lockedBy !== null;
  const languageOptions = LANGUAGES.some((l) => l.value === v.values.language) ? LANGUAGES : [...LANGUAGES, { value: v.values.language, label: v.values.language, dir }];
  return html`<p class="breadcrumb"><a href="/admin/articles">Articles</a></p>
<h1 dir="auto">${a ? v.values.headline || 'Untitled' : 'New article'}</h1>
${a
  ? html`<p class="lead">${statusLabel(a.status)} · version ${a.version}${a.status === 'scheduled' ? html` · publishes ${when(a.scheduledAt)}` : ''}${
      a.publishedAt && a.status === 'published' ? html` · published ${when(a.publishedAt)} · <a href="${a.path}">view on the site</a>` : ''
    }${a.homePinned ? html` · <span class="label label-info">Pinned to the home page</span>` : ''} · <a href="/admin/articles/${a.id}/preview" target="_blank" rel="noopener">Preview<span class="visually-hidden"> (opens in a new tab)</span></a> · <a href="/admin/articles/${a.id}/revisions">Revisions</a></p>`
  : ''}
${v.message ? notice('success', v.message) : ''}
${v.problem ? notice('error', v.problem) : ''}
${lockBanner(v)}
${conflictBox(v)}
${errorSummary(v.fields)}
<form method="post" action="${action}" class="article-form" novalidate data-article-form${a && !readOnly ? html` data-autosave="/admin/articles/${a.id}/autosave"` : ''}>
${csrfField(v.csrfToken)}
${a ? html`<input type="hidden" name="version" value="${String(v.conflict?.version ?? a.version)}" data-version>` : ''}
<fieldset class="plain"${readOnly ? html` disabled` : ''}>
<legend class="visually-hidden">Article</legend>
<p class="autosave-status hint" role="status" aria-live="polite" data-autosave-status></p>
${textField({ name: 'headline', label: 'Headline', value: v.values.headline, error: v.fields.headline, required: true, dir, maxlength: 300 })}
${textField({ name: 'subtitle', label: 'Subtitle', value: v.values.subtitle, error: v.fields.subtitle, dir, maxlength: 500 })}
${textField({ name: 'slug', label: 'Slug', value: v.values.slug, error: v.fields.slug, hint: 'The last part of the address. Left empty, it is made from the headline. Changing it on a published article keeps the old address working (301).' })}
${selectField({ name: 'section', label: 'Section', value: v.values.section, options: v.sections, error: v.fields.section })}
${selectField({ name: 'language', label: 'Language', value: v.values.language, options: languageOptions, error: v.fields.language })}
${textField({ name: 'tags', label: 'Tags', value: v.values.tags, error: v.fields.tags, hint: 'Separated by commas.', dir })}
${textField({ name: 'authors', label: 'Authors', value: v.values.authors, error: v.fields.authors, hint: 'Authors’ slugs in byline order, separated by commas (e.g. international-desk).' })}
${textArea({ name: 'summary', label: 'Summary', value: v.values.summary, error: v.fields.summary, rows: 3, dir, hint: 'Optional; listings and feeds cut an excerpt from the body when it is empty.' })}
${bodyField({ value: v.values.body, format: v.values.bodyFormat, renderedHtml: v.values.bodyHtml, error: v.fields.body, rows: 18, dir, hint: 'Headings, quotations, lists, links, images and embeds. Without the editor: Markdown (a line starting with > is a quotation).' })}
${leadImageField({ id: v.values.leadImageId, crop: v.values.leadImageCrop, image: v.leadImage, errors: { id: v.fields.lead_image_id, crop: v.fields.lead_image_crop } })}
<section class="panel" aria-labelledby="sources-heading">
<h2 id="sources-heading">Sources</h2>
${v.fields.sources ? html`<p class="field-error">${v.fields.sources}</p>` : ''}
${v.values.sources.length ? v.values.sources.map((s, i) => sourceRow(v, s, i, v.values.sources.length)) : html`<p class="hint">No source yet.</p>`}
<div class="actions">${button('Add source', { name: 'action', value: 'add_source' })}</div>
</section>
${textField({ name: 'pin', label: 'Check Also', value: v.values.pin, error: v.fields.pin, hint: 'The article shown in the Check Also box, as section/slug (e.g. news/some-story); empty lets the site choose.' })}
<details class="panel image-address"${v.values.imageUrl || v.fields.image_url || v.fields.image_alt ? html` open` : ''}>
<summary>Image by address (imported articles)</summary>
<p class="hint">Articles imported from elsewhere may point to a picture on another site. The lead image above takes its place when both are given.</p>
${textField({ name: 'image_url', label: 'Image URL', type: 'url', value: v.values.imageUrl, error: v.fields.image_url })}
${textField({ name: 'image_alt', label: 'Image description', value: v.values.imageAlt, error: v.fields.image_alt, hint: 'What the image shows, for readers who cannot see it.', dir })}
</details>
${checkboxField({ name: 'comments_open', label: 'Comments open', checked: v.values.commentsOpen })}
${textField({ name: 'scheduled_at', label: `Publish at (${v.timeZone})`, type: 'datetime-local', value: v.values.scheduledAt, error: v.fields.scheduled_at, hint: 'For “Schedule”: until then the article is embargoed, shown nowhere on the site.' })}
${homePinBox(v)}
${previewBox(v, dir)}
${workflowButtons(v)}
</fieldset>
</form>
${a ? notesSection(v, a.id) : ''}`;
}

function notesSection(v: ArticleFormView, id: number): SafeHtml {
  return html`<section class="panel" id="notes" aria-labelledby="notes-heading">
<h2 id="notes-heading">Notes</h2>
<p class="hint">Private to the newsroom; readers never see them.</p>
${v.notes.length
  ? html`<ol class="notes">${v.notes.map((n) => html`<li><p class="note-meta"><strong>${n.author}</strong>, ${when(n.createdAt)}</p><p class="note-body" dir="auto">${n.body}</p></li>`)}</ol>`
  : html`<p>No note yet.</p>`}
<form method="post" action="/admin/articles/${id}/notes">
${csrfField(v.csrfToken)}
${textArea({ name: 'note', label: 'New note', value: '', error: v.noteError, rows: 3 })}
<div class="actions">${button('Add note')}</div>
</form>
</section>`;
}

// ---- revisions ----

export interface RevisionsView {
  csrfToken: string;
  article: { id: number; headline: string; version: number };
  revisions: readonly (RevisionSummary & { savedByName: string })[];
  canRestore: boolean;
}

export function revisionsPage(v: RevisionsView): SafeHtml {
  const latest = v.revisions[0]?.id;
  const previous = v.revisions[1]?.id ?? latest;
  return html`<p class="breadcrumb"><a href="/admin/articles">Articles</a> › <a href="/admin/articles/${v.article.id}" dir="auto">${v.article.headline}</a></p>
<h1>Revisions</h1>
${v.revisions.length
  ? html`<form method="get" action="/admin/articles/${v.article.id}/revisions/compare">
<table class="list">
<caption class="visually-hidden">Revisions, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Compare from</th><th scope="col">Compare to</th>${v.canRestore ? html`<th scope="col">Restore</th>` : ''}</tr></thead>
<tbody>
${v.revisions.map(
  (r) => html`<tr>
<td>${String(r.version)}${r.autosave ? html` <span class="label label-muted">autosave</span>` : ''}</td><td>${when(r.savedAt)}</td><td>${r.savedByName}</td>
<td><input type="radio" name="from" value="${String(r.id)}" aria-label="Compare from version ${String(r.version)}"${r.id === previous ? html` checked` : ''}></td>
<td><input type="radio" name="to" value="${String(r.id)}" aria-label="Compare to version ${String(r.version)}"${r.id === latest ? html` checked` : ''}></td>
${v.canRestore ? html`<td><button type="submit" class="button secondary" form="restore-${String(r.id)}">Restore<span class="visually-hidden"> version ${String(r.version)}</span></button></td>` : ''}
</tr>`,
)}
</tbody>
</table>
<div class="actions"><button type="submit" class="button primary">Compare</button></div>
</form>
${v.canRestore
  ? v.revisions.map(
      (r) => html`<form id="restore-${String(r.id)}" method="post" action="/admin/articles/${v.article.id}/revisions/${r.id}/restore" hidden>${csrfField(v.csrfToken)}<input type="hidden" name="version" value="${String(v.article.version)}"></form>`,
    )
  : ''}`
  : html`<p>No revision yet.</p>`}`;
}

export function comparePage(v: { article: { id: number; headline: string }; from: RevisionSummary; to: RevisionSummary; fields: readonly FieldDiff[] }): SafeHtml {
  return html`<p class="breadcrumb"><a href="/admin/articles">Articles</a> › <a href="/admin/articles/${v.article.id}" dir="auto">${v.article.headline}</a> › <a href="/admin/articles/${v.article.id}/revisions">Revisions</a></p>
<h1>Version ${String(v.from.version)} → version ${String(v.to.version)}</h1>
<p class="lead">Saved ${when(v.from.savedAt)} and ${when(v.to.savedAt)}. Removed lines are struck through, added lines underlined.</p>
${diffTable(v.fields, `Version ${v.from.version}`, `Version ${v.to.version}`, 2)}`;
}
