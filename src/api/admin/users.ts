// /api/admin/users: staff accounts, for administrators only (`user.manage`, checked by the account service
// and, for reads, here as on the Staff screen): list, invite, change role, disable and enable. Disabling an
// account ends its sessions at once, and its API tokens stop working (the /api context's rule).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { changeRole, getAccount, invite, linkByline, listAccounts, reinvite, setDisabled } from '../../accounts/account.service.ts';
import { ensureCan } from '../../accounts/permissions.ts';
import { AppError } from '../../errors.ts';
import type { AdminApiDeps } from './deps.ts';
import * as s from './schemas.ts';

const TAG = 'Admin: users';

export async function userRoutes(parent: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store } = deps.accounts;

  app.get('/users', { schema: { tags: [TAG], summary: 'Every staff account', response: { 200: s.userListSchema, ...s.refusals() } } }, async (request) => ({
    items: await listAccounts(store, request.account),
  }));

  app.post(
    '/users/invite',
    {
      schema: {
        tags: [TAG],
        summary: 'Invite someone: an account without a password, and a single-use link (48 hours) to choose one',
        description: 'The link is mailed when the site sends mail; otherwise it is in the answer, once, to pass on.',
        body: s.inviteBody,
        response: { 201: s.invitationSchema, ...s.refusals(422) },
      },
    },
    async (request, reply) => {
      const invitation = await invite(deps.accounts, request.account, request.body);
      const user = await getAccount(store, request.account, invitation.account.id);
      return reply
        .code(201)
        .header('location', `/api/admin/users/${user.id}`)
        .send({ user, mailed: invitation.mailed, link: invitation.mailed ? null : invitation.link });
    },
  );

  app.get('/users/:id', { schema: { tags: [TAG], summary: 'One staff account', params: s.idParams, response: { 200: s.userSchema, ...s.refusals(404) } } }, async (request) => {
    ensureCan(request.account, 'user.manage');
    return getAccount(store, request.account, request.params.id);
  });

  app.put(
    '/users/:id/role',
    {
      schema: {
        tags: [TAG],
        summary: "Change an account's role",
        description: 'Refused (409) when it would leave the site without an administrator who can sign in.',
        params: s.idParams,
        body: s.roleBody,
        response: { 200: s.userSchema, ...s.refusals(404, 409, 422) },
      },
    },
    async (request) => {
      await changeRole(store, request.account, request.params.id, request.body.role);
      return getAccount(store, request.account, request.params.id);
    },
  );

  app.put(
    '/users/:id/byline',
    {
      schema: { tags: [TAG], summary: 'Link the account to the byline (author) it writes as', params: s.idParams, body: s.bylineBody, response: { 200: s.userSchema, ...s.refusals(404, 422) } },
    },
    async (request) => {
      await linkByline(store, request.account, request.params.id, request.body.personId).catch((error: unknown) => {
        throw error instanceof AppError && error.fields.person ? new AppError(error.code, error.message, { personId: error.fields.person }) : error;
      });
      return getAccount(store, request.account, request.params.id);
    },
  );

  app.post(
    '/users/:id/reinvite',
    {
      schema: {
        tags: [TAG],
        summary: 'A new invitation link for an invited account that has not chosen a password yet',
        description: 'The earlier link stops working. Refused (409) once the person has chosen a password.',
        params: s.idParams,
        response: { 200: s.invitationSchema, ...s.refusals(404, 409) },
      },
    },
    async (request) => {
      const invitation = await reinvite(deps.accounts, request.account, request.params.id);
      return { user: await getAccount(store, request.account, request.params.id), mailed: invitation.mailed, link: invitation.mailed ? null : invitation.link };
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        schema: {
          tags: [TAG],
          summary: action === 'disable' ? 'Disable an account: its sessions end and its tokens stop working at once' : 'Let a disabled account sign in again',
          params: s.idParams,
          response: { 200: s.userSchema, ...s.refusals(404, 409) },
        },
      },
      async (request) => {
        const id = request.params.id;
        ensureCan(request.account, 'user.manage');
        // As on the Staff screen: nobody locks themselves out (a token's own account included).
        if (action === 'disable' && id === request.account.id) throw new AppError('conflict', 'You cannot disable your own account.');
        await setDisabled(store, request.account, id, action === 'disable');
        return getAccount(store, request.account, id);
      },
    );
  }
}
