// Admin views of authors' profiles: everyone who can be bylined (with or without a staff account), and
// one profile's form: name, slug, bio, website, photo, links, languages.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { Person } from '../../people/person.service.ts';
import { button, csrfField, errorSummary, notice, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

/** A profile as the form holds it: links one per line, languages comma-separated. */
export interface PersonForm {
  name: string;
  slug: string;
  bio: string;
  url: string;
  photoUrl: string;
  links: string;
  languages: string;
}

export function peoplePage(v: { people: readonly Person[]; message?: string }): SafeHtml {
  return html`<h1>Authors</h1>
${v.message ? notice('success', v.message) : ''}
<p><a class="button primary" href="/admin/people/new">Add an author</a></p>
<table class="list">
<caption class="visually-hidden">Everyone who can be bylined</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Author page</th><th scope="col">Languages</th></tr></thead>
<tbody>${v.people.map((p) => html`<tr><td><a href="/admin/people/${p.id}" dir="auto">${p.name}</a></td><td><a href="${p.path}">${p.path}</a></td><td>${p.languages.join(', ')}</td></tr>`)}</tbody>
</table>`;
}

export function personPage(v: { csrfToken: string; person: Person | null; form: PersonForm; fields: Fields; message?: string }): SafeHtml {
  const f = v.form;
  const action = v.person ? `/admin/people/${v.person.id}` : '/admin/people';
  return html`<p class="breadcrumb"><a href="/admin/people">Authors</a></p>
<h1 dir="auto">${v.person ? v.person.name : 'New author'}</h1>
${v.message ? notice('success', v.message) : ''}
${errorSummary(v.fields)}
<form method="post" action="${action}" novalidate class="panel">
${csrfField(v.csrfToken)}
${textField({ name: 'name', label: 'Name', value: f.name, error: v.fields.name, required: true, maxlength: 120, dir: 'auto' })}
${textField({ name: 'slug', label: 'Slug', value: f.slug, error: v.fields.slug, dir: 'auto', hint: 'The author page’s address, /author/<slug>/. Left empty, it is made from the name.' })}
${textArea({ name: 'bio', label: 'Bio', value: f.bio, error: v.fields.bio, rows: 5, dir: 'auto' })}
${textField({ name: 'url', label: 'Website', type: 'url', value: f.url, error: v.fields.url, dir: 'ltr' })}
${textField({ name: 'photoUrl', label: 'Photo address', value: f.photoUrl, error: v.fields.photoUrl, dir: 'ltr', hint: 'The address of a square portrait, https://… or a path on this site.' })}
${textArea({ name: 'links', label: 'Links', value: f.links, error: v.fields.links, rows: 3, dir: 'ltr', hint: 'One per line: Label | address, e.g. Mastodon | https://social.example/@name' })}
${textField({ name: 'languages', label: 'Languages', value: f.languages, error: v.fields.languages, dir: 'ltr', hint: 'Language tags separated by commas, e.g. en, ar' })}
<div class="actions">${button(v.person ? 'Save profile' : 'Add author', { kind: 'primary' })}${v.person ? html` <a class="button secondary" href="${v.person.path}">View on the site</a>` : ''}</div>
</form>`;
}
