// Admin views of accounts: sign-in, the password links (invitation, reset), the dashboard, the staff list
// and one account, the account's own page, and the audit log.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { AccountSummary } from '../../accounts/account.service.ts';
import type { AuditRecord } from '../../accounts/audit.service.ts';
import { button, csrfField, errorSummary, listTime, notice, selectField, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

export interface SignInForm {
  csrfToken: string;
  email: string;
  next: string;
  fields: Fields;
  message?: string;
  /** A notice shown above the form (signed out, password changed, session ended). */
  info?: string;
}

export function signInPage(f: SignInForm): SafeHtml {
  return html`<div class="narrow">
<h1>Sign in</h1>
${f.info ? notice('info', f.info) : ''}
${f.message ? notice('error', f.message) : ''}
<form method="post" action="/admin/sign-in" novalidate>
${csrfField(f.csrfToken)}
<input type="hidden" name="next" value="${f.next}">
${textField({ name: 'email', label: 'Email', type: 'email', value: f.email, error: f.fields.email, autocomplete: 'username', required: true, autofocus: !f.email })}
${textField({ name: 'password', label: 'Password', type: 'password', value: '', error: f.fields.password, autocomplete: 'current-password', required: true, autofocus: !!f.email })}
<div class="actions">${button('Sign in', { kind: 'primary' })}</div>
</form>
<p><a href="/admin/reset">Forgot your password?</a></p>
</div>`;
}

export function resetRequestPage(f: { csrfToken: string; email: string; fields: Fields; sent: boolean }): SafeHtml {
  return html`<div class="narrow">
<h1>Reset your password</h1>
${f.sent
  ? notice('success', 'If an account uses that address, a link to choose a new password is on its way. It works once, for one hour.')
  : html`<p>Enter the email address of your account. We will send a link to choose a new password.</p>`}
<form method="post" action="/admin/reset" novalidate>
${csrfField(f.csrfToken)}
${textField({ name: 'email', label: 'Email', type: 'email', value: f.email, error: f.fields.email, autocomplete: 'username', required: true })}
<div class="actions">${button('Send the link', { kind: 'primary' })}</div>
</form>
<p><a href="/admin/sign-in">Back to sign in</a></p>
</div>`;
}

export function choosePasswordPage(f: { kind: 'invite' | 'reset'; token: string; csrfToken: string; email: string; name: string; fields: Fields }): SafeHtml {
  return html`<div class="narrow">
<h1>${f.kind === 'invite' ? `Welcome, ${f.name}` : 'Choose a new password'}</h1>
<p>${f.kind === 'invite' ? 'Choose a password to finish setting up your account' : 'Choose a new password for your account'} (<strong>${f.email}</strong>).</p>
${errorSummary(f.fields)}
<form method="post" action="/admin/${f.kind}/${f.token}" novalidate>
${csrfField(f.csrfToken)}
<input type="text" name="username" value="${f.email}" autocomplete="username" hidden>
${textField({ name: 'password', label: 'New password', type: 'password', value: '', error: f.fields.password, hint: 'At least 10 characters. A few unrelated words make a good one.', autocomplete: 'new-password', required: true })}
${textField({ name: 'confirm', label: 'New password again', type: 'password', value: '', error: f.fields.confirm, autocomplete: 'new-password', required: true })}
<div class="actions">${button(f.kind === 'invite' ? 'Create my account' : 'Save the new password', { kind: 'primary' })}</div>
</form>
</div>`;
}

export function linkGonePage(): SafeHtml {
  return html`<div class="narrow">
<h1>This link no longer works</h1>
<p>It has expired or has been used already. Ask an administrator for a new invitation, or <a href="/admin/reset">ask for a new password link</a>.</p>
</div>`;
}

export interface DashboardView {
  name: string;
  role: string;
  pendingComments: number | null;
  links: readonly { label: string; path: string; text: string }[];
}

export function dashboardPage(v: DashboardView): SafeHtml {
  return html`<h1>Good to see you, ${v.name}</h1>
<p class="lead">You are signed in as ${v.role === 'admin' ? 'an administrator' : `${/^[aeiou]/.test(v.role) ? 'an' : 'a'} ${v.role}`}.</p>
${v.pendingComments ? notice('info', html`<a href="/admin/comments">${v.pendingComments} comment${v.pendingComments === 1 ? ' is' : 's are'} waiting for moderation</a>.`) : ''}
<ul class="cards">
${v.links.map((l) => html`<li><a href="${l.path}"><strong>${l.label}</strong><span>${l.text}</span></a></li>`)}
</ul>`;
}

const when = (iso: string | null) => (iso ? listTime(iso, 16, { utc: true }) : html`never`);

const ROLE_OPTIONS = [
  { value: 'contributor', label: 'Contributor — writes drafts, submits for review' },
  { value: 'author', label: 'Author — writes and publishes own articles' },
  { value: 'editor', label: 'Editor — every article, sections, pages, comments' },
  { value: 'admin', label: 'Administrator — also staff and settings' },
];

export interface StaffView {
  csrfToken: string;
  accounts: readonly AccountSummary[];
  invite: { email: string; name: string; role: string; fields: Fields };
  /** The link of an invitation just made, shown once when the site sends no mail. */
  created?: { name: string; link: string; mailed: boolean };
  message?: string;
}

export function staffPage(v: StaffView): SafeHtml {
  return html`<h1>Staff</h1>
${v.message ? notice('success', v.message) : ''}
${v.created
  ? notice(
      'success',
      v.created.mailed
        ? html`${v.created.name} has been sent an invitation by email.`
        : html`This site sends no email: give ${v.created.name} this link yourself. It works once, for 48 hours, and is not shown again.<br><code class="copy">${v.created.link}</code>`,
    )
  : ''}
<table class="list">
<caption class="visually-hidden">Staff accounts</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last sign-in</th></tr></thead>
<tbody>
${v.accounts.map(
  (a) => html`<tr>
<td><a href="/admin/users/${a.id}">${a.name}</a></td><td>${a.email}</td><td>${a.role}</td>
<td>${a.disabled ? html`<span class="label label-muted">Disabled</span>` : a.invited ? html`<span class="label label-warn">Invited</span>` : html`<span class="label label-ok">Active</span>`}</td>
<td>${when(a.lastSignInAt)}</td>
</tr>`,
)}
</tbody>
</table>
<section class="panel" aria-labelledby="invite-heading">
<h2 id="invite-heading">Invite someone</h2>
${errorSummary(v.invite.fields)}
<form method="post" action="/admin/users/invite" novalidate>
${csrfField(v.csrfToken)}
${textField({ name: 'name', label: 'Name', value: v.invite.name, error: v.invite.fields.name, required: true })}
${textField({ name: 'email', label: 'Email', type: 'email', value: v.invite.email, error: v.invite.fields.email, required: true })}
${selectField({ name: 'role', label: 'Role', value: v.invite.role || 'contributor', options: ROLE_OPTIONS, error: v.invite.fields.role })}
<div class="actions">${button('Send invitation', { kind: 'primary' })}</div>
</form>
</section>`;
}

export interface AccountView {
  csrfToken: string;
  account: AccountSummary;
  /** The bylines (people) an account may write under. */
  people: readonly { value: string; label: string }[];
  isSelf: boolean;
  fields: Fields;
  message?: string;
  error?: string;
  created?: { link: string; mailed: boolean };
}

export function staffMemberPage(v: AccountView): SafeHtml {
  const a = v.account;
  return html`<p class="breadcrumb"><a href="/admin/users">Staff</a></p>
<h1>${a.name}</h1>
${v.message ? notice('success', v.message) : ''}
${v.error ? notice('error', v.error) : ''}
${v.created ? notice('success', v.created.mailed ? 'A new invitation has been sent.' : html`Give this link to ${a.name}; it works once, for 48 hours:<br><code class="copy">${v.created.link}</code>`) : ''}
<dl class="facts">
<dt>Email</dt><dd>${a.email}</dd>
<dt>Status</dt><dd>${a.disabled ? 'Disabled' : a.invited ? 'Invited, has not chosen a password yet' : 'Active'}</dd>
<dt>Joined</dt><dd>${when(a.createdAt)}</dd>
<dt>Last sign-in</dt><dd>${when(a.lastSignInAt)}</dd>
</dl>
<section class="panel" aria-labelledby="role-heading">
<h2 id="role-heading">Role</h2>
<form method="post" action="/admin/users/${a.id}/role" novalidate>
${csrfField(v.csrfToken)}
${selectField({ name: 'role', label: 'Role', value: a.role, options: ROLE_OPTIONS, error: v.fields.role })}
<div class="actions">${button('Change role', { kind: 'primary' })}</div>
</form>
</section>
<section class="panel" aria-labelledby="byline-heading">
<h2 id="byline-heading">Byline</h2>
<form method="post" action="/admin/users/${a.id}/byline" novalidate>
${csrfField(v.csrfToken)}
${selectField({ name: 'person', label: 'Writes as', value: a.personId === null ? '' : String(a.personId), options: [{ value: '', label: 'No byline' }, ...v.people], error: v.fields.person, hint: 'The author profile new articles by this account start with. Authors are managed under Authors.' })}
<div class="actions">${button('Save byline')}</div>
</form>
</section>
<section class="panel" aria-labelledby="access-heading">
<h2 id="access-heading">Access</h2>
${a.invited && !a.disabled
  ? html`<form method="post" action="/admin/users/${a.id}/reinvite">${csrfField(v.csrfToken)}<p>${button('Send a new invitation')}</p></form>`
  : ''}
${v.isSelf
  ? html`<p>You cannot disable your own account.</p>`
  : html`<form method="post" action="/admin/users/${a.id}/${a.disabled ? 'enable' : 'disable'}">${csrfField(v.csrfToken)}
<p>${a.disabled ? 'Enabling lets this person sign in again.' : 'Disabling signs this person out everywhere at once and stops them signing in.'}</p>
<p>${button(a.disabled ? 'Enable account' : 'Disable account', { kind: a.disabled ? 'secondary' : 'danger' })}</p></form>`}
</section>`;
}

export function secondFactorPage(f: { csrfToken: string; next: string; fields: Fields }): SafeHtml {
  return html`<div class="narrow">
<h1>Authentication code</h1>
<p>Enter the six-digit code your authenticator app shows for this site, or one of your recovery codes.</p>
<form method="post" action="/admin/sign-in/code" novalidate>
${csrfField(f.csrfToken)}
<input type="hidden" name="next" value="${f.next}">
${textField({ name: 'code', label: 'Code', value: '', error: f.fields.code, autocomplete: 'one-time-code', inputmode: 'text', required: true, autofocus: true })}
<div class="actions">${button('Continue', { kind: 'primary' })}</div>
</form>
<p><a href="/admin/sign-in">Start again</a></p>
</div>`;
}

export function secondFactorSetupPage(v: { csrfToken: string; secret: string; grouped: string; proof: string; qr: SafeHtml; fields: Fields }): SafeHtml {
  return html`<p class="breadcrumb"><a href="/admin/account">Your account</a></p>
<h1>Turn on two-step sign-in</h1>
<ol class="steps">
<li>Open an authenticator app on your phone (for example FreeOTP, Aegis, Google Authenticator or 1Password) and add an account by scanning this code:
<figure class="qr" role="img" aria-label="QR code holding the set-up key">${v.qr}</figure>
or by typing this key: <code class="copy">${v.grouped}</code></li>
<li>Enter the six-digit code the app shows.</li>
</ol>
${errorSummary(v.fields)}
<form method="post" action="/admin/account/two-step" novalidate>
${csrfField(v.csrfToken)}
<input type="hidden" name="secret" value="${v.secret}">
<input type="hidden" name="proof" value="${v.proof}">
${textField({ name: 'code', label: 'Code from the app', value: '', error: v.fields.code, autocomplete: 'one-time-code', inputmode: 'numeric', required: true })}
<div class="actions">${button('Turn on', { kind: 'primary' })}</div>
</form>`;
}

export function recoveryCodesPage(codes: readonly string[]): SafeHtml {
  return html`<h1>Two-step sign-in is on</h1>
${notice('success', 'From now on, signing in asks for a code from your app after your password.')}
<section class="panel" aria-labelledby="codes-heading">
<h2 id="codes-heading">Your recovery codes</h2>
<p>If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe now: they are not shown again.</p>
<ul class="recovery-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
</section>
<p><a class="button primary" href="/admin/account">Done</a></p>`;
}

export function ownAccountPage(v: { csrfToken: string; account: AccountSummary; sessions: number; secondFactor: { enabled: boolean; recoveryCodesLeft: number }; fields: Fields; message?: string }): SafeHtml {
  return html`<h1>Your account</h1>
${v.message ? notice('success', v.message) : ''}
<dl class="facts">
<dt>Name</dt><dd>${v.account.name}</dd>
<dt>Email</dt><dd>${v.account.email}</dd>
<dt>Role</dt><dd>${v.account.role}</dd>
</dl>
<section class="panel" aria-labelledby="password-heading">
<h2 id="password-heading">Change your password</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/account/password" novalidate>
${csrfField(v.csrfToken)}
<input type="text" name="username" value="${v.account.email}" autocomplete="username" hidden>
${textField({ name: 'current', label: 'Current password', type: 'password', value: '', error: v.fields.current, autocomplete: 'current-password', required: true })}
${textField({ name: 'password', label: 'New password', type: 'password', value: '', error: v.fields.password, hint: 'At least 10 characters. Changing it signs you out on your other devices.', autocomplete: 'new-password', required: true })}
${textField({ name: 'confirm', label: 'New password again', type: 'password', value: '', error: v.fields.confirm, autocomplete: 'new-password', required: true })}
<div class="actions">${button('Change password', { kind: 'primary' })}</div>
</form>
</section>
<section class="panel" aria-labelledby="two-step-heading">
<h2 id="two-step-heading">Two-step sign-in</h2>
${v.secondFactor.enabled
  ? html`<p>On: signing in asks for a code from your authenticator app. ${v.secondFactor.recoveryCodesLeft} recovery code${v.secondFactor.recoveryCodesLeft === 1 ? '' : 's'} left.</p>
<form method="post" action="/admin/account/two-step/off" novalidate>${csrfField(v.csrfToken)}
${textField({ id: 'off_password', name: 'password', label: 'Your password, to turn it off', type: 'password', value: '', error: v.fields.off_password, autocomplete: 'current-password' })}
<div class="actions">${button('Turn off two-step sign-in', { kind: 'danger' })}</div></form>`
  : html`<p>Off. With it on, a stolen password alone cannot open your account.</p><p><a class="button secondary" href="/admin/account/two-step">Turn on two-step sign-in</a></p>`}
</section>
<section class="panel" aria-labelledby="sessions-heading">
<h2 id="sessions-heading">Where you are signed in</h2>
<p>You are signed in on ${v.sessions} device${v.sessions === 1 ? '' : 's'} or browser${v.sessions === 1 ? '' : 's'}.</p>
<form method="post" action="/admin/account/sign-out-everywhere">${csrfField(v.csrfToken)}<p>${button('Sign out everywhere', { kind: 'danger' })}</p></form>
</section>`;
}

export function auditPage(v: { entries: readonly AuditRecord[]; next: number | null; action: string }): SafeHtml {
  return html`<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="filters" role="search">
${textField({ name: 'action', label: 'Action starts with', value: v.action, hint: 'For example user., article.publish or comment.', type: 'search' })}
<div class="actions">${button('Filter')}</div>
</form>
<table class="list">
<caption class="visually-hidden">What was done, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">On</th><th scope="col">Details</th></tr></thead>
<tbody>
${v.entries.map(
  (e) => html`<tr><td>${when(e.at)}</td><td>${e.actorName || '—'}</td><td><code>${e.action}</code></td><td>${e.subject}</td><td>${Object.keys(e.details).length ? html`<code>${JSON.stringify(e.details)}</code>` : ''}</td></tr>`,
)}
</tbody>
</table>
${v.entries.length === 0 ? html`<p>Nothing recorded yet.</p>` : ''}
${v.next !== null ? html`<p><a href="/admin/audit?before=${v.next}${v.action ? `&action=${encodeURIComponent(v.action)}` : ''}">Older entries</a></p>` : ''}`;
}

export function adminErrorPage(status: number, message: string): SafeHtml {
  const heading = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status === 401 ? 'Please sign in' : status >= 500 ? 'Something went wrong' : 'This request was not accepted';
  return html`<div class="narrow"><h1>${heading}</h1><p>${message}</p><p><a href="/admin">Back to the newsroom</a></p></div>`;
}
