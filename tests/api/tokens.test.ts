// API tokens end to end on the engine under test: made with the real `gazette token` command and on the
// admin screen, printed once and stored only as a digest, used against /api/admin/me over real HTTP,
// their last use recorded, and refused (401) once revoked or when their account is disabled. The staff
// session works too, and the role a token acts with never exceeds its account's.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { changeRole } from '../../src/accounts/account.service.ts';
import { AdminClient, createAccount, signIn } from '../helpers/admin.ts';
import { ApiClient } from '../helpers/openapi.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

interface Me {
  id: number;
  name: string;
  email: string;
  role: string;
  via: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('API tokens', () => {
  let server: TestServer;
  let api: ApiClient;
  before(async () => {
    server = await startTestServer({ demo: false });
    api = await ApiClient.open(server);
  });
  after(() => server.close());

  const me = (token: string) => api.get<Me & { error: { message: string } }>('/api/admin/me', { authorization: `Bearer ${token}` });
  const tokenRows = () => server.store.db.selectFrom('api_tokens').selectAll().orderBy('id').execute();

  it('gazette token create prints an admin token once, keeps only its digest, and the token acts as a new integration account', async () => {
    const made = await runCli(server, ['token', 'create', '--kind', 'admin', '--role', 'editor', '--name', 'Wire import']);
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(token, /^gzt_[A-Za-z0-9_-]{43}$/);
    assert.match(made.stderr, /shown this once/);
    const rows = await tokenRows();
    const row = rows.find((r) => r.name === 'Wire import')!;
    assert.equal(row.token_hash, sha256(token));
    assert.ok(!JSON.stringify(rows).includes(token.slice(4)), 'the token itself is stored nowhere');
    assert.equal(row.last_used_at, null);

    const answer = await me(token);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.role, 'editor');
    assert.equal(answer.body.name, 'Wire import');
    assert.equal(answer.body.via, 'token');
    const user = await server.store.db.selectFrom('users').selectAll().where('id', '=', answer.body.id).executeTakeFirstOrThrow();
    assert.equal(user.integration, 1);
    assert.equal(user.password_hash, '', 'it cannot sign in');
    assert.notEqual((await tokenRows()).find((r) => r.id === row.id)!.last_used_at, null, 'last use recorded');

    const listed = await runCli(server, ['token', 'list']);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /Wire import/);
    assert.match(listed.stdout, new RegExp(`${token.slice(0, 8)}…`));
    assert.doesNotMatch(listed.stdout, new RegExp(token.slice(8)), 'list never shows the token');
    assert.doesNotMatch(listed.stdout.split('\n').find((l) => l.includes('Wire import'))!, /last used never/);

    const revoked = await runCli(server, ['token', 'revoke', String(row.id)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const refused = await me(token);
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /revoked/);
    assert.equal((await runCli(server, ['token', 'revoke', String(row.id)])).code, 65, 'revoking twice is refused');
  });

  it('acts as a named account with a role no higher than its own, follows that account, and stops when it is disabled', async () => {
    const author = await createAccount(server, { role: 'author' });
    const tooHigh = await runCli(server, ['token', 'create', '--kind', 'admin', '--role', 'editor', '--name', 'Too much', '--user', author.email]);
    assert.equal(tooHigh.code, 65);
    assert.match(tooHigh.stderr, /--role: .*author/);
    const made = await runCli(server, ['token', 'create', '--kind', 'admin', '--role', 'author', '--name', 'My scripts', '--user', author.email]);
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.trim();
    const answer = await me(token);
    assert.equal(answer.body.id, author.id);
    assert.equal(answer.body.role, 'author');

    await changeRole(server.store, null, author.id, 'contributor');
    assert.equal((await me(token)).body.role, 'contributor', 'the account’s lower role caps the token');

    const disabled = await runCli(server, ['user', 'disable', author.email]);
    assert.equal(disabled.code, 0, disabled.stderr);
    const refused = await me(token);
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /disabled/);
  });

  it('refuses bad requests for tokens with the field named', async () => {
    const noRole = await runCli(server, ['token', 'create', '--kind', 'admin', '--name', 'No role']);
    assert.equal(noRole.code, 65);
    assert.match(noRole.stderr, /--role/);
    const badKind = await runCli(server, ['token', 'create', '--kind', 'root', '--name', 'X']);
    assert.match(badKind.stderr, /--kind/);
    const keyWithRole = await runCli(server, ['token', 'create', '--kind', 'content', '--role', 'admin', '--name', 'X']);
    assert.match(keyWithRole.stderr, /--role: A content key has no role/);
    assert.equal((await runCli(server, ['token', 'revoke', 'x'])).code, 64);
    const malformed = await api.get<{ error: { fields: Record<string, string> } }>('/api/admin/me', { authorization: 'Token abc' });
    assert.equal(malformed.status, 401);
    assert.ok(malformed.body.error.fields.authorization);
  });

  it('the admin screen makes a token shown once, lists its last use, and revokes it; only administrators see it', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    const client = await signIn(server, admin.email);
    const page = await client.get('/admin/tokens');
    assert.equal(page.status, 200);
    assert.match(page.text, /API tokens/);
    const made = await client.post('/admin/tokens', { kind: 'admin', name: 'Newsletter tool', role: 'author', user: '' });
    assert.equal(made.status, 201);
    const token = /id="new-token" readonly size="52" value="(gzt_[^"]+)"/.exec(made.text)?.[1];
    assert.ok(token, 'the new token is shown');
    assert.equal((await me(token)).status, 200);
    const later = await client.get('/admin/tokens');
    assert.ok(!later.text.includes(token), 'shown once only');
    assert.match(later.text, /Newsletter tool/);
    const row = (await tokenRows()).find((r) => r.name === 'Newsletter tool')!;
    assert.ok(later.text.includes(`datetime="${row.last_used_at}"`), 'last use shown');

    const refusedForm = await client.post('/admin/tokens', { kind: 'admin', name: '', role: 'boss', user: '' });
    assert.equal(refusedForm.status, 422);
    assert.match(refusedForm.text, /Enter a name/);

    const revoked = await client.post(`/admin/tokens/${row.id}/revoke`, {});
    assert.equal(revoked.status, 303);
    assert.equal((await me(token)).status, 401);

    const editor = await createAccount(server, { role: 'editor' });
    const editorClient = await signIn(server, editor.email);
    assert.equal((await editorClient.get('/admin/tokens')).status, 403);
    assert.equal((await editorClient.post('/admin/tokens', { kind: 'content', name: 'Sneaky' })).status, 403);
  });

  it('refuses malformed and oversize bodies with a 4xx naming the field, never a 500', async () => {
    const made = await runCli(server, ['token', 'create', '--kind', 'admin', '--role', 'editor', '--name', 'Body tests']);
    const auth = { authorization: `Bearer ${made.stdout.trim()}` };
    const send = async (body: string, type: string) => {
      const res = await fetch(`${server.url}/api/admin/me`, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
      return { status: res.status, body: (await res.json()) as { error: { code: string; fields: Record<string, string> } } };
    };
    const malformed = await send('{"name": ', 'application/json');
    assert.equal(malformed.status, 400);
    assert.ok(malformed.body.error.fields.body);
    const oversize = await send(JSON.stringify({ text: 'x'.repeat(1_100_000) }), 'application/json');
    assert.equal(oversize.status, 413);
    assert.ok(oversize.body.error.fields.body);
    // /api/admin/me takes no body at all: a form is answered as no such endpoint, in JSON (routes that take
    // bodies answer 415 naming content-type: the context parses JSON only).
    const form = await send('name=x', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 404);
    assert.equal(form.body.error.code, 'not_found');
  });

  it('accepts a staff session instead of a token, and refuses an ended one', async () => {
    const editor = await createAccount(server, { role: 'editor' });
    const client = await signIn(server, editor.email);
    const answer = await api.get<Me>('/api/admin/me', { cookie: client.cookie });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.email, editor.email);
    assert.equal(answer.body.via, 'session');
    assert.equal((await api.get('/api/admin/me')).status, 401);
    const stranger = new AdminClient(server);
    stranger.cookies.set('gazette_session', 'A'.repeat(43));
    assert.equal((await api.get('/api/admin/me', { cookie: stranger.cookie })).status, 401);
  });
});
