// STAND-IN for the lead's module (/work/notes/admin-contract.md), so the moderation pages compile
// before main has the /admin context. Reverted before main is merged in; main's file replaces it.
import { html, type SafeHtml } from '../../lib/html.ts';

const describedBy = (name: string, error?: string, hint?: string) =>
  [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function textField(f: { name: string; label: string; value: string; error?: string; hint?: string; type?: string; required?: boolean; dir?: string; maxlength?: number }): SafeHtml {
  return html`<div class="field"><label for="${f.name}">${f.label}</label>${f.hint ? html`<p id="${f.name}-hint">${f.hint}</p>` : ''}${f.error ? html`<p id="${f.name}-error" class="field-error">${f.error}</p>` : ''}<input id="${f.name}" name="${f.name}" type="${f.type ?? 'text'}" value="${f.value}" aria-describedby="${describedBy(f.name, f.error, f.hint) ?? ''}"${f.required ? html` required` : ''}></div>`;
}

export function textArea(f: { name: string; label: string; value: string; error?: string; hint?: string; rows?: number; dir?: string; attrs?: Record<string, string> }): SafeHtml {
  return html`<div class="field"><label for="${f.name}">${f.label}</label>${f.hint ? html`<p id="${f.name}-hint">${f.hint}</p>` : ''}${f.error ? html`<p id="${f.name}-error" class="field-error">${f.error}</p>` : ''}<textarea id="${f.name}" name="${f.name}" rows="${f.rows ?? 6}">${f.value}</textarea></div>`;
}

export function selectField(f: { name: string; label: string; value: string; options: { value: string; label: string }[]; error?: string; hint?: string }): SafeHtml {
  return html`<div class="field"><label for="${f.name}">${f.label}</label><select id="${f.name}" name="${f.name}">${f.options.map((o) => html`<option value="${o.value}"${o.value === f.value ? html` selected` : ''}>${o.label}</option>`)}</select></div>`;
}

export function checkboxField(f: { name: string; label: string; checked: boolean; hint?: string }): SafeHtml {
  return html`<div class="field"><input type="checkbox" id="${f.name}" name="${f.name}"${f.checked ? html` checked` : ''}><label for="${f.name}">${f.label}</label></div>`;
}

export function errorSummary(fields: Record<string, string>): SafeHtml {
  const entries = Object.entries(fields);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert"><h2>There is a problem</h2><ul>${entries.map(([k, v]) => html`<li><a href="#${k}">${v}</a></li>`)}</ul></div>`;
}

export function button(label: string, o: { name?: string; value?: string; kind?: 'primary' | 'secondary' | 'danger' } = {}): SafeHtml {
  return html`<button type="submit" class="button button-${o.kind ?? 'primary'}"${o.name ? html` name="${o.name}"` : ''}${o.value ? html` value="${o.value}"` : ''}>${label}</button>`;
}
