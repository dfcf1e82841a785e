// Form parts of the admin: every field has a visible label, an optional hint, and its error message right
// next to it (tied to the input by aria-describedby), and keeps what was typed when the form comes back.
import { html, type SafeHtml } from '../../lib/html.ts';

export const csrfField = (token: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${token}">`;

interface FieldBase {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  /** Id of the input; the name when not given. */
  id?: string;
}

function describedBy(id: string, f: FieldBase): string | undefined {
  const ids = [f.hint ? `${id}-hint` : '', f.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function notes(id: string, f: FieldBase): SafeHtml {
  return html`${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : ''}${f.error ? html`<p class="field-error" id="${id}-error">${f.error}</p>` : ''}`;
}

const attr = (name: string, value: string | number | undefined | null): SafeHtml | string => (value === undefined || value === null || value === '' ? '' : html` ${name}="${String(value)}"`);

export interface TextFieldOptions extends FieldBase {
  value: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'datetime-local' | 'number' | 'search';
  required?: boolean;
  dir?: 'ltr' | 'rtl' | 'auto';
  maxlength?: number;
  autocomplete?: string;
  inputmode?: string;
  autofocus?: boolean;
}

export function textField(f: TextFieldOptions): SafeHtml {
  const id = f.id ?? f.name;
  return html`<div class="field${f.error ? ' has-error' : ''}">
<label for="${id}">${f.label}</label>
<input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${f.value}"${attr('dir', f.dir)}${attr('maxlength', f.maxlength)}${attr('autocomplete', f.autocomplete)}${attr('inputmode', f.inputmode)}${attr('aria-describedby', describedBy(id, f))}${f.error ? html` aria-invalid="true"` : ''}${f.required ? html` required` : ''}${f.autofocus ? html` autofocus` : ''}>
${notes(id, f)}</div>`;
}

export interface TextAreaOptions extends FieldBase {
  value: string;
  rows?: number;
  dir?: 'ltr' | 'rtl' | 'auto';
  /** Extra attributes, already safe (e.g. data-body-editor). */
  attrs?: SafeHtml;
  required?: boolean;
}

export function textArea(f: TextAreaOptions): SafeHtml {
  const id = f.id ?? f.name;
  return html`<div class="field${f.error ? ' has-error' : ''}">
<label for="${id}">${f.label}</label>
<textarea id="${id}" name="${f.name}" rows="${f.rows ?? 4}"${attr('dir', f.dir)}${attr('aria-describedby', describedBy(id, f))}${f.error ? html` aria-invalid="true"` : ''}${f.required ? html` required` : ''}${f.attrs ? html` ${f.attrs}` : ''}>${f.value}</textarea>
${notes(id, f)}</div>`;
}

export interface SelectOptions extends FieldBase {
  value: string;
  options: readonly { value: string; label: string }[];
}

export function selectField(f: SelectOptions): SafeHtml {
  const id = f.id ?? f.name;
  return html`<div class="field${f.error ? ' has-error' : ''}">
<label for="${id}">${f.label}</label>
<select id="${id}" name="${f.name}"${attr('aria-describedby', describedBy(id, f))}${f.error ? html` aria-invalid="true"` : ''}>
${f.options.map((o) => html`<option value="${o.value}"${o.value === f.value ? html` selected` : ''}>${o.label}</option>`)}
</select>
${notes(id, f)}</div>`;
}

export function checkboxField(f: { name: string; label: string; checked: boolean; hint?: string; value?: string; id?: string }): SafeHtml {
  const id = f.id ?? f.name;
  return html`<div class="field checkbox">
<input id="${id}" name="${f.name}" type="checkbox" value="${f.value ?? 'on'}"${f.checked ? html` checked` : ''}${f.hint ? html` aria-describedby="${id}-hint"` : ''}>
<label for="${id}">${f.label}</label>
${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : ''}</div>`;
}

/** A summary of what needs fixing, at the top of a form that came back (fields link to their inputs). */
export function errorSummary(fields: Readonly<Record<string, string>>, message = 'Some fields need attention.'): SafeHtml {
  const entries = Object.entries(fields);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>${message}</h2>
<ul>${entries.map(([name, text]) => html`<li><a href="#${name}">${text}</a></li>`)}</ul>
</div>`;
}

/** A notice at the top of a page: what just happened, or a problem not tied to one field. */
export function notice(kind: 'success' | 'error' | 'info', text: string | SafeHtml): SafeHtml {
  return html`<div class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}

export function button(label: string, options: { name?: string; value?: string; kind?: 'primary' | 'secondary' | 'danger'; formaction?: string } = {}): SafeHtml {
  return html`<button type="submit" class="button ${options.kind ?? 'secondary'}"${attr('name', options.name)}${attr('value', options.value)}${attr('formaction', options.formaction)}>${label}</button>`;
}

/**
 * A timestamp as the admin screens show it: `2026-11-29 10:05`, with the full instant in `datetime`;
 * `utc` names the zone after it (`2026-11-29 10:05 UTC`), inside the element.
 */
export function listTime(iso: string, length: 10 | 16 | 19 = 16, options: { utc?: boolean } = {}): SafeHtml {
  return html`<time datetime="${iso}">${iso.slice(0, length).replace('T', ' ')}${options.utc ? ' UTC' : ''}</time>`;
}

export interface ListTableOptions<T> {
  /** Read by screen readers (visually hidden); omitted when the heading above says it. */
  caption?: string;
  columns: readonly string[];
  rows: readonly T[];
  /** One `<tr>` per row. */
  row: (item: T) => SafeHtml;
  /** Shown instead of the table when there are no rows. */
  empty: string;
}

/**
 * The admin's list table: a header row of column names and one row per item, or a sentence when empty.
 * On a phone the table scrolls sideways, so it takes keyboard focus (a list of revoked tokens has no link
 * or button to reach it by).
 */
export function listTable<T>(t: ListTableOptions<T>): SafeHtml {
  if (!t.rows.length) return html`<p>${t.empty}</p>`;
  return html`<table class="list" tabindex="0">
${t.caption ? html`<caption class="visually-hidden">${t.caption}</caption>\n` : ''}<thead><tr>${t.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>
${t.rows.map(t.row)}
</tbody>
</table>`;
}
