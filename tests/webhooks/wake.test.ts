// When the webhook worker looks for due deliveries besides its timer (decision 0052): on a change heard
// while an endpoint is active, as before; while none is, a change cannot have queued a delivery, so it
// does not look (a comment accepted 20 times a second made 20 reads a second for nothing); a change to
// the endpoints (`webhooks`, announced by the webhook service) makes it look again. Timers here are long,
// so that only changes wake the worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Account } from '../../src/accounts/permissions.ts';
import { createDraft, publishArticle } from '../../src/articles/article.workflow.ts';
import { createCommentService, resolveSecret } from '../../src/comments/comment.service.ts';
import { key } from '../../src/db/change-keys.ts';
import { DEFAULT_WEBHOOK_WORKER, startWebhookWorker } from '../../src/webhooks/webhook.delivery.ts';
import { createWebhook, listWebhooks, setWebhookActive } from '../../src/webhooks/webhook.service.ts';
import { account, draft } from '../newsroom/helpers.ts';
import { countingStatements as counting } from '../helpers/counting.ts';
import type { TestServer } from '../helpers/server.ts';
import { newPlace, startReceiver, startSite, type Place, type Receiver, type Site } from './helpers.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('what wakes the webhook worker', () => {
  let place: Place;
  let site: Site;
  let receiver: Receiver;
  let admin: Account;

  before(async () => {
    place = await newPlace();
    // The server's own worker looks only every minute: changes alone must bring deliveries out.
    site = await startSite(place, { demo: true, webhooks: { everyMs: 60_000 } });
    receiver = await startReceiver();
    admin = await account(site as unknown as TestServer, 'admin');
  });
  after(async () => {
    await site.stop();
    await receiver.close();
    await place.remove();
  });

  it('does not look on a change while no endpoint is active, and looks again after a change to the endpoints', async () => {
    const counted = counting(site.store);
    const worker = startWebhookWorker(counted.store, { ...DEFAULT_WEBHOOK_WORKER, everyMs: 60_000, publicUrl: site.config.publicUrl, onError: (error) => assert.fail(String(error)) });
    try {
      await settle();
      // The first look (and the hourly pruning with it).
      const first = counted.count();
      assert.ok(first >= 1, 'the worker looked at start');
      for (let i = 0; i < 5; i++) site.store.changes.announce([key.comments(1)]);
      await settle();
      assert.equal(counted.count(), first, 'no endpoint: changes made no look');
      site.store.changes.announce([key.webhooks]);
      await settle();
      const afterEndpoints = counted.count();
      assert.equal(afterEndpoints, first + 1, 'a change to the endpoints: one look');
      const { webhook } = await createWebhook(site.store, admin, { url: receiver.url, events: ['comment.approved'], allowPrivate: true, description: 'wake test' });
      await settle();
      const withEndpoint = counted.count();
      assert.ok(withEndpoint > afterEndpoints, 'creating an endpoint made the worker look');
      site.store.changes.announce([key.comments(1)]);
      await settle();
      assert.equal(counted.count(), withEndpoint + 1, 'an active endpoint: a change makes a look');
      await setWebhookActive(site.store, admin, webhook.id, false);
      await settle();
      const disabled = counted.count();
      site.store.changes.announce([key.comments(1)]);
      await settle();
      assert.equal(counted.count(), disabled, 'the endpoint disabled: changes make no look again');
    } finally {
      await worker.stop();
    }
  });

  it('delivers an event queued after an endpoint was created, without waiting for the timer', async () => {
    const comments = createCommentService({ store: site.store, config: { ...site.config, comments: { ...site.config.comments, moderation: 'hold-none' } }, secret: await resolveSecret(site.store.db, site.config), mailer: null });
    const a = await createDraft(site.store, admin, draft('Webhook wake story'));
    await publishArticle(site.store, admin, a.id, a.version);
    // The server's worker has looked and found no active endpoint (the first test disabled its own): only
    // hearing of the new endpoint makes the comment's change wake it.
    assert.deepEqual((await listWebhooks(site.store, admin)).filter((w) => w.active), []);
    receiver.requests.length = 0;
    await createWebhook(site.store, admin, { url: receiver.url, events: ['comment.approved'], allowPrivate: true, description: 'wake test, second' });
    const posted = await comments.post(
      { article_id: String(a.id), author: 'Wendy Waker', email: 'wendy@example.org', comment: 'Published at once, sent at once.', token: comments.formToken(a.id, new Date(Date.now() - 60_000)) },
      { ip: '203.0.113.9', userAgent: 'test browser', now: new Date(), browserComments: [] },
    );
    assert.equal(posted.status, 'approved');
    const [request] = await receiver.received(1, 10_000);
    assert.equal((JSON.parse(request!.body) as { type: string }).type, 'comment.approved');
  });
});
