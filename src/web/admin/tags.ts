// Admin views of tags: the list with a form to add one, and one tag's form (rename, delete).
import { html, type SafeHtml } from '../../lib/html.ts';
import type { Tag, TagDraft } from '../../tags/tag.service.ts';
import { button, csrfField, errorSummary, notice, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

function tagFields(d: TagDraft, fields: Fields): SafeHtml {
  return html`${textField({ name: 'name', label: 'Name', value: d.name, error: fields.name, required: true, maxlength: 80, dir: 'auto' })}
${textField({ name: 'slug', label: 'Slug', value: d.slug, error: fields.slug, dir: 'auto', hint: 'The tag’s address, /tag/<slug>/. Left empty, it is made from the name.' })}`;
}

export function tagsPage(v: { csrfToken: string; tags: readonly Tag[]; draft: TagDraft; fields: Fields; message?: string }): SafeHtml {
  return html`<h1>Tags</h1>
${v.message ? notice('success', v.message) : ''}
${v.tags.length
  ? html`<table class="list">
<caption class="visually-hidden">Tags</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Address</th></tr></thead>
<tbody>${v.tags.map((t) => html`<tr><td><a href="/admin/tags/${t.id}" dir="auto">${t.name}</a></td><td><a href="${t.path}">${t.path}</a></td></tr>`)}</tbody>
</table>`
  : html`<p>No tags yet. Articles make them, or add one here.</p>`}
<section class="panel" aria-labelledby="add-tag-heading">
<h2 id="add-tag-heading">Add a tag</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/tags" novalidate>
${csrfField(v.csrfToken)}
${tagFields(v.draft, v.fields)}
<div class="actions">${button('Add tag', { kind: 'primary' })}</div>
</form>
</section>`;
}

export function tagPage(v: { csrfToken: string; tag: Tag; draft: TagDraft; fields: Fields; message?: string }): SafeHtml {
  return html`<p class="breadcrumb"><a href="/admin/tags">Tags</a></p>
<h1 dir="auto">${v.tag.name}</h1>
${v.message ? notice('success', v.message) : ''}
${errorSummary(v.fields)}
<form method="post" action="/admin/tags/${v.tag.id}" novalidate class="panel">
${csrfField(v.csrfToken)}
${tagFields(v.draft, v.fields)}
<div class="actions">${button('Save tag', { kind: 'primary' })}</div>
</form>
<form method="post" action="/admin/tags/${v.tag.id}/delete" class="panel">
${csrfField(v.csrfToken)}
<h2>Delete</h2>
<p>Deleting the tag takes it off every article; its page stops answering.</p>
<div class="actions">${button('Delete tag', { kind: 'danger' })}</div>
</form>`;
}
