// Admin views of static pages (About, Contact, Privacy…): the list, and one page's form with "Save",
// "Publish" and "Unpublish".
import { html, type SafeHtml } from '../../lib/html.ts';
import type { PageDraft, StaticPage } from '../../pages/page.service.ts';
import { button, csrfField, errorSummary, listTime, notice, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

const statusLabel = (p: StaticPage) => (p.status === 'published' ? html`<span class="label label-ok">Published</span>` : html`<span class="label label-muted">Draft</span>`);

export function pagesPage(v: { pages: readonly StaticPage[]; message?: string }): SafeHtml {
  return html`<h1>Pages</h1>
${v.message ? notice('success', v.message) : ''}
<p><a class="button primary" href="/admin/pages/new">New page</a></p>
${v.pages.length
  ? html`<table class="list">
<caption class="visually-hidden">Static pages</caption>
<thead><tr><th scope="col">Title</th><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Updated</th></tr></thead>
<tbody>${v.pages.map(
      (p) => html`<tr><td><a href="/admin/pages/${p.id}" dir="auto">${p.title}</a></td><td>${p.status === 'published' ? html`<a href="${p.path}">${p.path}</a>` : p.path}</td><td>${statusLabel(p)}</td><td>${listTime(p.updatedAt, 16, { utc: true })}</td></tr>`,
    )}</tbody>
</table>`
  : html`<p>No pages yet.</p>`}`;
}

export function pagePage(v: { csrfToken: string; page: StaticPage | null; draft: PageDraft; fields: Fields; message?: string }): SafeHtml {
  const d = v.draft;
  const p = v.page;
  return html`<p class="breadcrumb"><a href="/admin/pages">Pages</a></p>
<h1 dir="auto">${p ? p.title : 'New page'}</h1>
${v.message ? notice('success', v.message) : ''}
${p ? html`<p>Status: ${statusLabel(p)}${p.status === 'published' ? html` · <a href="${p.path}">View on the site</a>` : ''}</p>` : ''}
${errorSummary(v.fields)}
<form method="post" action="${p ? `/admin/pages/${p.id}` : '/admin/pages'}" novalidate class="panel">
${csrfField(v.csrfToken)}
${textField({ name: 'title', label: 'Title', value: d.title, error: v.fields.title, required: true, maxlength: 200, dir: 'auto' })}
${textField({ name: 'slug', label: 'Slug', value: d.slug, error: v.fields.slug, required: true, dir: 'auto', hint: 'The page’s address, /<slug>, e.g. about or corrections-policy.' })}
${textField({ name: 'language', label: 'Language', value: d.language, error: v.fields.language, required: true, dir: 'ltr', hint: 'A language tag, e.g. en, ar or fa.' })}
${textArea({ name: 'body', label: 'Body', value: d.body, error: v.fields.body, rows: 16, dir: 'auto', hint: 'Markdown: blank lines between paragraphs, ## for a heading, [text](address) for a link.' })}
<div class="actions">
${button('Save', { name: 'intent', value: 'save', kind: 'primary' })}
${p?.status !== 'published' ? button('Publish', { name: 'intent', value: 'publish' }) : button('Unpublish', { name: 'intent', value: 'unpublish', kind: 'danger' })}
</div>
</form>
${p
  ? html`<form method="post" action="/admin/pages/${p.id}/delete" class="panel">${csrfField(v.csrfToken)}
<h2>Delete</h2><p>Its address stops answering at once.</p>
<div class="actions">${button('Delete page', { kind: 'danger' })}</div></form>`
  : ''}`;
}
