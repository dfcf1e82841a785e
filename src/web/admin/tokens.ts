// Admin views of API tokens (administrators): the list with when each was last used, a form to make one,
// the new token shown once, and a button to revoke each.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { ApiTokenSummary } from '../../accounts/api-token.service.ts';
import { button, csrfField, errorSummary, listTable, listTime, notice, selectField, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

export interface TokenDraft {
  kind: string;
  name: string;
  role: string;
  user: string;
}

function actingAs(t: ApiTokenSummary): SafeHtml | string {
  if (!t.actingAs) return 'Reads public content';
  const who = t.actingAs.integration ? html`${t.actingAs.name} <span class="muted">(its own account)</span>` : html`${t.actingAs.email}`;
  return html`${t.role} as ${who}${t.actingAs.disabled ? html` <strong>(account disabled)</strong>` : ''}`;
}

function tokenRow(t: ApiTokenSummary, csrfToken: string): SafeHtml {
  return html`<tr>
<td dir="auto">${t.name}</td><td>${t.kind === 'admin' ? 'Admin API' : 'Content key'}</td><td><code>${t.hint}…</code></td><td>${actingAs(t)}</td>
<td>${listTime(t.createdAt)}${t.createdBy ? html` by ${t.createdBy}` : ''}</td>
<td>${t.lastUsedAt ? listTime(t.lastUsedAt) : 'never'}</td>
<td>${t.revokedAt
    ? html`revoked ${listTime(t.revokedAt, 10)}`
    : html`<form method="post" action="/admin/tokens/${t.id}/revoke">${csrfField(csrfToken)}${button(`Revoke ${t.name}`, { kind: 'danger' })}</form>`}</td>
</tr>`;
}

export function tokensPage(v: { csrfToken: string; tokens: readonly ApiTokenSummary[]; draft: TokenDraft; fields: Fields; message?: string; created?: { token: string; name: string } }): SafeHtml {
  return html`<h1>API tokens</h1>
${v.created
    ? html`<section class="panel" aria-labelledby="new-token-heading">
<h2 id="new-token-heading">Your new token for ${v.created.name}</h2>
<p>Copy it now: it is shown this once, and only a digest of it is kept.</p>
<p><label for="new-token">Token</label> <input id="new-token" readonly size="52" value="${v.created.token}"></p>
</section>`
    : ''}
${v.message ? notice('success', v.message) : ''}
<p>Content keys say who reads the <a href="/api/docs">Content API</a> (and get a higher rate limit); admin tokens act in the newsroom through the Admin API, with a role no higher than their account's.</p>
${listTable({
    caption: 'API tokens',
    columns: ['Name', 'Kind', 'Starts with', 'Acts as', 'Created', 'Last used', 'State'],
    rows: v.tokens,
    row: (t) => tokenRow(t, v.csrfToken),
    empty: 'No tokens yet.',
  })}
<section class="panel" aria-labelledby="add-token-heading">
<h2 id="add-token-heading">Make a token</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/tokens" novalidate>
${csrfField(v.csrfToken)}
${selectField({ name: 'kind', label: 'Kind', value: v.draft.kind, error: v.fields.kind, options: [{ value: 'content', label: 'Content key (reads public content)' }, { value: 'admin', label: 'Admin token (acts in the newsroom)' }] })}
${textField({ name: 'name', label: 'Name', value: v.draft.name, error: v.fields.name, required: true, maxlength: 120, dir: 'auto', hint: 'Who or what uses it, e.g. "Partner widget" or "Wire import".' })}
${selectField({ name: 'role', label: 'Role (admin tokens)', value: v.draft.role, error: v.fields.role, options: [{ value: '', label: '—' }, ...['contributor', 'author', 'editor', 'admin'].map((r) => ({ value: r, label: r }))] })}
${textField({ name: 'user', label: 'Acts as (admin tokens, optional)', value: v.draft.user, error: v.fields.user, hint: 'A staff member’s email address. Left empty, the token gets an account of its own, named as above, that cannot sign in.' })}
<div class="actions">${button('Make token', { kind: 'primary' })}</div>
</form>
</section>`;
}
