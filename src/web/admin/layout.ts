// The admin's frame: a skip link, the site's name, the navigation the signed-in account may use (with the
// number of comments waiting), the account menu, and the page's own content. English only; content fields
// take the direction of their own language. Never cached, never seen by readers.
import { html, type SafeHtml } from '../../lib/html.ts';

export type AdminNav = 'dashboard' | 'articles' | 'media' | 'documents' | 'comments' | 'sections' | 'pages' | 'people' | 'tags' | 'users' | 'tokens' | 'settings' | 'webhooks' | 'audit' | 'account' | 'none';

export interface AdminNavItem {
  key: AdminNav;
  label: string;
  path: string;
  /** A number shown beside the label (comments waiting), when above zero. */
  badge?: number;
}

export interface AdminChrome {
  siteName: string;
  publicUrl: string;
  stylesheet: string;
  /** Public path of the script every signed-in page loads (admin.js: the navigation row on phones). */
  script: string;
  /** The signed-in person, or null on the sign-in and link pages. */
  account: { name: string; email: string; role: string } | null;
  csrfToken: string;
  nav: readonly AdminNavItem[];
}

export interface AdminPageContent {
  title: string;
  nav: AdminNav;
  main: SafeHtml;
  /** Public paths of admin scripts (type=module). */
  scripts?: readonly string[];
}

function navigation(chrome: AdminChrome, current: AdminNav): SafeHtml {
  return html`<nav class="admin-nav" aria-label="Newsroom">
<ul>
${chrome.nav.map(
  (item) => html`<li><a href="${item.path}"${item.key === current ? html` aria-current="page"` : ''}>${item.label}${
    item.badge ? html` <span class="badge"><span class="visually-hidden">(</span>${item.badge}<span class="visually-hidden"> waiting)</span></span>` : ''
  }</a></li>`,
)}
</ul>
</nav>`;
}

function accountMenu(chrome: AdminChrome): SafeHtml {
  if (!chrome.account) return html``;
  return html`<div class="account-menu">
<a href="/admin/account" class="account-name">${chrome.account.name}</a> <span class="role">${chrome.account.role}</span>
<form method="post" action="/admin/sign-out" class="inline"><input type="hidden" name="_csrf" value="${chrome.csrfToken}"><button type="submit" class="link-button">Sign out</button></form>
</div>`;
}

/** A whole admin page. */
export function adminLayout(chrome: AdminChrome, page: AdminPageContent): string {
  const signedIn = chrome.account !== null;
  return html`<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${page.title} – ${chrome.siteName} newsroom</title>
<link rel="stylesheet" href="${chrome.stylesheet}">
${[...(signedIn ? [chrome.script] : []), ...(page.scripts ?? [])].map((src) => html`<script type="module" src="${src}"></script>\n`)}</head>
<body class="${signedIn ? 'admin' : 'admin signed-out'}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="admin-header">
<a class="admin-brand" href="${signedIn ? '/admin' : chrome.publicUrl + '/'}">${chrome.siteName}<span class="visually-hidden"> newsroom</span></a>
${signedIn ? html`<a class="view-site" href="${chrome.publicUrl}/">View site</a>` : ''}
${accountMenu(chrome)}
</header>
<div class="admin-body">
${signedIn ? navigation(chrome, page.nav) : ''}
<main id="main" tabindex="-1">
${page.main}
</main>
</div>
</body>
</html>
`.value;
}
