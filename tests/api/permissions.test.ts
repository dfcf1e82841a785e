// The permission matrix, twice over (issue 13): for each role (admin, editor, author, contributor) the
// same actions through the web editor's /admin forms and through the Admin API with a token acting as the
// same account, over real HTTP. Both channels must agree with each other and with the newsroom's rules
// (src/accounts/permissions.ts): allowed is a success, refused a 403, and nothing else. Publishing through
// the API shows the article on the public page on the next request; a refused publish leaves it unseen.
// Both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/accounts/api-token.service.ts';
import type { Account, Role } from '../../src/accounts/permissions.ts';
import { createDraft, releaseLock, type EditableArticle } from '../../src/articles/article.workflow.ts';
import { createTag } from '../../src/tags/tag.service.ts';
import { createAccount, signIn, type AdminClient } from '../helpers/admin.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, postComment, readForm, startCommentServer } from '../comments/helpers.ts';
import { draft } from '../newsroom/helpers.ts';
import { ApiClient, documentCheck } from './admin-client.ts';

const ROLES: readonly Role[] = ['admin', 'editor', 'author', 'contributor'];

type Outcome = 'allowed' | 'refused';
const outcome = (status: number, text: string): Outcome | string => (status < 400 ? 'allowed' : status === 403 ? 'refused' : `unexpected ${status}: ${text.slice(0, 200)}`);

/** What the rules say each role may do, per action of the matrix. */
const EXPECTED: Record<string, Record<Role, Outcome>> = {
  'create an article': { admin: 'allowed', editor: 'allowed', author: 'allowed', contributor: 'allowed' },
  'edit their own draft': { admin: 'allowed', editor: 'allowed', author: 'allowed', contributor: 'allowed' },
  "edit another's draft": { admin: 'allowed', editor: 'allowed', author: 'refused', contributor: 'refused' },
  'publish their own draft': { admin: 'allowed', editor: 'allowed', author: 'allowed', contributor: 'refused' },
  'schedule their own draft': { admin: 'allowed', editor: 'allowed', author: 'allowed', contributor: 'refused' },
  "publish another's draft": { admin: 'allowed', editor: 'allowed', author: 'refused', contributor: 'refused' },
  'delete a tag': { admin: 'allowed', editor: 'allowed', author: 'refused', contributor: 'refused' },
  'manage sections': { admin: 'allowed', editor: 'allowed', author: 'refused', contributor: 'refused' },
  'moderate a comment': { admin: 'allowed', editor: 'allowed', author: 'refused', contributor: 'refused' },
  'manage users': { admin: 'allowed', editor: 'refused', author: 'refused', contributor: 'refused' },
};

/** The edit form's fields for an article, as the web editor posts them. */
function articleForm(a: EditableArticle, extra: Record<string, string> = {}): Record<string, string> {
  const d = a.draft;
  const form: Record<string, string> = {
    version: String(a.version),
    headline: d.headline,
    subtitle: d.subtitle,
    slug: d.slug,
    section: d.section,
    language: d.language,
    tags: d.tags.join(', '),
    authors: d.authors.join(', '),
    summary: d.summary,
    body: d.body,
    pin: '',
    comments_open: 'on',
    image_url: '',
    image_alt: '',
    scheduled_at: '',
    action: 'save',
    ...extra,
  };
  d.sources.forEach((s, i) => {
    Object.assign(form, {
      [`sources.${i}.name`]: s.name,
      [`sources.${i}.description`]: s.description,
      [`sources.${i}.url`]: s.url ?? '',
      [`sources.${i}.kind`]: s.kind,
      [`sources.${i}.role`]: s.role,
      [`sources.${i}.relays`]: s.relays === null ? '' : String(s.relays),
      [`sources.${i}.document`]: '',
    });
  });
  return form;
}

describe('the permission matrix: the web editor and the Admin API agree', () => {
  let server: TestServer;
  const accounts = new Map<Role, Account>();
  const web = new Map<Role, AdminClient>();
  const api = new Map<Role, ApiClient>();
  let other: Account;
  let unique = 0;
  /** Results per action and role: [web, api]. */
  const results = new Map<string, Map<Role, [string, string]>>();

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    const { check } = await documentCheck(server);
    for (const role of ROLES) {
      const made = await createAccount(server, { role, name: `Matrix ${role}` });
      const { password: _password, ...account } = made;
      accounts.set(role, account);
      web.set(role, await signIn(server, made.email));
      const { token } = await createApiToken(server.store, null, { kind: 'admin', name: `Matrix ${role} script`, role, user: made.email });
      api.set(role, new ApiClient(server, { via: 'token', token }, check));
    }
    const { password: _password, ...writer } = await createAccount(server, { role: 'author', name: 'Another Writer' });
    other = writer;
  });
  after(() => server?.close());

  /** A draft owned by `owner`, with no lock held (as after its writer closed the editor). */
  async function fixture(owner: Account): Promise<EditableArticle> {
    unique += 1;
    const a = await createDraft(server.store, owner, draft(`Matrix article ${unique}`));
    await releaseLock(server.store, owner, a.id);
    return a;
  }

  /** A comment waiting for moderation on the seed article; its id. */
  async function heldComment(): Promise<number> {
    unique += 1;
    const answer = await postComment(server, fields(await readForm(server, SEED_PATH), { comment: `Held for the matrix ${unique}.` }));
    assert.equal(answer.status, 303);
    const row = await server.store.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return row.id;
  }

  function record(action: string, role: Role, viaWeb: { status: number; text: string }, viaApi: { status: number; text: string }) {
    const row = results.get(action) ?? new Map<Role, [string, string]>();
    row.set(role, [outcome(viaWeb.status, viaWeb.text), outcome(viaApi.status, viaApi.text)]);
    results.set(action, row);
  }

  /** The article's status now, read through the API as the administrator. */
  const statusOf = async (id: number) => (await api.get('admin')!.get(`/api/admin/articles/${id}`)).body.status as string;

  /** Checks that an allowed move happened and a refused one changed nothing, whichever way it was asked. */
  async function moved(action: string, role: Role, ids: [number, number], to: string) {
    const [viaWeb, viaApi] = results.get(action)!.get(role)!;
    assert.equal(await statusOf(ids[0]), viaWeb === 'allowed' ? to : 'draft', `${action} as ${role} on screen`);
    assert.equal(await statusOf(ids[1]), viaApi === 'allowed' ? to : 'draft', `${action} as ${role} by API`);
  }

  const future = () => new Date(Date.now() + 7 * 86400_000);
  const zonedInput = (d: Date) => d.toISOString().slice(0, 16); // the site's time zone is UTC

  for (const role of ROLES) {
    describe(`as ${role}`, () => {
      it('creates, edits, publishes and schedules through both, with the same results', async () => {
        const me = accounts.get(role)!;
        const w = web.get(role)!;
        const a = api.get(role)!;

        unique += 1;
        const template = await fixture(me);
        const webCreate = await w.post('/admin/articles/new', { ...articleForm(template, { headline: `Created on screen ${unique}`, slug: '' }), version: '' });
        const apiCreate = await a.post('/api/admin/articles', { ...draft(`Created by script ${unique}`) });
        record('create an article', role, webCreate, apiCreate);

        const ownWeb = await fixture(me);
        const ownApi = await fixture(me);
        record(
          'edit their own draft',
          role,
          await w.post(`/admin/articles/${ownWeb.id}`, articleForm(ownWeb, { subtitle: 'Changed on screen' })),
          await a.patch(`/api/admin/articles/${ownApi.id}`, { version: ownApi.version, subtitle: 'Changed by script' }),
        );

        const theirsWeb = await fixture(other);
        const theirsApi = await fixture(other);
        record(
          "edit another's draft",
          role,
          await w.post(`/admin/articles/${theirsWeb.id}`, articleForm(theirsWeb, { subtitle: 'Changed on screen' })),
          await a.patch(`/api/admin/articles/${theirsApi.id}`, { version: theirsApi.version, subtitle: 'Changed by script' }),
        );

        const pubWeb = await fixture(me);
        const pubApi = await fixture(me);
        const apiPublish = await a.post(`/api/admin/articles/${pubApi.id}/publish`, { version: pubApi.version });
        record('publish their own draft', role, await w.post(`/admin/articles/${pubWeb.id}`, articleForm(pubWeb, { action: 'publish' })), apiPublish);
        // What the API published is on the public page at the next request; what it refused is not.
        const page = await fetch(server.url + pubApi.path);
        assert.equal(page.status, apiPublish.status === 200 ? 200 : 404, `${role}: the public page after the API's ${apiPublish.status}`);
        if (page.status === 200) assert.match(await page.text(), new RegExp(pubApi.draft.headline));
        await moved('publish their own draft', role, [pubWeb.id, pubApi.id], 'published');

        const schedWeb = await fixture(me);
        const schedApi = await fixture(me);
        const at = future();
        record(
          'schedule their own draft',
          role,
          await w.post(`/admin/articles/${schedWeb.id}`, articleForm(schedWeb, { action: 'schedule', scheduled_at: zonedInput(at) })),
          await a.post(`/api/admin/articles/${schedApi.id}/schedule`, { version: schedApi.version, at: at.toISOString() }),
        );
        await moved('schedule their own draft', role, [schedWeb.id, schedApi.id], 'scheduled');

        const otherPubWeb = await fixture(other);
        const otherPubApi = await fixture(other);
        record(
          "publish another's draft",
          role,
          await w.post(`/admin/articles/${otherPubWeb.id}`, articleForm(otherPubWeb, { action: 'publish' })),
          await a.post(`/api/admin/articles/${otherPubApi.id}/publish`, { version: otherPubApi.version }),
        );
        await moved("publish another's draft", role, [otherPubWeb.id, otherPubApi.id], 'published');
      });

      it('deletes, manages sections, moderates and manages users through both, with the same results', async () => {
        const w = web.get(role)!;
        const a = api.get(role)!;
        const root = accounts.get('admin')!;
        unique += 1;

        const tagWeb = await createTag(server.store, root, { name: `Doomed web ${unique}`, slug: '' });
        const tagApi = await createTag(server.store, root, { name: `Doomed api ${unique}`, slug: '' });
        record('delete a tag', role, await w.post(`/admin/tags/${tagWeb.id}/delete`, {}), await a.delete(`/api/admin/tags/${tagApi.id}`));

        record(
          'manage sections',
          role,
          await w.post('/admin/sections', { name: `Web desk ${unique}`, slug: `web-desk-${unique}`, description: '', language: 'en' }),
          await a.post('/api/admin/sections', { name: `Script desk ${unique}`, slug: `script-desk-${unique}` }),
        );

        const heldWeb = await heldComment();
        const heldApi = await heldComment();
        record(
          'moderate a comment',
          role,
          await w.post('/admin/comments/bulk', { ids: [String(heldWeb)], action: 'approve', status: 'pending', page: '1' }),
          await a.post(`/api/admin/comments/${heldApi}/approve`),
        );

        record(
          'manage users',
          role,
          await w.post('/admin/users/invite', { email: `web.${unique}@newsroom.test`, name: `Web invitee ${unique}`, role: 'contributor' }),
          await a.post('/api/admin/users/invite', { email: `api.${unique}@newsroom.test`, name: `API invitee ${unique}`, role: 'contributor' }),
        );
      });
    });
  }

  it('every action gives the same result through the web editor and the API, as the rules say', () => {
    const table: string[] = [];
    for (const [action, byRole] of Object.entries(EXPECTED)) {
      for (const role of ROLES) {
        const got = results.get(action)?.get(role);
        assert.ok(got, `${action} was not tried as ${role}`);
        const [viaWeb, viaApi] = got;
        table.push(`${action} / ${role}: web ${viaWeb}, api ${viaApi}, rules ${byRole[role]}`);
        assert.equal(viaWeb, byRole[role], `${action} as ${role} through the web editor`);
        assert.equal(viaApi, byRole[role], `${action} as ${role} through the API`);
      }
    }
    assert.equal(table.length, Object.keys(EXPECTED).length * ROLES.length);
  });
});
