// /api/admin/articles: the newsroom's workflow through the API (issue 13), over the same service the /admin
// screens use (src/articles/article.workflow.ts) with the acting account, so every permission rule, the
// version check and the edit lock are the web editor's. A save or move based on an old version is answered
// 409 with both versions; a save while someone else holds the lock, 409 naming the holder.
//
// A script holds no lock between requests: a create or update that took the lock only for itself gives it
// back at once, so an editor opening the article next is not told that someone is editing it. A client
// that wants to keep it (an editor app) takes it with POST /articles/:id/lock, and keeps it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Account } from '../../accounts/permissions.ts';
import type { CropBox } from '../../media/image.service.ts';
import { cropBoxSchema } from '../../articles/article.images.ts';
import {
  ArticleLocked,
  StaleSave,
  addNote,
  allowedActions,
  compareRevisions,
  createDraft,
  getEditable,
  getRevision,
  listForEditors,
  listNotes,
  listRevisions,
  markReady,
  publishArticle,
  releaseLock,
  restoreRevision,
  saveArticle,
  scheduleArticle,
  setHomePinned,
  submitForReview,
  takeLock,
  unpublishArticle,
  type DraftInput,
  type EditableArticle,
} from '../../articles/article.workflow.ts';
import { ensureCrop, imageExists } from '../../media/image.service.ts';
import { AppError } from '../../errors.ts';
import type { AdminApiDeps } from './deps.ts';
import * as s from './schemas.ts';

const TAG = 'Admin: articles';
const PER_PAGE = 25;

/** The article as the API shows it: its workflow facts, every field, and what the actor may do now. */
export function apiArticle(actor: Account, a: EditableArticle) {
  const { draft, ...facts } = a;
  return { ...facts, ...draft, actions: allowedActions(actor, a) };
}

/** The fields a request gave (undefined ones are not given). */
function given<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Makes the files of the lead image's crop before the article is saved with it (the web editor does the
 * same), after checking the crop, so a bad crop is a 422 on `leadImageCrop` and nothing is made.
 */
async function prepareCrop(deps: AdminApiDeps, imageId: number | null | undefined, crop: CropBox | null | undefined): Promise<void> {
  if (crop === undefined || crop === null) return;
  const checked = cropBoxSchema.safeParse(crop);
  if (!checked.success) throw new AppError('invalid_input', 'The lead image crop is not valid.', { leadImageCrop: checked.error.issues[0]!.message });
  if (imageId === undefined || imageId === null || !(await imageExists(deps.store.db, imageId))) return; // the service names leadImageId
  await ensureCrop(deps.media, imageId, checked.data);
}

/** The two 409s of the workflow, answered with what a client needs to resolve them; other errors go on. */
async function answerConflict(actor: Account, reply: FastifyReply, sent: { version: number; draft: object }, error: unknown) {
  if (error instanceof StaleSave) {
    return reply.code(409).send({
      error: { code: 'conflict' as const, message: error.message, fields: { version: `version ${error.current.version} is the current one; this request was based on version ${sent.version}` } },
      current: apiArticle(actor, error.current),
      yours: { version: sent.version, draft: sent.draft as Record<string, unknown> },
    });
  }
  if (error instanceof ArticleLocked) {
    return reply.code(409).send({ error: { code: 'conflict' as const, message: error.message, fields: {} }, lock: error.lock });
  }
  throw error;
}

/** Gives back a lock the request took only for its own save (see the head of this file). */
async function settleLock(deps: AdminApiDeps, actor: Account, id: number, heldBefore: boolean): Promise<EditableArticle> {
  if (!heldBefore) await releaseLock(deps.store, actor, id);
  return getEditable(deps.store, actor, id);
}

const holdsLock = (a: EditableArticle, actor: Account) => a.lock !== null && a.lock.userId === actor.id;

type Move = (deps: AdminApiDeps, actor: Account, id: number, version: number) => Promise<EditableArticle>;
const MOVES: Record<'submit' | 'ready' | 'publish' | 'unpublish', { summary: string; move: Move }> = {
  submit: { summary: 'Submit for review (draft or unpublished → review)', move: (d, a, id, v) => submitForReview(d.store, a, id, v) },
  ready: { summary: 'Mark ready to publish (draft or review → ready)', move: (d, a, id, v) => markReady(d.store, a, id, v) },
  publish: { summary: 'Publish now: every page, listing, feed and search shows it on the next request', move: (d, a, id, v) => publishArticle(d.store, a, id, v) },
  unpublish: { summary: 'Take off the site (published → unpublished; scheduled → ready)', move: (d, a, id, v) => unpublishArticle(d.store, a, id, v) },
};

export async function articleRoutes(parent: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store } = deps;

  app.get(
    '/articles',
    {
      schema: {
        tags: [TAG],
        summary: 'List articles of every status, newest change first',
        description: 'Every staff account sees the list; editing is checked per article (see `actions` on each article).',
        querystring: s.articleListQuery,
        response: { 200: s.articleListSchema, ...s.refusals() },
      },
    },
    async (request) => {
      const { page, perPage, ...filter } = request.query;
      return listForEditors(store, request.account, given(filter), page ?? 1, perPage ?? PER_PAGE).catch((error: unknown) => {
        // The filter is the query string: a bad value is a 400 naming the parameter, as for any other query.
        throw error instanceof AppError && error.code === 'invalid_input' ? new AppError('bad_request', 'Some query parameters are not accepted.', error.fields) : error;
      });
    },
  );

  app.post(
    '/articles',
    {
      schema: {
        tags: [TAG],
        summary: 'Create a draft owned by the acting account',
        description: 'Sources (with `documentId` for uploaded documents), authors, tags, the lead image and its crop come in the same body.',
        body: s.articleCreate,
        response: { 201: s.articleSchema, ...s.refusals(422) },
      },
    },
    async (request, reply) => {
      const actor = request.account;
      const body = request.body;
      await prepareCrop(deps, body.leadImageId, body.leadImageCrop);
      const created = await createDraft(store, actor, given(body) as DraftInput);
      const article = await settleLock(deps, actor, created.id, false);
      return reply.code(201).header('location', `/api/admin/articles/${article.id}`).send(apiArticle(actor, article));
    },
  );

  app.get(
    '/articles/:id',
    { schema: { tags: [TAG], summary: 'One article with every field', params: s.idParams, response: { 200: s.articleSchema, ...s.refusals(404) } } },
    async (request) => apiArticle(request.account, await getEditable(store, request.account, request.params.id)),
  );

  app.patch(
    '/articles/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Change fields, based on a version',
        description:
          'Fields left out keep their stored value; lists (sources, authors, tags, pins) are replaced whole. Saving a published article changes it for readers at once. ' +
          'A stale `version` is answered 409 with the current article and what was sent; nothing is saved.',
        params: s.idParams,
        body: s.articleUpdate,
        response: { 200: s.articleSchema, ...s.refusals(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = request.account;
      const { version, ...fields } = request.body;
      const id = request.params.id;
      const current = await getEditable(store, actor, id);
      try {
        await prepareCrop(deps, fields.leadImageId === undefined ? current.draft.leadImageId : fields.leadImageId, fields.leadImageCrop);
        await saveArticle(store, actor, id, version, { ...current.draft, ...given(fields) } as DraftInput);
      } catch (error) {
        return answerConflict(actor, reply, { version, draft: given(fields) }, error);
      }
      return apiArticle(actor, await settleLock(deps, actor, id, holdsLock(current, actor)));
    },
  );

  for (const [name, { summary, move }] of Object.entries(MOVES)) {
    app.post(
      `/articles/:id/${name}`,
      { schema: { tags: [TAG], summary, params: s.idParams, body: s.versionBody, response: { 200: s.articleSchema, ...s.refusals(404, 409) } } },
      async (request, reply) => {
        const actor = request.account;
        try {
          return apiArticle(actor, await move(deps, actor, request.params.id, request.body.version));
        } catch (error) {
          return answerConflict(actor, reply, { version: request.body.version, draft: {} }, error);
        }
      },
    );
  }

  app.post(
    '/articles/:id/schedule',
    {
      schema: {
        tags: [TAG],
        summary: 'Schedule publication at a future time',
        description: 'Until then the article is embargoed: no public page, listing, feed, sitemap or search shows it. It is published within a minute of its time.',
        params: s.idParams,
        body: s.scheduleBody,
        response: { 200: s.articleSchema, ...s.refusals(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = request.account;
      const { version, at } = request.body;
      try {
        return apiArticle(actor, await scheduleArticle(store, actor, request.params.id, version, new Date(at)));
      } catch (error) {
        if (error instanceof AppError && error.fields.scheduledAt) throw new AppError(error.code, error.message, { at: error.fields.scheduledAt });
        return answerConflict(actor, reply, { version, draft: {} }, error);
      }
    },
  );

  // ---- the home page ----

  for (const [name, pinned] of [['pin', true], ['unpin', false]] as const) {
    app.post(
      `/articles/:id/${name}`,
      {
        schema: {
          tags: [TAG],
          summary: pinned ? 'Pin to the home page (editors): listed first there once published' : 'Unpin from the home page (editors): back in publication order',
          description: 'A placement, not an edit: no version is needed, no revision is kept and the update time does not move. Doing it twice changes nothing.',
          params: s.idParams,
          response: { 200: s.articleSchema, ...s.refusals(404) },
        },
      },
      async (request) => apiArticle(request.account, await setHomePinned(store, request.account, request.params.id, pinned)),
    );
  }

  // ---- the edit lock ----

  app.post(
    '/articles/:id/lock',
    {
      schema: {
        tags: [TAG],
        summary: 'Take (or refresh) the edit lock',
        description: 'A lock not refreshed for two minutes no longer holds. Held by another account: 409 naming it, unless `takeOver`.',
        params: s.idParams,
        body: s.lockBody,
        response: { 200: s.lockSchema, ...s.refusals(404, 409) },
      },
    },
    async (request, reply) => {
      try {
        return { lock: await takeLock(store, request.account, request.params.id, { takeOver: request.body.takeOver === true }) };
      } catch (error) {
        return answerConflict(request.account, reply, { version: 0, draft: {} }, error);
      }
    },
  );

  app.delete(
    '/articles/:id/lock',
    { schema: { tags: [TAG], summary: 'Give up the edit lock (if the acting account holds it)', params: s.idParams, response: { 204: s.noContent, ...s.refusals(404) } } },
    async (request, reply) => {
      await getEditable(store, request.account, request.params.id);
      await releaseLock(store, request.account, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- notes ----

  app.get(
    '/articles/:id/notes',
    { schema: { tags: [TAG], summary: "Editors' private notes on the article", params: s.idParams, response: { 200: s.noteListSchema, ...s.refusals(404) } } },
    async (request) => ({ items: await listNotes(store, request.account, request.params.id) }),
  );

  app.post(
    '/articles/:id/notes',
    { schema: { tags: [TAG], summary: 'Add a private note (never shown to readers)', params: s.idParams, body: s.noteBody, response: { 201: s.noteSchema, ...s.refusals(404, 422) } } },
    async (request, reply) => {
      const note = await addNote(store, request.account, request.params.id, request.body.body).catch((error: unknown) => {
        throw error instanceof AppError && error.fields.note ? new AppError(error.code, error.message, { body: error.fields.note }) : error;
      });
      return reply.code(201).send(note);
    },
  );

  // ---- revisions ----

  app.get(
    '/articles/:id/revisions',
    { schema: { tags: [TAG], summary: 'Every saved revision, newest first', params: s.idParams, response: { 200: s.revisionListSchema, ...s.refusals(404) } } },
    async (request) => ({ items: await listRevisions(store, request.account, request.params.id) }),
  );

  app.get(
    '/articles/:id/revisions/compare',
    {
      schema: { tags: [TAG], summary: 'What changed between two revisions, field by field', params: s.idParams, querystring: s.compareQuery, response: { 200: s.compareSchema, ...s.refusals(404) } },
    },
    async (request) => compareRevisions(store, request.account, request.params.id, request.query.from, request.query.to),
  );

  app.get(
    '/articles/:id/revisions/:revision',
    { schema: { tags: [TAG], summary: "One revision's fields", params: s.revisionParams, response: { 200: s.revisionSchema, ...s.refusals(404) } } },
    async (request) => {
      const { summary, draft } = await getRevision(store, request.account, request.params.id, request.params.revision);
      return { revision: summary, draft };
    },
  );

  app.post(
    '/articles/:id/revisions/:revision/restore',
    {
      schema: {
        tags: [TAG],
        summary: "Save a revision's fields as the newest version",
        params: s.revisionParams,
        body: s.versionBody,
        response: { 200: s.articleSchema, ...s.refusals(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = request.account;
      const { id, revision } = request.params;
      const current = await getEditable(store, actor, id);
      try {
        await restoreRevision(store, actor, id, revision, request.body.version);
      } catch (error) {
        return answerConflict(actor, reply, { version: request.body.version, draft: {} }, error);
      }
      return apiArticle(actor, await settleLock(deps, actor, id, holdsLock(current, actor)));
    },
  );
}
