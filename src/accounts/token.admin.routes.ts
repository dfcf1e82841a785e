// The API tokens screen under /admin/tokens (administrators): list with last use, make (shown once),
// revoke. The token service checks the role again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from './permissions.ts';
import type { Store } from '../db/store.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/tokens.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-token.service.ts';

export interface TokenAdminOptions {
  store: Store;
}

const EMPTY: views.TokenDraft = { kind: 'content', name: '', role: '', user: '' };
const draftFrom = (body: unknown): views.TokenDraft => ({ kind: formText(body, 'kind'), name: formText(body, 'name'), role: formText(body, 'role'), user: formText(body, 'user') });

export async function tokenAdminRoutes(app: FastifyInstance, { store }: TokenAdminOptions): Promise<void> {
  // Tokens act as staff accounts: only those who manage accounts make them (the service checks again).
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'user.manage'));

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: Partial<Parameters<typeof views.tokensPage>[0]> = {}, status = 200) {
    const tokens = await listApiTokens(store, request.account);
    return reply.adminPage({ title: 'API tokens', nav: 'tokens', status, main: views.tokensPage({ csrfToken: request.csrfToken, tokens, draft: EMPTY, fields: {}, ...extra }) });
  }

  app.get<{ Querystring: { revoked?: string } }>('/tokens', async (request, reply) => listPage(request, reply, request.query.revoked ? { message: 'The token is revoked.' } : {}));

  app.post('/tokens', async (request, reply) => {
    const draft = draftFrom(request.body);
    try {
      const { token, summary } = await createApiToken(store, request.account, draft);
      return listPage(request, reply, { created: { token, name: summary.name } }, 201);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return listPage(request, reply, { draft, fields }, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/revoke', async (request, reply) => {
    await revokeApiToken(store, request.account, idParam(request.params.id));
    return reply.redirect('/admin/tokens?revoked=1', 303);
  });
}
