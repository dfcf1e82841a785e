// The frame every page shares: head (canonical, OpenGraph, structured data, one stylesheet),
// masthead with the section navigation, and footer.
import { html, trusted, type SafeHtml } from '../../lib/html.ts';
import { directionOf } from '../i18n/format.ts';
import { searchStrings } from '../i18n/search.ts';
import { stringsFor } from '../i18n/site.ts';
import type { Alternate, PageMeta, SiteChrome } from '../theme.ts';

function alternateLink(publicUrl: string, a: Alternate): SafeHtml {
  const href = a.href.startsWith('/') ? publicUrl + a.href : a.href;
  return html`<link rel="alternate" href="${href}"${a.type ? html` type="${a.type}"` : ''}${a.title ? html` title="${a.title}"` : ''}${a.hreflang ? html` hreflang="${a.hreflang}"` : ''}>
`;
}

const JSON_LD_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Serialises JSON-LD so that no "</script>" or HTML comment can end the script element early. */
export function jsonLdScript(data: object): SafeHtml {
  // One pass over the text (five replace() calls made five copies of it).
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => JSON_LD_ESCAPES[c]!);
  return trusted(`<script type="application/ld+json">${json}</script>`);
}

/** og:image, with its type, size and alt text when the page knows them. */
function ogImage(image: PageMeta['image']): SafeHtml {
  if (!image) return html``;
  if (typeof image === 'string') return html`<meta property="og:image" content="${image}">`;
  return html`<meta property="og:image" content="${image.url}">
<meta property="og:image:type" content="${image.type}">
<meta property="og:image:width" content="${image.width}">
<meta property="og:image:height" content="${image.height}">
${image.alt ? html`<meta property="og:image:alt" content="${image.alt}">` : ''}`;
}

/** A whole HTML document around a page's main content. */
export function layout(site: SiteChrome, meta: PageMeta, main: SafeHtml): string {
  const t = stringsFor(meta.language);
  const dir = directionOf(meta.language);
  const url = site.publicUrl + meta.path;
  const title = meta.seoTitle || (meta.title === site.siteName ? site.siteName : `${meta.title} – ${site.siteName}`);
  const socialTitle = meta.seoTitle || meta.title;
  const s = searchStrings(meta.language);
  // Every page announces the site's feeds; listing pages add their own before them.
  const alternates = [...(meta.alternates ?? []), ...site.feeds];
  const ogLocale = { en: 'en_US', ar: 'ar_AR', fa: 'fa_IR' }[meta.language.split('-')[0] ?? 'en'];
  const page = html`<!DOCTYPE html>
<html lang="${meta.language}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${meta.description}">
<link rel="canonical" href="${url}">
${meta.noindex ? html`<meta name="robots" content="noindex">` : ''}
${meta.prev ? html`<link rel="prev" href="${site.publicUrl + meta.prev}">` : ''}
${meta.next ? html`<link rel="next" href="${site.publicUrl + meta.next}">` : ''}
<meta property="og:site_name" content="${site.siteName}">
<meta property="og:type" content="${meta.ogType ?? 'website'}">
<meta property="og:title" content="${socialTitle}">
<meta property="og:description" content="${meta.description}">
<meta property="og:url" content="${url}">
${ogLocale ? html`<meta property="og:locale" content="${ogLocale}">` : ''}
${ogImage(meta.image)}
${meta.article
  ? html`<meta property="article:published_time" content="${meta.article.publishedAt}">
<meta property="article:modified_time" content="${meta.article.updatedAt}">
<meta property="article:section" content="${meta.article.section}">
${meta.article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}`
  : ''}
<meta name="twitter:card" content="${meta.image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${socialTitle}">
<meta name="twitter:description" content="${meta.description}">
${typeof meta.image === 'object' && meta.image ? html`<meta name="twitter:image" content="${meta.image.url}">
${meta.image.alt ? html`<meta name="twitter:image:alt" content="${meta.image.alt}">` : ''}` : ''}
<link rel="icon" href="${site.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${site.stylesheet}">
${alternates.map((a) => alternateLink(site.publicUrl, a))}${meta.jsonLd ? jsonLdScript(meta.jsonLd) : ''}
</head>
<body>
<a class="skip-link" href="#main">${t.skipToContent}</a>
<header class="masthead">
<div class="masthead-inner">
<a class="site-name" href="/">${site.logo ? html`<img class="site-logo" src="${site.logo}" alt="" height="40">` : ''}${site.siteName}</a>
<nav class="site-nav" aria-label="${t.sections}">
<ul>
${site.sections.map((s) => html`<li><a href="${s.path}" lang="${s.language}" dir="${directionOf(s.language)}"${meta.path === s.path ? trusted(' aria-current="page"') : ''}>${s.name}</a></li>`)}
${site.links.map((l) => html`<li><a href="${l.href}"${meta.path === l.href ? trusted(' aria-current="page"') : ''}>${l.label}</a></li>`)}
</ul>
</nav>
<form class="site-search" method="get" action="/search" role="search">
<label class="visually-hidden" for="site-search-q">${s.search}</label>
<input id="site-search-q" name="q" type="search" maxlength="200" placeholder="${s.search}" dir="auto">
<button type="submit">${s.submit}</button>
</form>
</div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site-footer">
<div class="footer-inner">
<p><a href="/">${site.siteName}</a></p>
${site.description ? html`<p class="site-description">${site.description}</p>` : ''}
${site.footerLinks.length ? html`<nav class="footer-nav" aria-label="${t.footerLinks}"><ul>${site.footerLinks.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul></nav>` : ''}
<p class="colophon">${t.poweredBy}</p>
</div>
</footer>
</body>
</html>
`;
  return page.value;
}
