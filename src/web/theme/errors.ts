// The page of a 4xx or 5xx answer.
import { html, type SafeHtml } from '../../lib/html.ts';
import { stringsFor } from '../i18n/site.ts';

/** A 4xx or 5xx page: what happened and a way back. */
export function errorPage(language: string, title: string, message: string): SafeHtml {
  const t = stringsFor(language);
  return html`<div class="error-page">
<h1>${title}</h1>
<p>${message}</p>
<p><a href="/">${t.goHome}</a></p>
</div>`;
}
