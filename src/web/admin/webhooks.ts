// Admin views of webhooks (decision 0026): the endpoints with their newest delivery and a form to add
// one; one endpoint's form, its actions (send a test, disable or enable, rotate the secret, delete) and
// its delivery log; one delivery with its payload and every attempt's answer. A secret is shown once,
// on the page that answers the form that made it.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { DeliveryView, WebhookView } from '../../webhooks/webhook.service.ts';
import { button, checkboxField, csrfField, errorSummary, listTable, listTime, notice, textArea, textField } from './forms.ts';

type Fields = Readonly<Record<string, string>>;

/** The add and edit forms as typed. */
export interface WebhookForm {
  url: string;
  description: string;
  events: readonly string[];
  allowPrivate: boolean;
}

/** An event type to offer, with what it means. */
export interface EventChoice {
  type: string;
  meaning: string;
}

const STATUS_WORDS: Record<string, string> = { pending: 'Waiting', succeeded: 'Delivered', failed: 'Failed' };

function statusText(status: string, code: number | null): string {
  return `${STATUS_WORDS[status] ?? status}${code !== null ? ` (${code})` : ''}`;
}

function webhookFields(f: WebhookForm, choices: readonly EventChoice[], fields: Fields): SafeHtml {
  return html`${textField({ name: 'url', label: 'URL', type: 'url', value: f.url, error: fields.url, required: true, dir: 'ltr', maxlength: 2000, hint: 'Events are POSTed here as JSON, signed per Standard Webhooks.' })}
${textArea({ name: 'description', label: 'Description', value: f.description, error: fields.description, rows: 2, dir: 'auto' })}
<fieldset class="field${fields.events ? ' has-error' : ''}" id="events"${fields.events ? html` aria-describedby="events-error"` : ''}>
<legend>Events</legend>
${fields.events ? html`<p class="field-error" id="events-error">${fields.events}</p>` : ''}
${choices.map((c) => checkboxField({ id: `event-${c.type.replace('.', '-')}`, name: 'events', value: c.type, label: c.type, checked: f.events.includes(c.type), hint: c.meaning }))}
</fieldset>
${checkboxField({ id: 'allowPrivate', name: 'allowPrivate', value: 'yes', label: 'Allow private addresses', checked: f.allowPrivate, hint: 'Lets this endpoint be on a private, loopback or link-local address (an internal service). Leave it off for anything on the internet: then such addresses are refused, whatever the name resolves to when sending.' })}`;
}

function secretNotice(secret: string): SafeHtml {
  return notice(
    'success',
    html`This is the webhook’s signing secret. Copy it now: it is not shown again.<br><code class="copy" id="webhook-secret">${secret}</code>`,
  );
}

export interface WebhooksView {
  csrfToken: string;
  webhooks: readonly WebhookView[];
  choices: readonly EventChoice[];
  form: WebhookForm;
  fields: Fields;
  message?: string;
}

function webhookRow(w: WebhookView): SafeHtml {
  return html`<tr>
<td><a href="/admin/webhooks/${w.id}" dir="ltr">${w.url}</a>${w.description ? html`<br><span class="hint" dir="auto">${w.description}</span>` : ''}</td>
<td>${w.events.join(', ')}</td>
<td>${w.active ? 'Active' : 'Disabled'}${w.allowPrivate ? ', private addresses allowed' : ''}</td>
<td>${w.lastDelivery ? statusText(w.lastDelivery.status, w.lastDelivery.lastStatusCode) : 'None yet'}</td>
</tr>`;
}

function attemptRow(a: DeliveryView['log'][number]): SafeHtml {
  return html`<tr>
<td>${a.attempt}</td>
<td><time datetime="${a.startedAt}">${a.startedAt}</time></td>
<td>${a.outcome}${a.error ? html`<br>${a.error}` : ''}</td>
<td>${a.statusCode ?? '–'}</td>
<td>${a.durationMs} ms</td>
<td>${a.responseExcerpt ? html`<pre dir="ltr" class="response-excerpt"><code>${a.responseExcerpt}</code></pre>` : '–'}</td>
</tr>`;
}

export function webhooksPage(v: WebhooksView): SafeHtml {
  return html`<h1>Webhooks</h1>
${v.message ? notice('success', v.message) : ''}
<p>Other systems are told of what happens on the site by a signed POST to their URL. See the API guide for how to check the signature.</p>
${listTable({ caption: 'Webhooks', columns: ['URL', 'Events', 'State', 'Last delivery'], rows: v.webhooks, row: webhookRow, empty: 'No webhooks yet.' })}
<section class="panel" aria-labelledby="add-webhook-heading">
<h2 id="add-webhook-heading">Add a webhook</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/webhooks" novalidate>
${csrfField(v.csrfToken)}
${webhookFields(v.form, v.choices, v.fields)}
<div class="actions">${button('Add webhook', { kind: 'primary' })}</div>
</form>
</section>`;
}

export interface WebhookPageView {
  csrfToken: string;
  webhook: WebhookView;
  choices: readonly EventChoice[];
  form: WebhookForm;
  fields: Fields;
  deliveries: readonly DeliveryView[];
  /** A secret just made (added or rotated), shown this once. */
  secret?: string;
  message?: string;
  problem?: string;
}

function actionForm(id: number, csrfToken: string, path: string, label: string, kind: 'primary' | 'secondary' | 'danger', extra: SafeHtml = html``): SafeHtml {
  return html`<form method="post" action="/admin/webhooks/${id}/${path}" class="inline">${csrfField(csrfToken)}${extra}${button(label, { kind })}</form>`;
}

function deliveryRow(webhookId: number, d: DeliveryView): SafeHtml {
  const last = d.log.at(-1);
  return html`<tr>
<td><a href="/admin/webhooks/${webhookId}/deliveries/${d.id}">${d.type}</a></td>
<td>${listTime(d.createdAt, 19)}</td>
<td>${statusText(d.status, d.lastStatusCode)}${d.nextAttemptAt && d.attempts > 0 ? html`, next try ${listTime(d.nextAttemptAt, 19)}` : ''}</td>
<td>${d.attempts}</td>
<td>${last ? html`${last.error || `answered ${last.statusCode ?? ''}`}${last.responseExcerpt ? html`<br><code class="response-excerpt">${last.responseExcerpt.slice(0, 200)}</code>` : ''}` : ''}</td>
</tr>`;
}

function deliveryRows(webhookId: number, deliveries: readonly DeliveryView[]): SafeHtml {
  return listTable({
    caption: 'Newest deliveries first',
    columns: ['Event', 'Queued', 'Status', 'Attempts', 'Last answer'],
    rows: deliveries,
    row: (d) => deliveryRow(webhookId, d),
    empty: 'Nothing sent yet.',
  });
}

export function webhookPage(v: WebhookPageView): SafeHtml {
  const w = v.webhook;
  return html`<p class="breadcrumb"><a href="/admin/webhooks">Webhooks</a></p>
<h1 dir="ltr">${w.url}</h1>
${v.secret ? secretNotice(v.secret) : ''}
${v.message ? notice('success', v.message) : ''}
${v.problem ? notice('error', v.problem) : ''}
<p>${w.active ? 'Active.' : 'Disabled: nothing is sent until it is enabled again; deliveries wait.'}${w.previousSecretUntil ? html` The secret before the last rotation also signs requests until ${listTime(w.previousSecretUntil, 16, { utc: true })}.` : ''}</p>
<div class="actions">
${actionForm(w.id, v.csrfToken, 'test', 'Send test event', 'primary')}
${actionForm(w.id, v.csrfToken, 'active', w.active ? 'Disable' : 'Enable', w.active ? 'danger' : 'secondary', html`<input type="hidden" name="active" value="${w.active ? '0' : '1'}">`)}
${actionForm(w.id, v.csrfToken, 'rotate', 'Rotate secret', 'secondary')}
</div>
<section class="panel" aria-labelledby="log-heading">
<h2 id="log-heading">Deliveries</h2>
${deliveryRows(w.id, v.deliveries)}
</section>
<section class="panel" aria-labelledby="edit-heading">
<h2 id="edit-heading">Edit</h2>
${errorSummary(v.fields)}
<form method="post" action="/admin/webhooks/${w.id}" novalidate>
${csrfField(v.csrfToken)}
${webhookFields(v.form, v.choices, v.fields)}
<div class="actions">${button('Save webhook', { kind: 'primary' })}</div>
</form>
</section>
<section class="panel" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete</h2>
<form method="post" action="/admin/webhooks/${w.id}/delete" novalidate>
${csrfField(v.csrfToken)}
${v.fields.confirm ? html`<p class="field-error" id="confirm-error">${v.fields.confirm}</p>` : ''}
${checkboxField({ name: 'confirm', value: 'yes', label: 'Delete this webhook and its delivery log', checked: false })}
<div class="actions">${button('Delete webhook', { kind: 'danger' })}</div>
</form>
</section>`;
}

export function deliveryPage(v: { csrfToken: string; webhook: WebhookView; delivery: DeliveryView; message?: string; problem?: string }): SafeHtml {
  const d = v.delivery;
  return html`<p class="breadcrumb"><a href="/admin/webhooks">Webhooks</a> › <a href="/admin/webhooks/${v.webhook.id}" dir="ltr">${v.webhook.url}</a></p>
<h1>${d.type}</h1>
${v.message ? notice('success', v.message) : ''}
${v.problem ? notice('error', v.problem) : ''}
<dl class="facts">
<dt>Status</dt><dd>${statusText(d.status, d.lastStatusCode)}</dd>
<dt>Message id (<code>webhook-id</code>)</dt><dd><code>${d.messageId}</code></dd>
<dt>Queued</dt><dd><time datetime="${d.createdAt}">${d.createdAt}</time></dd>
${d.nextAttemptAt ? html`<dt>Next attempt</dt><dd><time datetime="${d.nextAttemptAt}">${d.nextAttemptAt}</time></dd>` : ''}
${d.completedAt ? html`<dt>Finished</dt><dd><time datetime="${d.completedAt}">${d.completedAt}</time></dd>` : ''}
</dl>
${d.status !== 'pending' ? html`<form method="post" action="/admin/webhooks/${v.webhook.id}/deliveries/${d.id}/retry">${csrfField(v.csrfToken)}<p>${button('Send again')}</p></form>` : ''}
<section class="panel" aria-labelledby="payload-heading">
<h2 id="payload-heading">Payload</h2>
<p class="hint">As stored; site paths are sent with their absolute URLs beside them.</p>
<pre dir="ltr"><code>${JSON.stringify(JSON.parse(d.payload), null, 2)}</code></pre>
</section>
<section class="panel" aria-labelledby="attempts-heading">
<h2 id="attempts-heading">Attempts</h2>
${listTable({ columns: ['Attempt', 'Started', 'Outcome', 'Status code', 'Time', 'Response'], rows: d.log, row: attemptRow, empty: 'Not attempted yet.' })}
</section>`;
}
