// The tags' screens under /admin (editors and admins): list, add, rename, delete.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/tags.ts';
import { createTag, deleteTag, getTagById, listTags, updateTag, type TagDraft } from './tag.service.ts';

export interface TagAdminOptions {
  store: Store;
}

const draftFrom = (body: unknown): TagDraft => ({ name: formText(body, 'name'), slug: formText(body, 'slug') });

export async function tagAdminRoutes(app: FastifyInstance, { store }: TagAdminOptions): Promise<void> {
  const { db } = store;
  // Tags are part of the site's structure, which editors and admins manage (the services check again).
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'section.manage'));

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: { draft?: TagDraft; fields?: Record<string, string>; message?: string } = {}, status = 200) {
    const tags = await listTags(db);
    return reply.adminPage({ title: 'Tags', nav: 'tags', status, main: views.tagsPage({ csrfToken: request.csrfToken, tags, draft: { name: '', slug: '' }, fields: {}, ...extra }) });
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: { draft?: TagDraft; fields?: Record<string, string>; message?: string } = {}, status = 200) {
    const tag = await getTagById(db, id);
    return reply.adminPage({ title: tag.name, nav: 'tags', status, main: views.tagPage({ csrfToken: request.csrfToken, tag, draft: { name: tag.name, slug: tag.slug }, fields: {}, ...extra }) });
  }

  app.get<{ Querystring: { deleted?: string } }>('/tags', async (request, reply) => listPage(request, reply, request.query.deleted ? { message: 'The tag has been deleted.' } : {}));

  app.post('/tags', async (request, reply) => {
    const draft = draftFrom(request.body);
    try {
      const tag = await createTag(store, request.account, draft);
      return reply.redirect(`/admin/tags/${tag.id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return listPage(request, reply, { draft, fields }, 422);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/tags/:id', async (request, reply) =>
    editPage(request, reply, idParam(request.params.id), request.query.saved ? { message: 'The tag has been saved.' } : {}),
  );

  app.post<{ Params: { id: string } }>('/tags/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const draft = draftFrom(request.body);
    try {
      await updateTag(store, request.account, id, draft);
      return reply.redirect(`/admin/tags/${id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return editPage(request, reply, id, { draft, fields }, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/tags/:id/delete', async (request, reply) => {
    await deleteTag(store, request.account, idParam(request.params.id));
    return reply.redirect('/admin/tags?deleted=1', 303);
  });
}
