// Staff accounts over real HTTP: sign-in and its limits, sessions and their expiry, CSRF, invitations and
// password resets through real mail, roles, the audit log, and that public pages never vary by who is
// signed in. Runs on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as accounts from '../../src/accounts/account.service.ts';
import { AdminClient, createAccount, signIn, TEST_PASSWORD } from '../helpers/admin.ts';
import { Mailbox } from '../helpers/mailbox.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

const deps = (server: TestServer, extra: Partial<accounts.AccountDeps> = {}): accounts.AccountDeps => ({
  store: server.store,
  rules: accounts.DEFAULT_RULES,
  mailer: null,
  publicUrl: server.config.publicUrl,
  siteName: server.config.siteName,
  secret: 'a test secret that is long enough to use',
  ...extra,
});

const linkIn = (raw: string, kind: 'invite' | 'reset') => {
  const m = new RegExp(`http://gazette\\.test(/admin/${kind}/[A-Za-z0-9_-]+)`).exec(raw);
  assert.ok(m, `a ${kind} link in the mail:\n${raw}`);
  return m[1]!;
};

describe('signing in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('sends signed-out visitors to the sign-in page and refuses their posts', async () => {
    const client = new AdminClient(server);
    const page = await client.get('/admin/users');
    assert.equal(page.status, 303);
    assert.equal(page.location, '/admin/sign-in?next=%2Fadmin%2Fusers');
    const post = await client.post('/admin/users/invite', { email: 'x@y.test', name: 'X', role: 'admin' });
    assert.equal(post.status, 401);
    const json = await client.get('/admin/users', { accept: 'application/json' });
    assert.equal(json.status, 401);
    assert.equal(JSON.parse(json.text).error.status, 401);
  });

  it('signs in with the labelled form and lands where it was going', async () => {
    const editor = await createAccount(server, { role: 'editor' });
    const client = new AdminClient(server);
    const form = await client.get('/admin/sign-in?next=%2Fadmin%2Faccount');
    assert.match(form.text, /<label for="email">Email<\/label>/);
    assert.match(form.text, /<label for="password">Password<\/label>/);
    assert.match(form.text, />Sign in<\/button>/);
    const answer = await client.post('/admin/sign-in', { email: editor.email.toUpperCase(), password: TEST_PASSWORD, next: '/admin/account' });
    assert.equal(answer.status, 303);
    assert.equal(answer.location, '/admin/account');
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('gazette_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    const own = await client.get('/admin/account');
    assert.equal(own.status, 200);
    assert.match(own.text, new RegExp(editor.email));
  });

  it('never sends a signed-in person somewhere outside /admin after sign-in', async () => {
    const author = await createAccount(server, { role: 'author' });
    for (const next of ['https://evil.test/', '//evil.test/admin', '/admin\\@evil.test', '/comments']) {
      const client = new AdminClient(server);
      await client.get('/admin/sign-in');
      const answer = await client.post('/admin/sign-in', { email: author.email, password: TEST_PASSWORD, next });
      assert.equal(answer.location, '/admin', next);
    }
  });

  it('says the same for an unknown address and a wrong password, next to the field, keeping the address', async () => {
    const author = await createAccount(server, { role: 'author' });
    const client = new AdminClient(server);
    await client.get('/admin/sign-in');
    const wrong = await client.post('/admin/sign-in', { email: author.email, password: 'not the password' });
    const unknown = await client.post('/admin/sign-in', { email: 'nobody@newsroom.test', password: 'not the password' });
    assert.equal(wrong.status, 422);
    assert.equal(unknown.status, 422);
    const message = (t: string) => /<p class="field-error" id="password-error">([^<]+)<\/p>/.exec(t)?.[1];
    assert.equal(message(wrong.text), message(unknown.text));
    assert.match(wrong.text, new RegExp(`value="${author.email}"`));
  });

  it('stops guessing at one account after five failures, even with the right password', async () => {
    const victim = await createAccount(server, { role: 'admin' });
    const client = new AdminClient(server);
    await client.get('/admin/sign-in');
    for (let i = 0; i < 5; i++) assert.equal((await client.post('/admin/sign-in', { email: victim.email, password: `guess ${i}` })).status, 422);
    const limited = await client.post('/admin/sign-in', { email: victim.email, password: TEST_PASSWORD });
    assert.equal(limited.status, 429);
    assert.match(limited.text, /Too many failed sign-ins/);
    // Another account from elsewhere is not affected.
    const other = await createAccount(server, { role: 'author' });
    await signIn(server, other.email);
  });

  it('refuses state-changing requests without the token, with another token, or from another site', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    const client = await signIn(server, admin.email);
    const form = { email: 'csrf@newsroom.test', name: 'Csrf', role: 'admin' };
    assert.equal((await client.post('/admin/users/invite', { ...form, _csrf: null })).status, 403);
    assert.equal((await client.post('/admin/users/invite', { ...form, _csrf: 'x'.repeat(43) })).status, 403);
    assert.equal((await client.post('/admin/users/invite', form, { origin: 'https://evil.test' })).status, 403);
    assert.equal((await client.post('/admin/users/invite', form, { 'sec-fetch-site': 'cross-site' })).status, 403);
    const list = await client.get('/admin/users');
    assert.doesNotMatch(list.text, /csrf@newsroom\.test/);
    // With the token it works.
    assert.equal((await client.post('/admin/users/invite', form)).status, 200);
    assert.match((await client.get('/admin/users')).text, /csrf@newsroom\.test/);
  });

  it('refuses a sign-in form posted without its token (login CSRF)', async () => {
    const author = await createAccount(server, { role: 'author' });
    const client = new AdminClient(server);
    await client.get('/admin/sign-in');
    assert.equal((await client.post('/admin/sign-in', { email: author.email, password: TEST_PASSWORD, _csrf: null })).status, 403);
  });

  it('signs out, and signs out everywhere', async () => {
    const author = await createAccount(server, { role: 'author' });
    const laptop = await signIn(server, author.email);
    const phone = await signIn(server, author.email);
    const out = await laptop.post('/admin/sign-out');
    assert.equal(out.status, 303);
    assert.equal((await laptop.get('/admin')).status, 303);
    assert.equal((await phone.get('/admin')).status, 200);
    const tablet = await signIn(server, author.email);
    await tablet.post('/admin/account/sign-out-everywhere');
    assert.equal((await phone.get('/admin')).status, 303);
    assert.equal((await tablet.get('/admin')).status, 303);
  });

  it('ends sessions that were idle too long, and every session past its absolute lifetime', async () => {
    const author = await createAccount(server, { role: 'author' });
    const d = deps(server);
    const now = Date.now();
    const session = await accounts.signIn(d, { email: author.email, password: TEST_PASSWORD, ip: '127.0.0.1', userAgent: 'test' }, new Date(now));
    assert.ok(await accounts.resolveSession(d, session.value, new Date(now + 60_000)));
    // Used every few hours, it still ends after the absolute lifetime.
    for (let t = now; t < now + d.rules.sessionMaxMs - 3600_000; t += 6 * 3600_000) assert.ok(await accounts.resolveSession(d, session.value, new Date(t)), new Date(t).toISOString());
    assert.equal(await accounts.resolveSession(d, session.value, new Date(now + d.rules.sessionMaxMs + 1000)), null);
    const idle = await accounts.signIn(d, { email: author.email, password: TEST_PASSWORD, ip: '127.0.0.1', userAgent: 'test' }, new Date(now));
    assert.equal(await accounts.resolveSession(d, idle.value, new Date(now + d.rules.sessionIdleMs + 60_000)), null);
  });

  it('keeps public pages the same for signed-in staff and readers', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    const client = await signIn(server, admin.email);
    for (const path of ['/', '/feed.xml', '/search?q=iran']) {
      const reader = await fetch(server.url + path);
      const staff = await fetch(server.url + path, { headers: { cookie: client.cookie } });
      assert.equal(staff.status, reader.status, path);
      assert.equal(staff.headers.get('set-cookie'), null, path);
      assert.equal(await staff.text(), await reader.text(), path);
    }
  });

  it('links an account to the byline its new articles start with', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    const author = await createAccount(server, { role: 'author' });
    const asAdmin = await signIn(server, admin.email);
    const page = await asAdmin.get(`/admin/users/${author.id}`);
    const option = /<option value="(\d+)">([^<]+)<\/option>/.exec(page.text.slice(page.text.indexOf('name="person"')));
    assert.ok(option, 'the byline picker lists the authors');
    assert.equal((await asAdmin.post(`/admin/users/${author.id}/byline`, { person: 'not-a-person' })).status, 422);
    assert.equal((await asAdmin.post(`/admin/users/${author.id}/byline`, { person: option[1]! })).status, 200);
    const asAuthor = await signIn(server, author.email);
    const form = await asAuthor.get('/admin/articles/new');
    const authors = /<input id="authors" name="authors" type="text" value="([^"]*)"/.exec(form.text);
    assert.ok(authors && authors[1] !== '', 'the new article starts with the byline');
  });

  it('uses the __Host- prefix and Secure on https sites', async () => {
    const https = await startTestServer({ demo: false, env: { PUBLIC_URL: 'https://news.example' } });
    try {
      const admin = await createAccount(https, { role: 'admin' });
      const client = new AdminClient(https);
      await client.get('/admin/sign-in');
      const answer = await client.post('/admin/sign-in', { email: admin.email, password: TEST_PASSWORD }, { origin: 'https://news.example' });
      assert.equal(answer.status, 303);
      const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('__Host-gazette_session='));
      assert.ok(cookie, answer.headers.getSetCookie().join('\n'));
      assert.match(cookie, /Secure/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Domain=/i);
    } finally {
      await https.close();
    }
  });
});

describe('invitations, resets and roles', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  before(async () => {
    mailbox = await new Mailbox().start();
    server = await startTestServer({ demo: false, env: mailbox.env });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  it('invites by email with a single-use link that expires after 48 hours', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    const client = await signIn(server, admin.email);
    const invited = await client.post('/admin/users/invite', { email: 'new.reporter@newsroom.test', name: 'New Reporter', role: 'author' });
    assert.equal(invited.status, 200);
    assert.match(invited.text, /has been sent an invitation by email/);
    const link = linkIn((await mailbox.next('new.reporter@newsroom.test')).raw, 'invite');

    const person = new AdminClient(server);
    const form = await person.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text, /New Reporter/);
    const mismatch = await person.post(link, { password: 'a fine new password', confirm: 'another one entirely' });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.text, /not the same/);
    const short = await person.post(link, { password: 'short', confirm: 'short' });
    assert.equal(short.status, 422);
    assert.match(short.text, /at least 10 characters/);
    const done = await person.post(link, { password: 'a fine new password', confirm: 'a fine new password' });
    assert.equal(done.status, 303);
    assert.equal((await person.get('/admin')).status, 200);
    // Used once, the link is gone.
    assert.equal((await new AdminClient(server).get(link)).status, 404);
    await signIn(server, 'new.reporter@newsroom.test', 'a fine new password');

    // A link not used in time stops working.
    const d = deps(server);
    const late = await accounts.invite(d, admin, { email: 'late@newsroom.test', name: 'Late', role: 'contributor' });
    const token = late.link.split('/').pop()!;
    assert.ok(await accounts.inspectLink(server.store, 'invite', token, new Date(Date.now() + 47 * 3600_000)));
    assert.equal(await accounts.inspectLink(server.store, 'invite', token, new Date(Date.now() + 49 * 3600_000)), null);
  });

  it('resets a password by a single-use link, without telling whether an address has an account', async () => {
    const author = await createAccount(server, { role: 'author', email: 'forgetful@newsroom.test' });
    const client = new AdminClient(server);
    await client.get('/admin/reset');
    const known = await client.post('/admin/reset', { email: author.email });
    const unknown = await client.post('/admin/reset', { email: 'stranger@newsroom.test' });
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    const notice = (t: string) => /<div class="notice[^>]*>([^<]+)/.exec(t)?.[1];
    assert.equal(notice(known.text), notice(unknown.text));
    const bad = await client.post('/admin/reset', { email: 'not an address' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="email-error"/);

    const link = linkIn((await mailbox.next(author.email)).raw, 'reset');
    const laptop = await signIn(server, author.email);
    assert.equal((await client.post(link, { password: 'my new long password', confirm: 'my new long password' })).status, 303);
    await client.get('/admin');
    assert.equal((await client.post(link, { password: 'again a password', confirm: 'again a password' })).status, 404);
    // The reset ended the other sessions, and the old password no longer works.
    assert.equal((await laptop.get('/admin')).status, 303);
    await assert.rejects(signIn(server, author.email));
    await signIn(server, author.email, 'my new long password');
    assert.ok(!mailbox.mails.some((m) => m.to.includes('stranger@newsroom.test')));
  });

  it('lets only administrators manage staff, and keeps at least one administrator', async () => {
    const admin = await createAccount(server, { role: 'admin', email: 'only.admin@newsroom.test' });
    const editor = await createAccount(server, { role: 'editor' });
    const asEditor = await signIn(server, editor.email);
    assert.equal((await asEditor.get('/admin/users')).status, 403);
    assert.equal((await asEditor.get('/admin/audit')).status, 403);
    assert.equal((await asEditor.post('/admin/users/invite', { email: 'sneaky@newsroom.test', name: 'S', role: 'admin' })).status, 403);
    assert.equal((await asEditor.post(`/admin/users/${editor.id}/role`, { role: 'admin' })).status, 403);
    const navigation = (await asEditor.get('/admin')).text;
    assert.doesNotMatch(navigation, /href="\/admin\/users"/);

    const asAdmin = await signIn(server, admin.email);
    assert.equal((await asAdmin.get('/admin/users/not-a-number')).status, 404);
    assert.equal((await asAdmin.get('/admin/users/999999')).status, 404);
    const promoted = await asAdmin.post(`/admin/users/${editor.id}/role`, { role: 'admin' });
    assert.equal(promoted.status, 200);
    const bad = await asAdmin.post(`/admin/users/${editor.id}/role`, { role: 'overlord' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="role-error"/);
    assert.equal((await asEditor.get('/admin/users')).status, 200, 'the new role applies at once');

    // Disabling signs the person out at once and keeps them out.
    const author = await createAccount(server, { role: 'author' });
    const asAuthor = await signIn(server, author.email);
    assert.equal((await asAdmin.post(`/admin/users/${author.id}/disable`)).status, 200);
    assert.equal((await asAuthor.get('/admin')).status, 303);
    await assert.rejects(signIn(server, author.email));

    const log = await asAdmin.get('/admin/audit?action=user.');
    assert.match(log.text, /user\.role/);
    assert.match(log.text, /user\.disable/);
    assert.match(log.text, /user\.sign_in/);
  });

  it('refuses to leave the site without an administrator', async () => {
    const d = deps(server);
    const list = await accounts.listAccountsForOperator(server.store);
    const admins = list.filter((a) => a.role === 'admin' && !a.disabled && !a.invited);
    for (const a of admins.slice(1)) await accounts.changeRole(server.store, null, a.id, 'editor');
    await assert.rejects(accounts.changeRole(server.store, null, admins[0]!.id, 'editor'), /only administrator/);
    await assert.rejects(accounts.setDisabled(server.store, null, admins[0]!.id, true), /only administrator/);
    void d;
  });
});

describe('gazette user', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  it('creates the first administrator with the password from standard input, lists, changes and disables accounts', async () => {
    const add = await runCli(server, ['user', 'add', '--email', 'chief@newsroom.test', '--name', 'Chief Editor', '--role', 'admin', '--password-stdin'], { input: 'the chief password\n' });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Created admin Chief Editor/);
    await signIn(server, 'chief@newsroom.test', 'the chief password');

    const second = await runCli(server, ['user', 'add', '--email', 'desk@newsroom.test', '--name', 'Desk', '--role', 'contributor', '--password-stdin'], { input: 'the desk password' });
    assert.equal(second.code, 0, second.stderr);
    const role = await runCli(server, ['user', 'role', 'desk@newsroom.test', 'editor']);
    assert.equal(role.code, 0, role.stderr);
    const list = await runCli(server, ['user', 'list']);
    assert.match(list.stdout, /desk@newsroom\.test\tDesk\teditor\tactive/);
    assert.match(list.stdout, /chief@newsroom\.test\tChief Editor\tadmin\tactive/);
    const disable = await runCli(server, ['user', 'disable', 'desk@newsroom.test']);
    assert.equal(disable.code, 0, disable.stderr);
    assert.match((await runCli(server, ['user', 'list'])).stdout, /desk@newsroom\.test\tDesk\teditor\tdisabled/);
    const reset = await runCli(server, ['user', 'reset-password', 'chief@newsroom.test', '--password-stdin'], { input: 'a brand new chief password' });
    assert.equal(reset.code, 0, reset.stderr);
    await signIn(server, 'chief@newsroom.test', 'a brand new chief password');
  });

  it('names the field it refuses and changes nothing', async () => {
    const before = (await runCli(server, ['user', 'list'])).stdout;
    const badEmail = await runCli(server, ['user', 'add', '--email', 'not-an-address', '--name', 'X', '--role', 'admin', '--password-stdin'], { input: 'a long enough password' });
    assert.equal(badEmail.code, 65);
    assert.match(badEmail.stderr, /--email: Enter an email address/);
    const badRole = await runCli(server, ['user', 'add', '--email', 'x@newsroom.test', '--name', 'X', '--role', 'boss', '--password-stdin'], { input: 'a long enough password' });
    assert.equal(badRole.code, 65);
    assert.match(badRole.stderr, /--role: Choose one of admin, editor, author, contributor/);
    const weak = await runCli(server, ['user', 'add', '--email', 'x@newsroom.test', '--name', 'X', '--role', 'author', '--password-stdin'], { input: 'short' });
    assert.equal(weak.code, 65);
    assert.match(weak.stderr, /--password: Use at least 10 characters/);
    const noStdin = await runCli(server, ['user', 'add', '--email', 'x@newsroom.test', '--name', 'X', '--role', 'author']);
    assert.equal(noStdin.code, 64);
    const unknown = await runCli(server, ['user', 'role', 'nobody@newsroom.test', 'editor']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No account uses nobody@newsroom\.test/);
    assert.equal((await runCli(server, ['user', 'list'])).stdout, before);
  });
});

describe('two-step sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  it('turns on with a code from the app, then asks for a code after the password; recovery codes work once', async () => {
    const { generate } = await import('otplib');
    const editor = await createAccount(server, { role: 'editor' });
    const client = await signIn(server, editor.email);
    const setup = await client.get('/admin/account/two-step');
    assert.equal(setup.status, 200);
    assert.match(setup.text, /<svg/);
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(setup.text)![1]!;
    const proof = /name="proof" value="([^"]+)"/.exec(setup.text)![1]!;
    const wrong = await client.post('/admin/account/two-step', { secret, proof, code: '000000' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /id="code-error"/);
    // A secret the server did not offer is refused.
    assert.equal((await client.post('/admin/account/two-step', { secret: 'A'.repeat(32), proof, code: await generate({ secret: 'A'.repeat(32) }) })).status, 400);
    const setupCode = await generate({ secret });
    const on = await client.post('/admin/account/two-step', { secret, proof, code: setupCode });
    assert.equal(on.status, 200);
    const codes = [...on.text.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);

    // The password alone opens nothing.
    const phone = new AdminClient(server);
    await phone.get('/admin/sign-in');
    const first = await phone.post('/admin/sign-in', { email: editor.email, password: TEST_PASSWORD, next: '/admin/account' });
    assert.equal(first.location, '/admin/sign-in/code?next=%2Fadmin%2Faccount');
    assert.equal((await phone.get('/admin')).status, 303, 'no access before the code');
    await phone.get('/admin/sign-in/code');
    const bad = await phone.post('/admin/sign-in/code', { code: '123456', next: '/admin/account' });
    assert.equal(bad.status, 422);
    // The code the set-up used cannot be used again. It is replayed as it was: a code generated afresh
    // here would belong to the next time step whenever a 30-second boundary fell in between, and rightly
    // be accepted (seen once in a full run: 303 where 422 was expected).
    const replay = await phone.post('/admin/sign-in/code', { code: setupCode, next: '/admin/account' });
    assert.equal(replay.status, 422);
    const recovered = await phone.post('/admin/sign-in/code', { code: codes[0]!, next: '/admin/account' });
    assert.equal(recovered.status, 303);
    assert.equal(recovered.location, '/admin/account');
    assert.match((await phone.get('/admin/account')).text, /9 recovery codes left/);

    // A used recovery code does not work twice.
    const again = new AdminClient(server);
    await again.get('/admin/sign-in');
    await again.post('/admin/sign-in', { email: editor.email, password: TEST_PASSWORD });
    await again.get('/admin/sign-in/code');
    assert.equal((await again.post('/admin/sign-in/code', { code: codes[0]! })).status, 422);
    assert.equal((await again.post('/admin/sign-in/code', { code: codes[1]!.toUpperCase() })).status, 303);

    // The command line turns it off for a lost phone.
    const off = await runCli(server, ['user', 'two-step-off', editor.email]);
    assert.equal(off.code, 0, off.stderr);
    await signIn(server, editor.email);
  });
});
