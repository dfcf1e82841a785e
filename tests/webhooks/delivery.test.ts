// Webhooks end to end over real HTTP: publishing an article delivers `article.published` signed per
// Standard Webhooks (checked with the spec's reference library), comments and article changes send their
// events without a reader's address or IP, a failing receiver gets retries with back-off, and a retry
// pending when the server stops is made by the next server on the same database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { Webhook } from 'standardwebhooks';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { replaceImage, uploadImage } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import type { Account } from '../../src/accounts/permissions.ts';
import { createDraft, publishArticle, publishDueArticles, saveArticle, scheduleArticle, unpublishArticle } from '../../src/articles/article.workflow.ts';
import { createCommentService, resolveSecret } from '../../src/comments/comment.service.ts';
import { createWebhook, deliveryLog, listWebhooks, setWebhookActive } from '../../src/webhooks/webhook.service.ts';
import { account, draft } from '../newsroom/helpers.ts';
import type { TestServer } from '../helpers/server.ts';
import { newPlace, PUBLIC_URL, startReceiver, startSite, until, type Place, type Receiver, type Site } from './helpers.ts';

interface Sent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

describe('webhook delivery', () => {
  let place: Place;
  let site: Site;
  let receiver: Receiver;
  let admin: Account;

  before(async () => {
    place = await newPlace();
    site = await startSite(place, { demo: true });
    receiver = await startReceiver();
    admin = await account(site as unknown as TestServer, 'admin');
  });
  after(async () => {
    await site.stop();
    await receiver.close();
    await place.remove();
  });

  /** A new endpoint on the receiver for these events; the receiver's queue is emptied first. */
  async function subscribe(events: string[]) {
    receiver.requests.length = 0;
    for (const w of await listWebhooks(site.store, admin)) if (w.active) await setWebhookActive(site.store, admin, w.id, false);
    return createWebhook(site.store, admin, { url: receiver.url, events, allowPrivate: true, description: 'test receiver' });
  }

  it('delivers article.published when an article is published, signed so that standardwebhooks verifies it', async () => {
    const { webhook, secret } = await subscribe(['article.published']);
    const a = await createDraft(site.store, admin, draft('Webhook publication story'));
    await publishArticle(site.store, admin, a.id, a.version);
    const [request] = await receiver.received(1);
    assert.equal(request!.method, 'POST');
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.match(request!.headers['webhook-id']!, /^msg_/);
    assert.match(request!.headers['webhook-signature']!, /^v1,/);
    const verified = new Webhook(secret).verify(request!.body, request!.headers) as Sent;
    assert.equal(verified.type, 'article.published');
    assert.equal(verified.data.id, a.id);
    assert.equal(verified.data.headline, 'Webhook publication story');
    assert.equal(verified.data.status, 'published');
    assert.equal(verified.data.url, `${PUBLIC_URL}${a.path}`);
    assert.ok(!Number.isNaN(Date.parse(verified.timestamp)));
    // A tampered body or another secret is refused by the same library.
    assert.throws(() => new Webhook(secret).verify(request!.body.replace('Webhook publication', 'Forged'), request!.headers));
    assert.throws(() => new Webhook(`whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`).verify(request!.body, request!.headers));
    const log = await until(async () => {
      const l = await deliveryLog(site.store, admin, webhook.id);
      return l[0]?.status === 'succeeded' && l;
    }, 'the delivery to be logged');
    assert.equal(log[0]!.log[0]!.statusCode, 200);
    assert.equal(log[0]!.log[0]!.responseExcerpt, 'thanks from receiver');
  });

  it('sends article.updated, article.scheduled and article.unpublished to endpoints that asked for them, and nothing else', async () => {
    await subscribe(['article.updated', 'article.unpublished', 'article.scheduled']);
    let a = await createDraft(site.store, admin, draft('Webhook lifecycle story'));
    a = await scheduleArticle(site.store, admin, a.id, a.version, new Date(Date.now() + 3600_000));
    a = await publishArticle(site.store, admin, a.id, a.version); // not subscribed: nothing sent
    a = await saveArticle(site.store, admin, a.id, a.version, { ...a.draft, subtitle: 'A changed subtitle' });
    await unpublishArticle(site.store, admin, a.id, a.version);
    const requests = await receiver.received(3);
    const types = requests.map((r) => (JSON.parse(r.body) as Sent).type).sort();
    assert.deepEqual(types, ['article.scheduled', 'article.unpublished', 'article.updated']);
    const scheduled = requests.map((r) => JSON.parse(r.body) as Sent).find((s) => s.type === 'article.scheduled')!;
    assert.equal(typeof scheduled.data.scheduledAt, 'string');
  });

  it('sends article.published when the scheduler publishes a scheduled article, at its scheduled time', async () => {
    await subscribe(['article.published']);
    const at = new Date(Date.now() + 3600_000);
    const a = await createDraft(site.store, admin, draft('Webhook embargo story'));
    await scheduleArticle(site.store, admin, a.id, a.version, at);
    assert.deepEqual(await publishDueArticles(site.store, new Date(at.getTime() + 1000)), [a.id]);
    const [request] = await receiver.received(1);
    const sent = JSON.parse(request!.body) as Sent;
    assert.equal(sent.type, 'article.published');
    assert.equal(sent.data.id, a.id);
    assert.equal(sent.data.publishedAt, at.toISOString());
  });

  it('sends comment.created for a held comment and comment.approved on approval, with no email or IP address', async () => {
    await subscribe(['comment.created', 'comment.approved']);
    const comments = createCommentService({ store: site.store, config: site.config, secret: await resolveSecret(site.store.db, site.config), mailer: null });
    const a = await createDraft(site.store, admin, draft('Webhook comment story'));
    await publishArticle(site.store, admin, a.id, a.version);
    const email = 'private.reader@example.org';
    const ip = '203.0.113.77';
    const posted = await comments.post(
      { article_id: String(a.id), author: 'Rita Reader', email, comment: 'A thoughtful comment for the webhook test.', token: comments.formToken(a.id, new Date(Date.now() - 60_000)) },
      { ip, userAgent: 'test browser', now: new Date(), browserComments: [] },
    );
    assert.equal(posted.status, 'pending');
    await comments.moderate([posted.id], 'approved');
    const requests = await receiver.received(2);
    const sent = requests.map((r) => JSON.parse(r.body) as Sent);
    assert.deepEqual(sent.map((s) => s.type), ['comment.created', 'comment.approved']);
    assert.equal(sent[0]!.data.status, 'pending');
    assert.equal(sent[0]!.data.id, posted.id);
    assert.equal(sent[0]!.data.articleId, a.id);
    assert.equal(sent[1]!.data.articleUrl, `${PUBLIC_URL}${a.path}`);
    for (const r of requests) {
      assert.ok(!r.body.includes(email) && !r.body.includes('private.reader'), 'no email address');
      assert.ok(!r.body.includes(ip), 'no IP address');
      assert.ok(!r.body.includes('test browser'), 'no user agent');
    }
  });

  it('sends both comment.created and comment.approved for a comment published at once', async () => {
    await subscribe(['comment.created', 'comment.approved']);
    const config = { ...site.config, comments: { ...site.config.comments, moderation: 'hold-none' as const } };
    const comments = createCommentService({ store: site.store, config, secret: await resolveSecret(site.store.db, config), mailer: null });
    const a = await createDraft(site.store, admin, draft('Webhook story with an open thread'));
    await publishArticle(site.store, admin, a.id, a.version);
    const posted = await comments.post(
      { article_id: String(a.id), author: 'Quick Reader', email: 'quick.reader@example.org', comment: 'Published at once.', token: comments.formToken(a.id, new Date(Date.now() - 60_000)) },
      { ip: '203.0.113.78', userAgent: 'test browser', now: new Date(), browserComments: [] },
    );
    assert.equal(posted.status, 'approved');
    const sent = (await receiver.received(2)).map((r) => JSON.parse(r.body) as Sent);
    assert.deepEqual(sent.map((s) => s.type).sort(), ['comment.approved', 'comment.created']);
    for (const s of sent) assert.equal(s.data.id, posted.id);
  });

  it('sends media.replaced when a library picture gets a new file', async () => {
    await subscribe(['media.replaced']);
    const deps = { store: site.store, storage: localStorage(site.config.mediaDir), settings: site.config.images, usage: articleImageUsage };
    const picture = (colour: string, width: number) => sharp({ create: { width, height: 300, channels: 3, background: colour } }).png().toBuffer();
    const upload = async (fileName: string, bytes: Promise<Buffer>) => ({ fileName, stream: Readable.from([await bytes]), truncated: () => false });
    const item = await uploadImage(deps, admin, await upload('first.png', picture('#ff0000', 400)), { alt: 'Red' });
    assert.equal(receiver.requests.length, 0, 'an upload is no replacement');
    await replaceImage(deps, admin, item.id, await upload('second.png', picture('#00ff00', 500)));
    const [request] = await receiver.received(1);
    const sent = JSON.parse(request!.body) as Sent;
    assert.equal(sent.type, 'media.replaced');
    assert.equal(sent.data.id, item.id);
    assert.equal(sent.data.width, 500);
  });

  it('retries with back-off after a failing answer, keeping the message id, and logs every attempt', async () => {
    const { webhook, secret } = await subscribe(['article.published']);
    receiver.answers.push({ status: 500, body: 'server trouble' });
    const a = await createDraft(site.store, admin, draft('Webhook retry story'));
    await publishArticle(site.store, admin, a.id, a.version);
    const [first, second] = await receiver.received(2);
    assert.equal(first!.headers['webhook-id'], second!.headers['webhook-id']);
    new Webhook(secret).verify(second!.body, second!.headers);
    const log = await until(async () => {
      const l = await deliveryLog(site.store, admin, webhook.id);
      return l[0]?.status === 'succeeded' && l[0];
    }, 'the retried delivery to succeed');
    assert.equal(log.attempts, 2);
    assert.deepEqual(log.log.map((x) => [x.attempt, x.outcome, x.statusCode, x.responseExcerpt]), [
      [1, 'http_error', 500, 'server trouble'],
      [2, 'ok', 200, 'thanks from receiver'],
    ]);
    // The second attempt waited for the back-off (50 ms in these tests) after the first.
    assert.ok(Date.parse(log.log[1]!.startedAt) - Date.parse(log.log[0]!.startedAt) >= 50);
  });

  it('marks a delivery failed after the last attempt', async () => {
    const { webhook } = await subscribe(['article.published']);
    for (let i = 0; i < 5; i++) receiver.answers.push({ status: 503, body: `down ${i + 1}` });
    const a = await createDraft(site.store, admin, draft('Webhook failing story'));
    await publishArticle(site.store, admin, a.id, a.version);
    const failed = await until(async () => {
      const l = await deliveryLog(site.store, admin, webhook.id);
      return l[0]?.status === 'failed' && l[0];
    }, 'the delivery to fail');
    assert.equal(failed.attempts, 5);
    assert.deepEqual(failed.log.map((x) => x.statusCode), [503, 503, 503, 503, 503]);
    assert.equal(receiver.requests.length, 5);
  });
});

describe('webhook retries across a restart', () => {
  it('a retry left pending when the server stops is made by the next server on the same database', async () => {
    const place = await newPlace();
    const receiver = await startReceiver();
    let first: Site | null = await startSite(place, { demo: true, webhooks: { retryBaseMs: 300 } });
    let second: Site | null = null;
    try {
      const admin = await account(first as unknown as TestServer, 'admin');
      const { webhook, secret } = await createWebhook(first.store, admin, { url: receiver.url, events: ['article.published'], allowPrivate: true });
      receiver.answers.push({ status: 503, body: 'restarting' }, { status: 503, body: 'restarting' }, { status: 503, body: 'restarting' });
      const a = await createDraft(first.store, admin, draft('Webhook restart story'));
      await publishArticle(first.store, admin, a.id, a.version);
      await receiver.received(1);
      await until(async () => ((await deliveryLog(first!.store, admin, webhook.id))[0]?.attempts ?? 0) >= 1, 'the first attempt to be recorded');
      await first.stop();
      first = null;
      const before = receiver.requests.length;
      receiver.answers.length = 0; // from now on: 200
      second = await startSite(place, { webhooks: { retryBaseMs: 300 } });
      const requests = await receiver.received(before + 1);
      const last = requests.at(-1)!;
      new Webhook(secret).verify(last.body, last.headers);
      assert.equal(last.headers['webhook-id'], requests[0]!.headers['webhook-id']);
      const done = await until(async () => {
        const l = await deliveryLog(second!.store, admin, webhook.id);
        return l[0]?.status === 'succeeded' && l[0];
      }, 'the delivery to complete after the restart');
      assert.equal(done.attempts, before + 1);
      assert.equal(done.log.at(-1)!.statusCode, 200);
    } finally {
      await first?.stop();
      await second?.stop();
      await receiver.close();
      await place.remove();
    }
  });
});

describe('webhook delivery by several app nodes', () => {
  it('two servers on one database send each event once', async () => {
    const place = await newPlace();
    const receiver = await startReceiver();
    const one = await startSite(place, { demo: true });
    const two = await startSite(place);
    try {
      const admin = await account(one as unknown as TestServer, 'admin');
      const { webhook } = await createWebhook(one.store, admin, { url: receiver.url, events: ['article.published', 'article.updated'], allowPrivate: true });
      // Changes made through both servers' stores; both workers look for due deliveries all along.
      for (let i = 0; i < 6; i++) {
        const store = i % 2 ? two.store : one.store;
        const a = await createDraft(store, admin, draft(`Webhook two nodes story ${i}`));
        const p = await publishArticle(store, admin, a.id, a.version);
        await saveArticle(store, admin, p.id, p.version, { ...p.draft, subtitle: `Changed ${i}` });
      }
      await receiver.received(12);
      await until(async () => (await deliveryLog(one.store, admin, webhook.id)).filter((d) => d.status === 'succeeded').length === 12, 'every delivery to finish');
      const ids = receiver.requests.map((r) => r.headers['webhook-id']);
      assert.equal(new Set(ids).size, 12);
      assert.equal(ids.length, 12, 'no event was sent twice');
      const log = await deliveryLog(two.store, admin, webhook.id);
      assert.ok(log.every((d) => d.attempts === 1 && d.log.length === 1));
    } finally {
      await one.stop();
      await two.stop();
      await receiver.close();
      await place.remove();
    }
  });
});
