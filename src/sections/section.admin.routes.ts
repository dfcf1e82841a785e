// The sections' screens under /admin (editors and admins): list in navigation order, add, edit (rename
// keeps the old addresses), move up and down.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/sections.ts';
import { createSection, getManagedSection, listManagedSections, reorderSections, updateSection, type SectionDraft } from './section.service.ts';

export interface SectionAdminOptions {
  store: Store;
}

const EMPTY: SectionDraft = { name: '', slug: '', description: '', language: 'en' };

const draftFrom = (body: unknown): SectionDraft => ({ name: formText(body, 'name'), slug: formText(body, 'slug'), description: formText(body, 'description'), language: formText(body, 'language') });

/** The order after moving one section a place up or down. */
function moved(ids: readonly number[], id: number, direction: string): number[] {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from === -1 || to < 0 || to >= order.length) return order;
  [order[from], order[to]] = [order[to]!, order[from]!];
  return order;
}

export async function sectionAdminRoutes(app: FastifyInstance, { store }: SectionAdminOptions): Promise<void> {
  const { db } = store;
  // Every screen here is for those who manage sections; the services check each write again.
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'section.manage'));

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: Partial<views.SectionsView> = {}, status = 200) {
    const sections = await listManagedSections(db);
    return reply.adminPage({ title: 'Sections', nav: 'sections', status, main: views.sectionsPage({ csrfToken: request.csrfToken, sections, draft: EMPTY, fields: {}, ...extra }) });
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: Partial<views.SectionView> = {}, status = 200) {
    const section = await getManagedSection(db, id);
    const draft = { name: section.name, slug: section.slug, description: section.description, language: section.language };
    return reply.adminPage({ title: section.name, nav: 'sections', status, main: views.sectionPage({ csrfToken: request.csrfToken, section, draft, fields: {}, ...extra }) });
  }

  app.get<{ Querystring: { saved?: string } }>('/sections', async (request, reply) => listPage(request, reply, request.query.saved ? { message: 'The order has been saved.' } : {}));

  app.post('/sections', async (request, reply) => {
    const draft = draftFrom(request.body);
    try {
      const section = await createSection(store, request.account, draft);
      return reply.redirect(`/admin/sections/${section.id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return listPage(request, reply, { draft, fields }, 422);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/sections/:id', async (request, reply) =>
    editPage(request, reply, idParam(request.params.id), request.query.saved ? { message: 'The section has been saved.' } : {}),
  );

  app.post<{ Params: { id: string } }>('/sections/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const draft = draftFrom(request.body);
    try {
      await updateSection(store, request.account, id, draft);
      return reply.redirect(`/admin/sections/${id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return editPage(request, reply, id, { draft, fields }, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/sections/:id/move', async (request, reply) => {
    const id = idParam(request.params.id);
    const ids = (await listManagedSections(db)).map((s) => s.id);
    if (!ids.includes(id)) await getManagedSection(db, id); // not found
    await reorderSections(store, request.account, moved(ids, id, formText(request.body, 'direction')));
    return reply.redirect('/admin/sections?saved=1', 303);
  });
}
