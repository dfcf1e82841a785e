// The search page: the form with its filters, ranked results with highlighted snippets, a pager that
// keeps the query, and a "nothing found" page that offers a way on.
import { html, type SafeHtml } from '../../lib/html.ts';
import { searchPath } from '../../lib/paths.ts';
import type { SearchOutcome, SearchResult, Segment } from '../../search/search.service.ts';
import { searchStrings, type SearchStrings } from '../i18n/search.ts';
import { stringsFor } from '../i18n/site.ts';
import { langAttrs, pager, time } from './parts.ts';
import { cardPicture, THUMBNAIL_SIZES } from './pictures.ts';

function form(o: SearchOutcome, s: SearchStrings, pageLanguage: string): SafeHtml {
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form class="search-form" method="get" action="/search" role="search">
<p class="search-query"><label for="search-q">${s.queryLabel}</label>
<input id="search-q" name="q" type="search" value="${o.query}" maxlength="200" autocomplete="off" dir="auto">
<button type="submit">${s.submit}</button></p>
<fieldset class="search-filters"><legend>${s.filters}</legend>
<p class="field"><label for="search-section">${s.section}</label>
<select id="search-section" name="section">${option('', s.anySection, !o.filters.section)}${o.sections.map((sec) =>
    html`<option value="${sec.slug}"${langAttrs(sec.language, pageLanguage)}${o.filters.section === sec.slug ? html` selected` : ''}>${sec.name}</option>`,
  )}</select></p>
<p class="field"><label for="search-language">${s.language}</label>
<select id="search-language" name="language">${option('', s.anyLanguage, !o.filters.language)}${o.languages.map((l) => option(l, s.languageName(l), o.filters.language === l))}</select></p>
<p class="field"><label for="search-from">${s.from}</label>
<input id="search-from" name="from" type="date" value="${o.filters.from}" dir="ltr"></p>
<p class="field"><label for="search-to">${s.to}</label>
<input id="search-to" name="to" type="date" value="${o.filters.to}" dir="ltr"></p>
</fieldset>
</form>`;
}

/** Text shown as segments: every segment escaped, the matched words in <mark>. */
function highlighted(segments: readonly Segment[]): SafeHtml {
  return html`${segments.map((s) => (s.match ? html`<mark>${s.text}</mark>` : html`${s.text}`))}`;
}

function result(r: SearchResult, pageLanguage: string, timeZone: string): SafeHtml {
  const a = r.card;
  return html`<li class="search-result${a.leadImage ? ' has-image' : ''}"${langAttrs(a.language, pageLanguage)}>
${cardPicture(a, THUMBNAIL_SIZES)}
<div class="search-result-text">
<p class="kicker"><a href="${a.section.path}">${a.section.name}</a></p>
<h2 class="search-result-title"><a href="${a.path}">${highlighted(r.headline)}</a></h2>
<p class="search-snippet">${highlighted(r.snippet)}</p>
<p class="card-meta">${time(a.publishedAt, a.language, timeZone)}</p>
</div>
</li>`;
}

/** The whole main content of /search. */
export function searchPage(o: SearchOutcome, language: string, timeZone: string): SafeHtml {
  const s = searchStrings(language);
  const heading = o.searched ? s.resultsFor(o.query) : s.searchTitle;
  const notes = html`${o.truncated ? html`<p class="search-note">${s.truncated}</p>` : ''}${o.broadPrefixes.map((w) => html`<p class="search-note">${s.broadPrefix(w)}</p>`)}`;
  let body: SafeHtml;
  if (!o.searched) {
    body = html`<p class="search-help">${s.noQuery}</p>`;
  } else if (o.results.length) {
    body = html`<p class="search-count" role="status">${s.count(o.total, o.totalCapped)}</p>
${notes}
<ol class="search-results">${o.results.map((r) => result(r, language, timeZone))}</ol>
${pager(o.page, o.pageCount, (n) => searchPath(o.query, o.filters, n), stringsFor(language))}`;
  } else {
    body = html`${notes}<div class="search-empty" role="status">
<p class="search-none">${s.noResults(o.query)}</p>
${o.suggestions.length
  ? html`<p>${s.tryInstead}</p><ul class="search-suggestions">${o.suggestions.map((g) => html`<li><a href="/search?${g.query}">${g.label}</a></li>`)}</ul>`
  : ''}
<ul class="search-tips">${s.tips.map((tip) => html`<li>${tip}</li>`)}</ul>
</div>
${o.latest.length
  ? html`<section class="search-latest" aria-labelledby="search-latest-title"><h2 id="search-latest-title">${s.latestInstead}</h2>
<ul>${o.latest.map((a) => html`<li${langAttrs(a.language, language)}><a href="${a.path}">${a.headline}</a></li>`)}</ul></section>`
  : ''}`;
  }
  return html`<header class="listing-header"><h1>${heading}</h1></header>
${form(o, s, language)}
${body}`;
}
