// Small pieces several pages of the theme share.
import { html, type SafeHtml } from '../../lib/html.ts';
import { directionOf, formatDate, formatDateTime } from '../i18n/format.ts';
import type { Strings } from '../i18n/site.ts';

/** lang/dir attributes for content whose language may differ from the page's. */
export function langAttrs(contentLanguage: string, pageLanguage: string): SafeHtml {
  if (contentLanguage === pageLanguage) return html``;
  return html` lang="${contentLanguage}" dir="${directionOf(contentLanguage)}"`;
}

/** A date readers of the language can read (its day in the site's time zone), with the machine-readable time. */
export function time(iso: string, language: string, timeZone: string): SafeHtml {
  return html`<time datetime="${iso}">${formatDate(iso, language, timeZone)}</time>`;
}

/** A date and clock time in the site's time zone with the zone's abbreviation, with the machine-readable time. */
export function dateTime(iso: string, language: string, timeZone: string): SafeHtml {
  return html`<time datetime="${iso}">${formatDateTime(iso, language, timeZone)}</time>`;
}

/** Newer / "Page 2 of 5" / Older links; nothing when everything fits on one page. */
export function pager(page: number, pageCount: number, href: (page: number) => string, t: Strings): SafeHtml {
  if (pageCount <= 1) return html``;
  return html`<nav class="pager" aria-label="${t.pageOf(page, pageCount)}">
${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">${t.previous}</a>` : html`<span></span>`}
<span class="pager-status">${t.pageOf(page, pageCount)}</span>
${page < pageCount ? html`<a rel="next" href="${href(page + 1)}">${t.next}</a>` : html`<span></span>`}
</nav>`;
}
