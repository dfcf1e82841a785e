// Admin views of sections: the list in navigation order (with moves up and down), a form to add one, and
// one section's form (name, slug, description, language) with the old slugs that still answer for it.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { ManagedSection, SectionDraft } from '../../sections/section.service.ts';
import { button, csrfField, errorSummary, notice, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

export interface SectionsView {
  csrfToken: string;
  sections: readonly ManagedSection[];
  /** The add form, as typed when it came back. */
  draft: SectionDraft;
  fields: Fields;
  message?: string;
}

/** The fields a section's forms share. */
function sectionFields(d: SectionDraft, fields: Fields, idPrefix = ''): SafeHtml {
  return html`${textField({ id: `${idPrefix}name`, name: 'name', label: 'Name', value: d.name, error: fields.name, required: true, maxlength: 120, dir: 'auto' })}
${textField({ id: `${idPrefix}slug`, name: 'slug', label: 'Slug', value: d.slug, error: fields.slug, required: true, dir: 'auto', hint: 'The section’s address: lower-case letters and digits joined by hyphens. After a change the old address keeps working.' })}
${textArea({ id: `${idPrefix}description`, name: 'description', label: 'Description', value: d.description, error: fields.description, rows: 3, dir: 'auto' })}
${textField({ id: `${idPrefix}language`, name: 'language', label: 'Language', value: d.language, error: fields.language, required: true, hint: 'A language tag, e.g. en, ar or fa.', dir: 'ltr' })}`;
}

function moveButtons(s: ManagedSection, index: number, count: number, csrfToken: string): SafeHtml {
  const form = (direction: 'up' | 'down', label: string) =>
    html`<form method="post" action="/admin/sections/${s.id}/move" class="inline">${csrfField(csrfToken)}<input type="hidden" name="direction" value="${direction}"><button type="submit" class="button secondary small" aria-label="${label} ${s.name}">${label}</button></form>`;
  return html`${index > 0 ? form('up', 'Move up') : ''} ${index < count - 1 ? form('down', 'Move down') : ''}`;
}

export function sectionsPage(v: SectionsView): SafeHtml {
  return html`<h1>Sections</h1>
${v.message ? notice('success', v.message) : ''}
<table class="list">
<caption class="visually-hidden">Sections in the order the navigation shows them</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Address</th><th scope="col">Language</th><th scope="col">Order</th></tr></thead>
<tbody>
${v.sections.map(
  (s, i) => html`<tr>
<td><a href="/admin/sections/${s.id}" lang="${s.language}" dir="auto">${s.name}</a></td>
<td><a href="${s.path}">${s.path}</a></td>
<td>${s.language}</td>
<td class="row-actions">${moveButtons(s, i, v.sections.length, v.csrfToken)}</td>
</tr>`,
)}
</tbody>
</table>
<section class="panel" aria-labelledby="add-section-heading">
<h2 id="add-section-heading">Add a section</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/sections" novalidate>
${csrfField(v.csrfToken)}
${sectionFields(v.draft, v.fields)}
<div class="actions">${button('Add section', { kind: 'primary' })}</div>
</form>
</section>`;
}

export interface SectionView {
  csrfToken: string;
  section: ManagedSection;
  draft: SectionDraft;
  fields: Fields;
  message?: string;
}

export function sectionPage(v: SectionView): SafeHtml {
  const s = v.section;
  return html`<p class="breadcrumb"><a href="/admin/sections">Sections</a></p>
<h1 dir="auto">${s.name}</h1>
${v.message ? notice('success', v.message) : ''}
${errorSummary(v.fields)}
<form method="post" action="/admin/sections/${s.id}" novalidate class="panel">
${csrfField(v.csrfToken)}
${sectionFields(v.draft, v.fields)}
<div class="actions">${button('Save section', { kind: 'primary' })} <a class="button secondary" href="${s.path}">View on the site</a></div>
</form>
${s.oldSlugs.length
  ? html`<section class="panel" aria-labelledby="old-heading"><h2 id="old-heading">Old addresses</h2>
<p>These addresses answer with a permanent redirect to this section, and to its articles:</p>
<ul>${s.oldSlugs.map((slug) => html`<li><code>/${slug}/</code></li>`)}</ul></section>`
  : ''}`;
}
