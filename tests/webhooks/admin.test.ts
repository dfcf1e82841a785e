// The webhook screens under /admin, through real HTTP with a signed-in browser-like client: an admin adds
// a webhook (the secret shown once), sends a test event that a real receiver gets signed, and reads the
// receiver's answer in the delivery log; bad input comes back with the message beside its field;
// disabling, rotating and deleting work; other roles are refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { AdminClient, createAccount, signIn } from '../helpers/admin.ts';
import type { TestServer } from '../helpers/server.ts';
import { newPlace, startReceiver, startSite, until, type Place, type Receiver, type Site } from './helpers.ts';

describe('the webhook screens', () => {
  let place: Place;
  let site: Site;
  let server: TestServer;
  let receiver: Receiver;
  let client: AdminClient;

  before(async () => {
    place = await newPlace();
    site = await startSite(place);
    server = site as unknown as TestServer;
    receiver = await startReceiver();
    const admin = await createAccount(server, { role: 'admin' });
    client = await signIn(server, admin.email);
  });
  after(async () => {
    await site.stop();
    await receiver.close();
    await place.remove();
  });

  /** Adds a webhook through the form; returns its id and the secret the answer showed. */
  async function add(url: string, extra: Record<string, string | string[]> = {}): Promise<{ id: number; secret: string; text: string }> {
    await client.get('/admin/webhooks');
    const answer = await client.post('/admin/webhooks', { url, description: 'Newsletter tool', events: ['article.published', 'comment.approved'], allowPrivate: 'yes', ...extra });
    assert.equal(answer.status, 201, answer.text.slice(0, 500));
    const secret = /id="webhook-secret">(whsec_[A-Za-z0-9+/=]+)</.exec(answer.text)?.[1];
    const id = Number(/action="\/admin\/webhooks\/(\d+)\/test"/.exec(answer.text)?.[1]);
    assert.ok(secret && id > 0);
    return { id, secret, text: answer.text };
  }

  it('lists webhooks in the navigation for admins and adds one, showing its secret once', async () => {
    const list = await client.get('/admin/webhooks');
    assert.equal(list.status, 200);
    assert.match(list.text, /<a href="\/admin\/webhooks" aria-current="page">Webhooks<\/a>/);
    const { id, secret } = await add(receiver.url);
    const page = await client.get(`/admin/webhooks/${id}`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes(secret), 'the secret is not shown again');
    assert.match(page.text, /value="article\.published" checked/);
    assert.match(page.text, /value="comment\.approved" checked/);
    assert.match((await client.get('/admin/webhooks')).text, new RegExp(`href="/admin/webhooks/${id}"`));
  });

  it('sends a test event that the receiver gets signed, and shows the answer in the delivery log', async () => {
    const { id, secret } = await add(receiver.url);
    receiver.requests.length = 0;
    const queued = await client.post(`/admin/webhooks/${id}/test`);
    assert.equal(queued.status, 303);
    const [request] = await receiver.received(1);
    const event = new Webhook(secret).verify(request!.body, request!.headers) as { type: string; data: { webhookId: number } };
    assert.equal(event.type, 'webhook.test');
    assert.equal(event.data.webhookId, id);
    const page = await until(async () => {
      const p = await client.get(`/admin/webhooks/${id}`);
      return p.text.includes('Delivered (200)') && p;
    }, 'the log to show the delivery');
    assert.match(page.text, /thanks from receiver/);
    const delivery = Number(new RegExp(`/admin/webhooks/${id}/deliveries/(\\d+)`).exec(page.text)?.[1]);
    const detail = await client.get(`/admin/webhooks/${id}/deliveries/${delivery}`);
    assert.equal(detail.status, 200);
    assert.match(detail.text, /<h1>webhook\.test<\/h1>/);
    assert.match(detail.text, /thanks from receiver/);
    assert.match(detail.text, /<td>200<\/td>/);
    // Sent again by hand: a second attempt is logged.
    assert.equal((await client.post(`/admin/webhooks/${id}/deliveries/${delivery}/retry`)).status, 303);
    await receiver.received(2);
    await until(async () => (await client.get(`/admin/webhooks/${id}/deliveries/${delivery}`)).text.includes('<td>2</td>'), 'the second attempt to be logged');
  });

  it('answers bad input with the message beside its field and keeps what was typed', async () => {
    await client.get('/admin/webhooks');
    const loopback = await client.post('/admin/webhooks', { url: 'http://127.0.0.1:9/x', description: 'Typed description', events: 'article.published' });
    assert.equal(loopback.status, 422);
    assert.match(loopback.text, /<p class="field-error" id="url-error">127\.0\.0\.1 is a loopback address; such addresses are refused unless “Allow private addresses” is ticked<\/p>/);
    assert.match(loopback.text, /Typed description/);
    const noEvents = await client.post('/admin/webhooks', { url: 'https://example.org/hook' });
    assert.equal(noEvents.status, 422);
    assert.match(noEvents.text, /id="events-error">choose at least one event</);
    const notUrl = await client.post('/admin/webhooks', { url: 'javascript:alert(1)', events: 'article.published' });
    assert.equal(notUrl.status, 422);
    assert.match(notUrl.text, /id="url-error">expected an http:\/\/ or https:\/\/ URL</);
  });

  it('edits, disables (no test then), enables, rotates the secret and deletes', async () => {
    const { id, secret } = await add(receiver.url);
    const saved = await client.post(`/admin/webhooks/${id}`, { url: receiver.url, description: 'Renamed', events: ['article.updated'], allowPrivate: 'yes' });
    assert.equal(saved.status, 303);
    const edited = await client.get(`/admin/webhooks/${id}`);
    assert.match(edited.text, /value="article\.updated" checked/);
    assert.doesNotMatch(edited.text, /value="article\.published" checked/);

    assert.equal((await client.post(`/admin/webhooks/${id}/active`, { active: '0' })).status, 303);
    assert.match((await client.get(`/admin/webhooks/${id}`)).text, /Disabled: nothing is sent/);
    const refused = await client.post(`/admin/webhooks/${id}/test`);
    assert.equal(refused.status, 409);
    assert.match(refused.text, /enable it to send a test/);
    assert.equal((await client.post(`/admin/webhooks/${id}/active`, { active: '1' })).status, 303);

    const rotated = await client.post(`/admin/webhooks/${id}/rotate`);
    assert.equal(rotated.status, 200);
    const fresh = /id="webhook-secret">(whsec_[A-Za-z0-9+/=]+)</.exec(rotated.text)?.[1];
    assert.ok(fresh && fresh !== secret);
    // Both secrets sign while receivers switch over.
    receiver.requests.length = 0;
    await client.post(`/admin/webhooks/${id}/test`);
    const [request] = await receiver.received(1);
    new Webhook(fresh).verify(request!.body, request!.headers);
    new Webhook(secret).verify(request!.body, request!.headers);

    const unconfirmed = await client.post(`/admin/webhooks/${id}/delete`);
    assert.equal(unconfirmed.status, 422);
    assert.match(unconfirmed.text, /Tick the box to confirm/);
    assert.equal((await client.post(`/admin/webhooks/${id}/delete`, { confirm: 'yes' })).status, 303);
    assert.equal((await client.get(`/admin/webhooks/${id}`)).status, 404);
  });

  it('is closed to editors and to the signed-out', async () => {
    const editor = await createAccount(server, { role: 'editor' });
    const asEditor = await signIn(server, editor.email);
    assert.equal((await asEditor.get('/admin/webhooks')).status, 403);
    assert.equal((await asEditor.post('/admin/webhooks', { url: 'https://example.org/x', events: 'article.published' })).status, 403);
    assert.doesNotMatch((await asEditor.get('/admin')).text, /href="\/admin\/webhooks"/);
    const stranger = new AdminClient(server);
    assert.equal((await stranger.get('/admin/webhooks')).status, 303);
  });
});
