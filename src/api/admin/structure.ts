// /api/admin/sections, tags, authors, pages and settings: the site's structure through the services the
// /admin screens use. Reading sections, tags and authors is open to every staff account (a writer needs
// their slugs for an article, as the web editor's form offers them); changing them is the services' rule
// (editors and admins). Pages and settings are read only by those who may change them, as on screen.
// Updates are partial: fields left out keep their stored value.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ensureCan } from '../../accounts/permissions.ts';
import { createPage, deletePage, getPage, listPages, updatePage } from '../../pages/page.service.ts';
import { createPerson, getPersonById, listPeople, updatePerson } from '../../people/person.service.ts';
import { createSection, getManagedSection, listManagedSections, reorderSections, updateSection } from '../../sections/section.service.ts';
import { loadSettings, saveSettings } from '../../settings/settings.service.ts';
import { createTag, deleteTag, getTagById, listTags, updateTag } from '../../tags/tag.service.ts';
import type { AdminApiDeps } from './deps.ts';
import * as s from './schemas.ts';

const given = <T extends object>(fields: T): Partial<T> => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;

export async function structureRoutes(parent: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store } = deps;
  const { db } = store;

  // ---- sections ----
  const SECTIONS = 'Admin: sections';

  app.get(
    '/sections',
    { schema: { tags: [SECTIONS], summary: 'Every section, in navigation order', response: { 200: s.sectionListSchema, ...s.refusals() } } },
    async (request) => {
      ensureCan(request.account, 'article.create');
      return { items: await listManagedSections(db) };
    },
  );

  app.post(
    '/sections',
    { schema: { tags: [SECTIONS], summary: 'Create a section (last in the navigation)', body: s.sectionCreate, response: { 201: s.sectionSchema, ...s.refusals(422) } } },
    async (request, reply) => {
      const { slug, name, description, language } = request.body;
      const section = await createSection(store, request.account, { slug, name, description: description ?? '', language: language ?? 'en' });
      return reply.code(201).header('location', `/api/admin/sections/${section.id}`).send(section);
    },
  );

  app.get(
    '/sections/:id',
    { schema: { tags: [SECTIONS], summary: 'One section, with its old slugs', params: s.idParams, response: { 200: s.sectionSchema, ...s.refusals(404) } } },
    async (request) => {
      ensureCan(request.account, 'article.create');
      return getManagedSection(db, request.params.id);
    },
  );

  app.patch(
    '/sections/:id',
    {
      schema: {
        tags: [SECTIONS],
        summary: 'Rename or describe a section',
        description: 'A new slug keeps the old addresses answering 301 to the new ones.',
        params: s.idParams,
        body: s.sectionUpdate,
        response: { 200: s.sectionSchema, ...s.refusals(404, 422) },
      },
    },
    async (request) => {
      ensureCan(request.account, 'section.manage');
      const current = await getManagedSection(db, request.params.id);
      const draft = { slug: current.slug, name: current.name, description: current.description, language: current.language, ...given(request.body) };
      return updateSection(store, request.account, request.params.id, draft);
    },
  );

  app.put(
    '/sections/order',
    { schema: { tags: [SECTIONS], summary: 'Put the sections in this navigation order', body: s.sectionOrder, response: { 200: s.sectionListSchema, ...s.refusals(422) } } },
    async (request) => {
      await reorderSections(store, request.account, request.body.ids);
      return { items: await listManagedSections(db) };
    },
  );

  // ---- tags ----
  const TAGS = 'Admin: tags';

  app.get('/tags', { schema: { tags: [TAGS], summary: 'Every tag, by name', response: { 200: s.tagListSchema, ...s.refusals() } } }, async (request) => {
    ensureCan(request.account, 'article.create');
    return { items: await listTags(db) };
  });

  app.post('/tags', { schema: { tags: [TAGS], summary: 'Create a tag', body: s.tagCreate, response: { 201: s.tagSchema, ...s.refusals(422) } } }, async (request, reply) => {
    const tag = await createTag(store, request.account, { name: request.body.name, slug: request.body.slug ?? '' });
    return reply.code(201).header('location', `/api/admin/tags/${tag.id}`).send(tag);
  });

  app.get('/tags/:id', { schema: { tags: [TAGS], summary: 'One tag', params: s.idParams, response: { 200: s.tagSchema, ...s.refusals(404) } } }, async (request) => {
    ensureCan(request.account, 'article.create');
    return getTagById(db, request.params.id);
  });

  app.patch(
    '/tags/:id',
    { schema: { tags: [TAGS], summary: 'Rename a tag (every page listing it follows)', params: s.idParams, body: s.tagUpdate, response: { 200: s.tagSchema, ...s.refusals(404, 422) } } },
    async (request) => {
      ensureCan(request.account, 'section.manage');
      const current = await getTagById(db, request.params.id);
      return updateTag(store, request.account, request.params.id, { name: current.name, slug: current.slug, ...given(request.body) });
    },
  );

  app.delete(
    '/tags/:id',
    { schema: { tags: [TAGS], summary: 'Delete a tag and take it off its articles', params: s.idParams, response: { 204: s.noContent, ...s.refusals(404) } } },
    async (request, reply) => {
      await deleteTag(store, request.account, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- authors (people who can be bylined) ----
  const AUTHORS = 'Admin: authors';

  app.get('/authors', { schema: { tags: [AUTHORS], summary: 'Everyone who can be bylined, by name', response: { 200: s.personListSchema, ...s.refusals() } } }, async (request) => {
    ensureCan(request.account, 'article.create');
    return { items: await listPeople(db) };
  });

  const personDraft = (d: { name?: string | undefined; slug?: string | undefined; bio?: string | undefined; url?: string | null | undefined; photoUrl?: string | null | undefined; links?: { label: string; url: string }[] | undefined; languages?: string[] | undefined }) => ({
    name: d.name ?? '',
    slug: d.slug ?? '',
    bio: d.bio ?? '',
    url: d.url ?? '',
    photoUrl: d.photoUrl ?? '',
    links: d.links ?? [],
    languages: d.languages ?? [],
  });

  app.post('/authors', { schema: { tags: [AUTHORS], summary: 'Add an author (with or without a staff account)', body: s.personCreate, response: { 201: s.personSchema, ...s.refusals(422) } } }, async (request, reply) => {
    const person = await createPerson(store, request.account, personDraft(request.body));
    return reply.code(201).header('location', `/api/admin/authors/${person.id}`).send(person);
  });

  app.get('/authors/:id', { schema: { tags: [AUTHORS], summary: "One author's profile", params: s.idParams, response: { 200: s.personSchema, ...s.refusals(404) } } }, async (request) => {
    ensureCan(request.account, 'article.create');
    return getPersonById(db, request.params.id);
  });

  app.patch(
    '/authors/:id',
    { schema: { tags: [AUTHORS], summary: "Change an author's profile", params: s.idParams, body: s.personUpdate, response: { 200: s.personSchema, ...s.refusals(404, 422) } } },
    async (request) => {
      ensureCan(request.account, 'person.manage');
      const current = await getPersonById(db, request.params.id);
      return updatePerson(store, request.account, request.params.id, personDraft({ ...current, ...given(request.body) }));
    },
  );

  // ---- static pages ----
  const PAGES = 'Admin: pages';

  app.get('/pages', { schema: { tags: [PAGES], summary: 'Every static page, drafts too', response: { 200: s.pageListSchema, ...s.refusals() } } }, async (request) => {
    ensureCan(request.account, 'page.manage');
    return { items: await listPages(db) };
  });

  app.post('/pages', { schema: { tags: [PAGES], summary: 'Create a static page at /<slug>', body: s.pageCreate, response: { 201: s.pageSchema, ...s.refusals(422) } } }, async (request, reply) => {
    const { slug, title, body, language, status } = request.body;
    const page = await createPage(store, request.account, { slug, title, body: body ?? '', language: language ?? 'en', status: status ?? 'draft' });
    return reply.code(201).header('location', `/api/admin/pages/${page.id}`).send(page);
  });

  app.get('/pages/:id', { schema: { tags: [PAGES], summary: 'One static page', params: s.idParams, response: { 200: s.pageSchema, ...s.refusals(404) } } }, async (request) => {
    ensureCan(request.account, 'page.manage');
    return getPage(db, request.params.id);
  });

  app.patch(
    '/pages/:id',
    { schema: { tags: [PAGES], summary: 'Change, publish or withdraw a page', params: s.idParams, body: s.pageUpdate, response: { 200: s.pageSchema, ...s.refusals(404, 422) } } },
    async (request) => {
      ensureCan(request.account, 'page.manage');
      const current = await getPage(db, request.params.id);
      const draft = { slug: current.slug, title: current.title, body: current.body, language: current.language, status: current.status, ...given(request.body) };
      return updatePage(store, request.account, request.params.id, draft);
    },
  );

  app.delete(
    '/pages/:id',
    { schema: { tags: [PAGES], summary: 'Delete a page (its address answers 404 from the next request)', params: s.idParams, response: { 204: s.noContent, ...s.refusals(404) } } },
    async (request, reply) => {
      await deletePage(store, request.account, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- site settings (administrators) ----
  const SETTINGS = 'Admin: settings';

  app.get('/settings', { schema: { tags: [SETTINGS], summary: "The site's settings", response: { 200: s.settingsSchema, ...s.refusals() } } }, async (request) => {
    ensureCan(request.account, 'settings.manage');
    return loadSettings(db, deps.settings);
  });

  app.patch(
    '/settings',
    { schema: { tags: [SETTINGS], summary: 'Change settings (every page shows them on the next request)', body: s.settingsUpdate, response: { 200: s.settingsSchema, ...s.refusals(422) } } },
    async (request) => {
      ensureCan(request.account, 'settings.manage');
      const current = await loadSettings(db, deps.settings);
      return saveSettings(store, request.account, { ...current, ...given(request.body) });
    },
  );
}
