// SSRF defence of webhook delivery, over real sockets: loopback, link-local, private and other non-public
// addresses are refused by default, whether written in the URL (in any spelling) or reached through a
// name (checked on the address the connection resolves, so DNS rebinding cannot slip through), and a
// redirect is recorded, never followed. Each refusal has a control: with private addresses allowed, the
// same request reaches the receiver, so the refusal is the check and not a failed connection.
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Account } from '../../src/accounts/permissions.ts';
import { createDraft, publishArticle } from '../../src/articles/article.workflow.ts';
import { AppError } from '../../src/errors.ts';
import { addressProblem } from '../../src/webhooks/webhook.addresses.ts';
import { sendWebhook } from '../../src/webhooks/webhook.http.ts';
import { createWebhook, deliveryLog } from '../../src/webhooks/webhook.service.ts';
import type { TestServer } from '../helpers/server.ts';
import { account, draft } from '../newsroom/helpers.ts';
import { newPlace, startReceiver, startSite, until, type Place, type Receiver, type Site } from './helpers.ts';

/** A resolver that answers from a table, as a DNS server under the test's control would. */
function fakeDns(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const found = (table[hostname] ?? []).map((address) => ({ address, family: net.isIP(address) }));
    if (!found.length) return callback(Object.assign(new Error(`${hostname} not found`), { code: 'ENOTFOUND' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: typeof found) => void)(null, found);
    return callback(null, found[0]!.address, found[0]!.family);
  };
}

const send = (url: string, allowPrivate: boolean, lookup?: LookupFunction) =>
  sendWebhook(url, { 'content-type': 'application/json' }, '{"type":"webhook.test"}', { allowPrivate, timeoutMs: 3000, ...(lookup ? { lookup } : {}) });

describe('which addresses webhooks may reach', () => {
  it('refuses every non-public range, in IPv4 and IPv6, and IPv4 inside IPv6', () => {
    const refused = [
      '127.0.0.1', '127.255.0.9', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.1', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '100.127.255.254', '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '192.0.2.1', '198.18.0.1',
      '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1',
      '::ffff:169.254.169.254', '::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2001:db8::1', 'fec0::1', 'not-an-address',
    ];
    assert.deepEqual(refused.filter((ip) => addressProblem(ip) === null), []);
    const allowed = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '2002:808:808::'];
    assert.deepEqual(allowed.filter((ip) => addressProblem(ip) !== null), []);
    assert.equal(addressProblem('169.254.169.254'), 'link-local');
    assert.equal(addressProblem('::1'), 'loopback');
    assert.equal(addressProblem('100.64.1.1'), 'shared (CGNAT)');
  });
});

describe('sending to refused addresses', () => {
  let v4: Receiver;
  let v6: Receiver | null = null;
  before(async () => {
    v4 = await startReceiver();
    try {
      v6 = await startReceiver('::1');
    } catch {
      v6 = null; // no IPv6 loopback on this machine: the [::1] case is judged without a listener
    }
  });
  after(async () => {
    await v4.close();
    await v6?.close();
  });

  it('refuses 127.0.0.1, and reaches it only when private addresses are allowed', async () => {
    const refused = await send(`http://127.0.0.1:${v4.port}/hook`, false);
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.error, /127\.0\.0\.1 is a loopback address/);
    assert.equal(v4.requests.length, 0);
    assert.equal((await send(`http://127.0.0.1:${v4.port}/hook`, true)).outcome, 'ok');
    assert.equal(v4.requests.length, 1);
  });

  it('refuses [::1]', async () => {
    const port = v6?.port ?? v4.port;
    const refused = await send(`http://[::1]:${port}/hook`, false);
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.error, /loopback/);
    if (v6) {
      assert.equal(v6.requests.length, 0);
      assert.equal((await send(`http://[::1]:${port}/hook`, true)).outcome, 'ok');
      assert.equal(v6.requests.length, 1);
    }
  });

  it('refuses the cloud metadata address 169.254.169.254 and 10.x at once, without connecting', async () => {
    for (const [url, kind] of [
      ['http://169.254.169.254/latest/meta-data/', 'link-local'],
      ['http://10.1.2.3:8080/hook', 'private'],
      ['http://[fd00::1]/hook', 'unique-local'],
      ['http://100.100.1.1/hook', 'CGNAT'],
      ['http://0.0.0.0:1/hook', 'unspecified'],
    ] as const) {
      const r = await send(url, false);
      assert.equal(r.outcome, 'refused', url);
      assert.ok(r.error.includes(kind), `${url}: ${r.error}`);
      assert.equal(r.statusCode, null);
    }
  });

  it('refuses loopback however the URL spells it (IPv4-mapped IPv6, decimal, hexadecimal)', async () => {
    for (const url of [`http://[::ffff:127.0.0.1]:${v4.port}/hook`, `http://2130706433:${v4.port}/hook`, `http://0x7f.0.0.1:${v4.port}/hook`, `http://127.1:${v4.port}/hook`]) {
      const r = await send(url, false);
      assert.equal(r.outcome, 'refused', url);
    }
    assert.equal(v4.requests.length, 1, 'only the allowed request of the first test arrived');
  });

  it('refuses a name that resolves to loopback (localhost, and a name the test’s DNS points at 127.0.0.1), checked when connecting', async () => {
    const localhost = await send(`http://localhost:${v4.port}/hook`, false);
    assert.equal(localhost.outcome, 'refused');
    assert.match(localhost.error, /localhost resolves to .*loopback/);
    const dns = fakeDns({ 'rebound.example': ['127.0.0.1'], 'mixed.example': ['93.184.216.34', '127.0.0.1'] });
    const rebound = await send(`http://rebound.example:${v4.port}/hook`, false, dns);
    assert.equal(rebound.outcome, 'refused');
    assert.match(rebound.error, /rebound\.example resolves to 127\.0\.0\.1, a loopback address/);
    // One private address among public ones is enough to refuse.
    assert.equal((await send(`http://mixed.example:${v4.port}/hook`, false, dns)).outcome, 'refused');
    const before = v4.requests.length;
    // The control: the same name, private addresses allowed, is connected to the address the hook gave.
    assert.equal((await send(`http://rebound.example:${v4.port}/hook`, true, dns)).outcome, 'ok');
    assert.equal(v4.requests.length, before + 1);
    assert.equal(v4.requests.at(-1)!.headers.host, `rebound.example:${v4.port}`);
  });

  it('does not follow a redirect (to loopback or anywhere): the 3xx is the answer', async () => {
    const target = await startReceiver();
    try {
      v4.answers.push({ status: 302, body: 'moved', headers: { location: target.url } });
      const r = await send(`http://127.0.0.1:${v4.port}/hook`, true);
      assert.equal(r.outcome, 'redirect');
      assert.equal(r.statusCode, 302);
      assert.match(r.error, /redirect to http:\/\/127\.0\.0\.1:\d+\/hook not followed/);
      assert.equal(target.requests.length, 0);
    } finally {
      await target.close();
    }
  });
});

describe('SSRF refusals through the whole pipeline', () => {
  let place: Place;
  let site: Site;
  let receiver: Receiver;
  let admin: Account;
  before(async () => {
    place = await newPlace();
    receiver = await startReceiver();
    site = await startSite(place, { demo: true, webhooks: { lookup: fakeDns({ 'intranet.example': ['127.0.0.1'] }) } });
    admin = await account(site as unknown as TestServer, 'admin');
  });
  after(async () => {
    await site.stop();
    await receiver.close();
    await place.remove();
  });

  it('refuses to register a private address unless private addresses are allowed', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://[::1]/hook', 'http://169.254.169.254/', 'http://10.0.0.7/hook', 'http://localhost:8080/hook', 'http://[::ffff:7f00:1]/']) {
      await assert.rejects(
        createWebhook(site.store, admin, { url, events: ['article.published'] }),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && /Allow private addresses/.test(e.fields.url ?? ''),
        url,
      );
    }
    await assert.rejects(createWebhook(site.store, admin, { url: 'ftp://example.org/x', events: ['article.published'] }), (e: unknown) => e instanceof AppError && e.fields.url !== undefined);
    await assert.rejects(createWebhook(site.store, admin, { url: 'https://example.org/x', events: [] }), (e: unknown) => e instanceof AppError && e.fields.events !== undefined);
    await assert.rejects(createWebhook(site.store, admin, { url: 'https://example.org/x', events: ['article.exploded'] }), (e: unknown) => e instanceof AppError && e.fields.events !== undefined);
  });

  it('fails a delivery to a name that resolves to loopback at send time, once, without retrying, and the receiver hears nothing', async () => {
    const { webhook } = await createWebhook(site.store, admin, { url: `http://intranet.example:${receiver.port}/hook`, events: ['article.published'] });
    const a = await createDraft(site.store, admin, draft('Webhook SSRF story'));
    await publishArticle(site.store, admin, a.id, a.version);
    const failed = await until(async () => {
      const l = await deliveryLog(site.store, admin, webhook.id);
      return l[0]?.status === 'failed' && l[0];
    }, 'the refused delivery to be logged');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.log[0]!.outcome, 'refused');
    assert.match(failed.log[0]!.error, /intranet\.example resolves to 127\.0\.0\.1, a loopback address/);
    assert.equal(receiver.requests.length, 0);
  });
});
