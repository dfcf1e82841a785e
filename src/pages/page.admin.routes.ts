// Static pages under /admin (editors and admins): list, create, edit, publish, unpublish, delete.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/pages.ts';
import { createPage, deletePage, getPage, listPages, updatePage, type PageDraft, type PageStatus, type StaticPage } from './page.service.ts';

export interface PageAdminOptions {
  store: Store;
}

const EMPTY: PageDraft = { title: '', slug: '', body: '', language: 'en', status: 'draft' };

/** The status the pressed button asks for: Publish, Unpublish, or Save (which keeps the page's status). */
function statusFor(intent: string, current: PageStatus): PageStatus {
  return intent === 'publish' ? 'published' : intent === 'unpublish' ? 'draft' : current;
}

const MESSAGES: Record<string, string> = { save: 'The page has been saved.', publish: 'The page has been published.', unpublish: 'The page has been unpublished; its address no longer answers.' };

function draftFrom(body: unknown, current: PageStatus): PageDraft {
  return { title: formText(body, 'title'), slug: formText(body, 'slug'), body: formText(body, 'body'), language: formText(body, 'language'), status: statusFor(formText(body, 'intent'), current) };
}

export async function pageAdminRoutes(app: FastifyInstance, { store }: PageAdminOptions): Promise<void> {
  const { db } = store;
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'page.manage'));

  function formPage(request: FastifyRequest, reply: FastifyReply, page: StaticPage | null, draft: PageDraft, fields: Record<string, string> = {}, message?: string, status = 200) {
    return reply.adminPage({
      title: page ? page.title : 'New page',
      nav: 'pages',
      status,
      main: views.pagePage({ csrfToken: request.csrfToken, page, draft, fields, ...(message ? { message } : {}) }),
    });
  }

  app.get<{ Querystring: { deleted?: string } }>('/pages', async (request, reply) =>
    reply.adminPage({ title: 'Pages', nav: 'pages', main: views.pagesPage({ pages: await listPages(db), ...(request.query.deleted ? { message: 'The page has been deleted.' } : {}) }) }),
  );

  app.get('/pages/new', async (request, reply) => formPage(request, reply, null, EMPTY));

  app.post('/pages', async (request, reply) => {
    const draft = draftFrom(request.body, 'draft');
    try {
      const page = await createPage(store, request.account, draft);
      return reply.redirect(`/admin/pages/${page.id}?done=${draft.status === 'published' ? 'publish' : 'save'}`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return formPage(request, reply, null, draft, fields, undefined, 422);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/pages/:id', async (request, reply) => {
    const page = await getPage(db, idParam(request.params.id));
    const { title, slug, body, language, status } = page;
    return formPage(request, reply, page, { title, slug, body, language, status }, {}, MESSAGES[request.query.done ?? '']);
  });

  app.post<{ Params: { id: string } }>('/pages/:id', async (request, reply) => {
    const page = await getPage(db, idParam(request.params.id));
    const draft = draftFrom(request.body, page.status);
    try {
      await updatePage(store, request.account, page.id, draft);
      const intent = formText(request.body, 'intent');
      return reply.redirect(`/admin/pages/${page.id}?done=${intent in MESSAGES ? intent : 'save'}`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return formPage(request, reply, page, draft, fields, undefined, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/pages/:id/delete', async (request, reply) => {
    await deletePage(store, request.account, idParam(request.params.id));
    return reply.redirect('/admin/pages?deleted=1', 303);
  });
}
