// Static pages (About, Contact, Privacy, Corrections policy…): a title and the body rendered from
// Markdown when the page was written.
import type { StaticPage } from '../../pages/page.service.ts';
import { html, trusted, type SafeHtml } from '../../lib/html.ts';
import { stringsFor } from '../i18n/site.ts';
import { dateTime } from './parts.ts';

/** The main content of a static page, with the time it was last changed. */
export function staticPage(p: StaticPage, timeZone: string): SafeHtml {
  const t = stringsFor(p.language);
  return html`<article class="static-page" aria-labelledby="page-title">
<h1 id="page-title">${p.title}</h1>
<div class="article-body">
${trusted(p.bodyHtml)}
</div>
<p class="page-updated">${t.updated} ${dateTime(p.updatedAt, p.language, timeZone)}</p>
</article>`;
}
