// The admin view of the site settings: name, description, language, time zone, logo, navigation and
// footer links.
import { html, type SafeHtml } from '../../lib/html.ts';
import { button, csrfField, errorSummary, notice, selectField, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

/** The settings as the form holds them: links one per line as "Label | address". */
export interface SettingsForm {
  name: string;
  description: string;
  language: string;
  timeZone: string;
  logoUrl: string;
  navigation: string;
  footer: string;
}

export function settingsPage(v: { csrfToken: string; form: SettingsForm; timeZones: readonly string[]; fields: Fields; message?: string }): SafeHtml {
  const f = v.form;
  const zones = v.timeZones.includes(f.timeZone) ? v.timeZones : [f.timeZone, ...v.timeZones];
  return html`<h1>Settings</h1>
${v.message ? notice('success', v.message) : ''}
${errorSummary(v.fields)}
<form method="post" action="/admin/settings" novalidate class="panel">
${csrfField(v.csrfToken)}
${textField({ name: 'name', label: 'Site name', value: f.name, error: v.fields.name, required: true, maxlength: 120, dir: 'auto' })}
${textArea({ name: 'description', label: 'Description', value: f.description, error: v.fields.description, rows: 2, dir: 'auto', hint: 'Shown in the footer of every page.' })}
${textField({ name: 'language', label: 'Language', value: f.language, error: v.fields.language, required: true, dir: 'ltr', hint: 'Of pages not tied to one article or section (home, tags, authors): en, ar, fa…' })}
${selectField({ name: 'timeZone', label: 'Time zone', value: f.timeZone, options: zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') })), error: v.fields.timeZone, hint: 'Dates on public pages are shown in this time zone, with its abbreviation.' })}
${textField({ name: 'logoUrl', label: 'Logo address', value: f.logoUrl, error: v.fields.logoUrl, dir: 'ltr', hint: 'https://… or a path on this site; left empty, the masthead shows the name alone.' })}
${textArea({ name: 'navigation', label: 'Navigation links', value: f.navigation, error: v.fields.navigation, rows: 4, dir: 'ltr', hint: 'Shown after the sections. One per line: Label | address, e.g. About | /about' })}
${textArea({ name: 'footer', label: 'Footer links', value: f.footer, error: v.fields.footer, rows: 4, dir: 'ltr', hint: 'One per line: Label | address, e.g. Privacy | /privacy' })}
<div class="actions">${button('Save settings', { kind: 'primary' })}</div>
</form>`;
}

