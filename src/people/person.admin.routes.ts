// Authors' profiles under /admin (editors and admins): everyone who can be bylined, staff account or not.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { linkLines, parseLinkLines } from '../lib/links.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/people.ts';
import { createPerson, getPersonById, listPeople, updatePerson, type Person, type PersonDraft } from './person.service.ts';

export interface PersonAdminOptions {
  store: Store;
}

const EMPTY: views.PersonForm = { name: '', slug: '', bio: '', url: '', photoUrl: '', links: '', languages: '' };

const formOf = (body: unknown): views.PersonForm => ({
  name: formText(body, 'name'),
  slug: formText(body, 'slug'),
  bio: formText(body, 'bio'),
  url: formText(body, 'url'),
  photoUrl: formText(body, 'photoUrl'),
  links: formText(body, 'links'),
  languages: formText(body, 'languages'),
});

const formFor = (p: Person): views.PersonForm => ({
  name: p.name,
  slug: p.slug,
  bio: p.bio,
  url: p.url ?? '',
  photoUrl: p.photoUrl ?? '',
  links: linkLines(p.links),
  languages: p.languages.join(', '),
});

/** The service's draft from the form; links written "Label | address", one per line. */
function draftOf(f: views.PersonForm): PersonDraft {
  const parsed = parseLinkLines(f.links);
  if ('problem' in parsed) throw new AppError('invalid_input', parsed.problem, { links: parsed.problem });
  return { ...f, links: parsed.links, languages: f.languages.split(',') };
}

export async function personAdminRoutes(app: FastifyInstance, { store }: PersonAdminOptions): Promise<void> {
  const { db } = store;
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'person.manage'));

  function formPage(request: FastifyRequest, reply: FastifyReply, person: Person | null, form: views.PersonForm, fields: Record<string, string> = {}, message?: string, status = 200) {
    return reply.adminPage({
      title: person ? person.name : 'New author',
      nav: 'people',
      status,
      main: views.personPage({ csrfToken: request.csrfToken, person, form, fields, ...(message ? { message } : {}) }),
    });
  }

  app.get('/people', async (_request, reply) => reply.adminPage({ title: 'Authors', nav: 'people', main: views.peoplePage({ people: await listPeople(db) }) }));

  app.get('/people/new', async (request, reply) => formPage(request, reply, null, EMPTY));

  app.post('/people', async (request, reply) => {
    const form = formOf(request.body);
    try {
      const person = await createPerson(store, request.account, draftOf(form));
      return reply.redirect(`/admin/people/${person.id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return formPage(request, reply, null, form, fields, undefined, 422);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/people/:id', async (request, reply) => {
    const person = await getPersonById(db, idParam(request.params.id));
    return formPage(request, reply, person, formFor(person), {}, request.query.saved ? 'The profile has been saved.' : undefined);
  });

  app.post<{ Params: { id: string } }>('/people/:id', async (request, reply) => {
    const person = await getPersonById(db, idParam(request.params.id));
    const form = formOf(request.body);
    try {
      await updatePerson(store, request.account, person.id, draftOf(form));
      return reply.redirect(`/admin/people/${person.id}?saved=1`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return formPage(request, reply, person, form, fields, undefined, 422);
    }
  });
}
