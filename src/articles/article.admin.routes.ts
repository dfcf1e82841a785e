// The article screens under /admin (issue 11): the list, the edit form and its workflow buttons, autosave
// (fetch, JSON), the lock and its take-over, preview through the public theme (never cached), notes,
// revisions with their diff and restore. Every rule is the workflow service's: these routes translate
// forms to service calls and answers to pages, and never decide what a role may do on their own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffNames } from '../accounts/account.service.ts';
import { can, type Account } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { utcToZonedInput, zonedTimeToUtc } from '../lib/time-zone.ts';
import { allSections } from '../sections/section.service.ts';
import { getPersonById } from '../people/person.service.ts';
import type { AdminAssets } from '../web/admin/assets.ts';
import * as views from '../web/admin/articles.ts';
import { idParam } from '../web/admin/params.ts';
import { documentTitles, listDocuments } from '../documents/document.service.ts';
import { ensureCrop, imageViews, type MediaDeps } from '../media/image.service.ts';
import { pageSocialImage } from '../media/social-card.ts';
import type { Site } from '../web/site.ts';
import { newsArticleJsonLd } from './article.jsonld.ts';
import { SEO_DESCRIPTION_SHOWN, SEO_TITLE_MAX, SEO_TITLE_SHOWN, headTexts } from './article.seo.ts';
import type { ArticleComments } from './article.routes.ts';
import {
  ArticleLocked,
  StaleSave,
  addNote,
  allowedActions,
  compareRevisions,
  createDraft,
  citedDocumentNames,
  diffDrafts,
  draftInput,
  getEditable,
  listForEditors,
  listNotes,
  listRevisions,
  markReady,
  previewFor,
  publishArticle,
  restoreRevision,
  saveArticle,
  scheduleArticle,
  setHomePinned,
  submitForReview,
  takeLock,
  unpublishArticle,
  type DraftInput,
  type EditableArticle,
} from './article.workflow.ts';

export interface ArticleAdminOptions {
  store: Store;
  site: Site;
  assets: AdminAssets;
  /** The comment section the preview shows, as readers will see it. */
  comments: ArticleComments;
  /** The media library, to make the files of an article's crop of its lead picture before it is saved. */
  media: MediaDeps;
}

const PER_PAGE = 25;


/** The editor page's script (autosave, unsaved-changes warning, direction, lengths). */
const FORM_SCRIPT = 'article-editor.js';
/** The body editor's bundle (decision 0021), built into dist/admin-assets/; the form works without it. */
const BODY_EDITOR_SCRIPT = 'editor.js';

type Form = Record<string, string | string[] | undefined>;
const one = (form: Form, name: string): string => {
  const v = form[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
};
const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's fields as typed: sources rows gathered from their `sources.<i>.<field>` names, in order. */
export function formValues(form: Form): views.ArticleFormValues {
  const rows = new Map<number, views.SourceRow>();
  for (const name of Object.keys(form)) {
    const m = /^sources\.(\d{1,3})\.(name|description|url|kind|role|relays|document)$/.exec(name);
    if (!m) continue;
    const i = Number(m[1]);
    const row = rows.get(i) ?? { name: '', description: '', url: '', kind: 'outlet', role: 'reported', relays: '', document: '' };
    row[m[2] as keyof views.SourceRow] = one(form, name);
    rows.set(i, row);
  }
  return {
    headline: one(form, 'headline'),
    subtitle: one(form, 'subtitle'),
    slug: one(form, 'slug').trim(),
    section: one(form, 'section'),
    tags: one(form, 'tags'),
    language: one(form, 'language') || 'en',
    summary: one(form, 'summary'),
    body: one(form, 'body').replace(/\r\n/g, '\n'),
    bodyFormat: one(form, 'body_format') === 'html' ? 'html' : 'markdown',
    bodyHtml: null,
    authors: one(form, 'authors'),
    sources: withoutBlankRows([...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r)),
    pin: one(form, 'pin').trim(),
    commentsOpen: one(form, 'comments_open') !== '',
    leadImageId: one(form, 'lead_image_id').trim(),
    leadImageCrop: one(form, 'lead_image_crop').trim(),
    imageUrl: one(form, 'image_url').trim(),
    imageAlt: one(form, 'image_alt'),
    scheduledAt: one(form, 'scheduled_at'),
    seoTitle: one(form, 'seo_title'),
    seoDescription: one(form, 'seo_description'),
  };
}

/**
 * A source row left entirely empty is no source: dropped as the form is read, so that the service's
 * messages (`sources.<i>.name`) name the rows the form shows again, and "relays" follows the rows kept.
 */
function withoutBlankRows(rows: readonly views.SourceRow[]): views.SourceRow[] {
  const kept = rows.map((s, i) => ({ s, i })).filter(({ s }) => s.name.trim() || s.url.trim() || s.description.trim());
  const newIndex = new Map(kept.map(({ i }, n) => [i, n]));
  return kept.map(({ s }) => ({ ...s, relays: s.relays === '' ? '' : String(newIndex.get(Number(s.relays)) ?? '') }));
}

/** A library number as typed: null when empty, -1 (refused by the service, next to the field) when not a number. */
function leadImageIdOf(text: string): number | null {
  if (text === '') return null;
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : -1;
}

/** "x,y,w,h" in thousandths: null when empty; numbers the service refuses when malformed (its message is replaced by the form's). */
function leadImageCropOf(text: string): { x: number; y: number; w: number; h: number } | null {
  if (text === '') return null;
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,4}$/.test(p))) return { x: -1, y: -1, w: 0, h: 0 };
  const [x, y, w, h] = parts.map(Number) as [number, number, number, number];
  return { x, y, w, h };
}

/** The crop as the form shows it. */
const cropText = (c: { x: number; y: number; w: number; h: number } | null) => (c ? `${c.x},${c.y},${c.w},${c.h}` : '');

/** What the service takes from the form. */
export function draftFrom(v: views.ArticleFormValues): DraftInput {
  return {
    headline: v.headline,
    subtitle: v.subtitle,
    slug: v.slug,
    section: v.section,
    language: v.language,
    tags: list(v.tags),
    summary: v.summary,
    body: v.body,
    bodyFormat: v.bodyFormat,
    authors: list(v.authors),
    sources: v.sources.map((s) => ({
      name: s.name,
      description: s.description,
      url: s.url.trim() || null,
      kind: s.kind as 'outlet',
      role: s.role as 'reported',
      relays: /^\d{1,3}$/.test(s.relays) ? Number(s.relays) : null,
      documentId: /^[1-9][0-9]{0,9}$/.test(s.document) ? Number(s.document) : null,
    })),
    pins: v.pin ? [v.pin.replace(/^\/+|\/+$/g, '')] : [],
    commentsOpen: v.commentsOpen,
    leadImageId: leadImageIdOf(v.leadImageId),
    leadImageCrop: leadImageCropOf(v.leadImageCrop),
    imageUrl: v.imageUrl || null,
    imageAlt: v.imageAlt,
    seoTitle: v.seoTitle,
    seoDescription: v.seoDescription,
  };
}

/** The stored article as the form shows it. */
function valuesOf(a: EditableArticle, zone: string): views.ArticleFormValues {
  const d = a.draft;
  return {
    headline: d.headline,
    subtitle: d.subtitle,
    slug: d.slug,
    section: d.section,
    tags: d.tags.join(', '),
    language: d.language,
    summary: d.summary,
    body: d.body,
    bodyFormat: d.bodyFormat,
    bodyHtml: d.bodyFormat === 'markdown' ? a.bodyHtml : null,
    authors: d.authors.join(', '),
    sources: d.sources.map((s) => ({
      name: s.name,
      description: s.description,
      url: s.url ?? '',
      kind: s.kind,
      role: s.role,
      relays: s.relays === null ? '' : String(s.relays),
      document: s.documentId === null ? '' : String(s.documentId),
    })),
    pin: d.pins[0] ?? '',
    commentsOpen: d.commentsOpen,
    leadImageId: d.leadImageId === null ? '' : String(d.leadImageId),
    leadImageCrop: cropText(d.leadImageCrop),
    imageUrl: d.imageUrl ?? '',
    imageAlt: d.imageAlt,
    scheduledAt: a.scheduledAt ? utcToZonedInput(a.scheduledAt, zone) : '',
    seoTitle: d.seoTitle,
    seoDescription: d.seoDescription,
  };
}

/** The form's names of the service's fields where they differ. */
const FORM_NAMES: Record<string, string> = { leadImageId: 'lead_image_id', lead_image: 'lead_image_id', imageUrl: 'image_url', imageAlt: 'image_alt', scheduledAt: 'scheduled_at', bodyFormat: 'body', commentsOpen: 'comments_open', seoTitle: 'seo_title', seoDescription: 'seo_description' };

const CROP_MESSAGE = 'Give the crop as four whole numbers (left, top, width, height) in thousandths of the picture, inside it, e.g. 0,100,1000,600; or leave it empty.';

/** Field messages keyed by the form's names (the service names list items by index). */
function formFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, message] of Object.entries(fields)) {
    if (/^leadImageCrop(\.|$)/.test(k)) {
      out.lead_image_crop ??= CROP_MESSAGE;
      continue;
    }
    const name = /^(authors|tags)(\.|$)/.test(k) ? k.split('.')[0]! : /^pins(\.|$)/.test(k) ? 'pin' : (FORM_NAMES[k] ?? k);
    out[name] ??= message;
  }
  return out;
}

/** Rearranging the sources rows (add, move, remove) re-shows the form without saving. */
function rearranged(values: views.ArticleFormValues, action: string): views.ArticleFormValues | null {
  const sources = [...values.sources];
  const relaysBy = (order: number[]) =>
    order.map((old) => {
      const s = sources[old]!;
      const to = s.relays === '' ? -1 : order.indexOf(Number(s.relays));
      return { ...s, relays: to === -1 ? '' : String(to) };
    });
  if (action === 'add_source') return { ...values, sources: [...sources, { name: '', description: '', url: '', kind: 'outlet', role: 'reported', relays: '', document: '' }] };
  const m = /^(up|down|remove):(\d{1,3})$/.exec(action);
  if (!m) return null;
  const i = Number(m[2]);
  if (i >= sources.length) return values;
  const order = sources.map((_, n) => n);
  if (m[1] === 'remove') order.splice(i, 1);
  else {
    const j = m[1] === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= order.length) return values;
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { ...values, sources: relaysBy(order) };
}

const WORKFLOW_ACTIONS = ['save', 'submit', 'ready', 'schedule', 'publish', 'unpublish', 'pin', 'unpin'] as const;
type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
const DONE: Record<WorkflowAction, string> = {
  save: 'saved',
  submit: 'submitted',
  ready: 'ready',
  schedule: 'scheduled',
  publish: 'published',
  unpublish: 'unpublished',
  pin: 'pinned',
  unpin: 'unpinned',
};
const MESSAGES: Record<string, string> = {
  created: 'Draft created.',
  saved: 'Saved.',
  submitted: 'Submitted for review.',
  ready: 'Marked ready to publish.',
  scheduled: 'Scheduled. It stays embargoed until its time.',
  published: 'Published.',
  unpublished: 'Taken off the site.',
  pinned: 'Pinned to the home page.',
  unpinned: 'Unpinned: the home page lists it by its publication time again.',
  restored: 'The revision was restored as a new version.',
  noted: 'Note added.',
  lock: 'You are now editing this article.',
};

/** The publication time typed for "Schedule", in the site's time zone, or an invalid_input naming the field. */
function scheduleTime(text: string, zone: string): Date {
  const at = zonedTimeToUtc(text, zone);
  if (!at) throw new AppError('invalid_input', 'Give the publication time.', { scheduled_at: 'give a date and time' });
  return at;
}

/**
 * Makes the files of the article's crop of its lead picture (once; nothing when there is no crop), so the
 * saved article shows the crop from its first request. The save itself checks the picture and the box.
 */
async function prepareCrop(media: MediaDeps, draft: DraftInput): Promise<void> {
  const box = draft.leadImageCrop;
  if (draft.leadImageId == null || !box) return;
  if (![box.x, box.y, box.w, box.h].every((v) => Number.isInteger(v) && v >= 0 && v <= 1000) || box.w < 1 || box.h < 1 || box.x + box.w > 1000 || box.y + box.h > 1000) return;
  await ensureCrop(media, draft.leadImageId, box).catch((error: unknown) => {
    // A picture that is gone is reported by the save, next to the field.
    if (!(error instanceof AppError)) throw error;
  });
}

export async function articleAdminRoutes(app: FastifyInstance, { store, site, assets, comments, media }: ArticleAdminOptions): Promise<void> {
  const bodyEditor = (() => {
    try {
      return [assets.path(BODY_EDITOR_SCRIPT)];
    } catch {
      return [];
    }
  })();
  const scripts = () => [assets.path(FORM_SCRIPT), ...bodyEditor];
  // The site's settings as they are now ("Publish at" is read in its time zone); a cheap check when nothing changed.
  app.addHook('preHandler', async () => site.refresh());
  const sectionOptions = async () => (await allSections(store.db)).map((s) => ({ value: s.slug, label: s.name }));

  /** The version the form was based on; a missing or malformed one is refused like a stale one. */
  const versionOf = (form: Form) => {
    const v = one(form, 'version');
    return /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : 0;
  };

  interface FormState {
    values: views.ArticleFormValues;
    fields?: Record<string, string>;
    conflict?: views.ArticleFormView['conflict'];
    lockedBy?: views.ArticleFormView['lockedBy'];
    message?: string;
    problem?: string;
    noteError?: string;
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, article: EditableArticle | null, state: FormState, status = 200) {
    const actor = request.account;
    const notes = article ? await listNotes(store, actor, article.id) : [];
    const names = await staffNames(store, notes.map((n) => n.authorId ?? 0));
    // A new article is the actor's own draft.
    const actions = allowedActions(actor, article ?? { ownerId: actor.id, status: 'draft' });
    const view: views.ArticleFormView = {
      csrfToken: request.csrfToken,
      timeZone: site.timeZone,
      article: article && { id: article.id, version: article.version, status: article.status, path: article.path, scheduledAt: article.scheduledAt, publishedAt: article.publishedAt, updatedAt: article.updatedAt, homePinned: article.homePinned },
      values: state.values,
      fields: state.fields ?? {},
      leadImage: await leadImagePreview(state.values.leadImageId),
      seoLengths: { titleMax: SEO_TITLE_MAX, titleShown: SEO_TITLE_SHOWN, descriptionShown: SEO_DESCRIPTION_SHOWN },
      sections: await sectionOptions(),
      documents: await documentOptions(actor, state.values),
      actions: { save: actions.edit, submit: actions.submit, ready: actions.ready, schedule: actions.schedule, publish: actions.publish, unpublish: actions.unpublish, pin: actions.pin },
      lockedBy: state.lockedBy ?? null,
      notes: notes.map((n) => ({ author: names.get(n.authorId ?? 0) ?? 'A former colleague', body: n.body, createdAt: n.createdAt })),
      ...(state.noteError ? { noteError: state.noteError } : {}),
      ...(state.conflict ? { conflict: state.conflict } : {}),
      ...(state.message ? { message: state.message } : {}),
      ...(state.problem ? { problem: state.problem } : {}),
    };
    const title = article ? `Edit: ${state.values.headline || 'Untitled'}` : 'New article';
    return reply.adminPage({ title, nav: 'articles', main: views.articleFormPage(view), scripts: scripts(), status });
  }

  /** The picture the lead image field names, uncropped (the form draws the crop over it). */
  async function leadImagePreview(typed: string): Promise<views.ArticleFormView['leadImage']> {
    if (!/^[1-9][0-9]{0,9}$/.test(typed)) return null;
    const view = (await imageViews(store.db, [{ id: Number(typed) }])).get(Number(typed));
    if (!view) return null;
    const { picture } = view;
    return { id: view.id, src: picture.src, srcset: picture.srcset, width: picture.width, height: picture.height, alt: view.alt, decorative: view.decorative, caption: view.caption, credit: view.credit };
  }

  /** The documents a source may cite: recent uploads, and whatever the form cites already. */
  async function documentOptions(actor: Account, values: views.ArticleFormValues): Promise<views.DocumentOption[]> {
    const held = await listDocuments(store, actor);
    const cited = values.sources.map((src) => Number(src.document)).filter((id) => id > 0 && !held.some((d) => d.id === id));
    const others = await documentTitles(store.db, cited);
    return [
      ...held.map((d) => ({ value: String(d.id), label: `${d.title} (${d.fileName}, SHA-256 ${d.sha256.slice(0, 12)}…)` })),
      ...[...others].map(([id, d]) => ({ value: String(id), label: d.held ? d.title : `${d.title} (described, not held)` })),
    ];
  }

  const lockHolder = async (lock: { userId: number; since: string }) => ({ name: (await staffNames(store, [lock.userId])).get(lock.userId) ?? 'Another account', since: lock.since });

  /** Re-shows the form after a refused save, with what was typed and why. */
  async function refused(request: FastifyRequest, reply: FastifyReply, article: EditableArticle | null, values: views.ArticleFormValues, error: unknown) {
    if (error instanceof StaleSave) {
      const yours = draftInput.safeParse(error.attempted.draft);
      const differences = yours.success ? diffDrafts(error.current.draft, yours.data, await citedDocumentNames(store.db, error.current.draft, yours.data)) : [];
      return formPage(request, reply, error.current, { values, conflict: { version: error.current.version, savedAt: error.current.updatedAt, differences } }, 409);
    }
    if (error instanceof ArticleLocked) return formPage(request, reply, article, { values, lockedBy: await lockHolder(error.lock), problem: error.message }, 409);
    if (error instanceof AppError && error.code === 'invalid_input') return formPage(request, reply, article, { values, fields: formFields(error.fields) }, 422);
    if (error instanceof AppError && error.code === 'conflict') return formPage(request, reply, article, { values, problem: error.message }, 409);
    throw error;
  }

  /** Runs the workflow step the button asked for after the fields were saved. */
  async function step(actor: Account, a: EditableArticle, action: WorkflowAction, values: views.ArticleFormValues): Promise<EditableArticle> {
    switch (action) {
      case 'save':
        return a;
      case 'submit':
        return submitForReview(store, actor, a.id, a.version);
      case 'ready':
        return markReady(store, actor, a.id, a.version);
      case 'schedule':
        return scheduleArticle(store, actor, a.id, a.version, scheduleTime(values.scheduledAt, site.timeZone));
      case 'publish':
        return publishArticle(store, actor, a.id, a.version);
      case 'unpublish':
        return unpublishArticle(store, actor, a.id, a.version);
      case 'pin':
      case 'unpin':
        return setHomePinned(store, actor, a.id, action === 'pin');
    }
  }

  /** Refuses, before anything is saved, a button the role may not use here (hidden buttons can still be posted by hand). */
  function ensureAllowed(actor: Account, article: Pick<EditableArticle, 'ownerId' | 'status'>, action: WorkflowAction) {
    const allowed = allowedActions(actor, article);
    // Pinning saves what was typed first, like every button: it needs both.
    const ok = action === 'save' ? allowed.edit : action === 'pin' || action === 'unpin' ? allowed.edit && allowed.pin : allowed[action];
    if (!ok) throw new AppError('forbidden', `Your role (${actor.role}) cannot ${action === 'save' ? 'change' : action} this article now.`);
  }

  const workflowAction = (form: Form): string => one(form, 'action') || 'save';
  const isWorkflow = (a: string): a is WorkflowAction => (WORKFLOW_ACTIONS as readonly string[]).includes(a);

  // ---- the list ----

  app.get('/articles', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const str = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : '');
    const filter = { status: str('status'), section: str('section'), author: str('author'), language: str('language'), q: str('q') };
    const page = /^[1-9][0-9]{0,5}$/.test(str('page')) ? Number(str('page')) : 1;
    let result;
    try {
      result = await listForEditors(store, request.account, Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '')), page, PER_PAGE);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_input')) throw error;
      throw new AppError('bad_request', 'This filter is not valid.');
    }
    const names = await staffNames(store, result.items.map((i) => i.ownerId ?? 0));
    const items = result.items.map((i) => ({ ...i, ownerName: i.ownerId === null ? null : (names.get(i.ownerId) ?? null), editable: can(request.account, 'article.edit', { ownerId: i.ownerId }) }));
    const message = MESSAGES[str('done')];
    return reply.adminPage({
      title: 'Articles',
      nav: 'articles',
      main: views.articleListPage({ items, filter, sections: await sectionOptions(), total: result.total, page: result.page, pageCount: result.pageCount, ...(message ? { message } : {}) }),
    });
  });

  // ---- a new article ----

  const blank = (): views.ArticleFormValues => ({
    headline: '',
    subtitle: '',
    slug: '',
    section: 'news',
    tags: '',
    language: 'en',
    summary: '',
    body: '',
    bodyFormat: 'markdown',
    bodyHtml: null,
    authors: '',
    sources: [],
    pin: '',
    commentsOpen: true,
    leadImageId: '',
    leadImageCrop: '',
    imageUrl: '',
    imageAlt: '',
    scheduledAt: '',
    seoTitle: '',
    seoDescription: '',
  });

  app.get('/articles/new', async (request, reply) => {
    // A writer's own byline (when their account is linked to one) comes first in a new article.
    const byline = request.account.personId === null ? null : await getPersonById(store.db, request.account.personId).catch(() => null);
    return formPage(request, reply, null, { values: { ...blank(), authors: byline?.slug ?? '' } });
  });

  app.post('/articles/new', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const values = formValues(form);
    const action = workflowAction(form);
    const again = rearranged(values, action);
    if (again) return formPage(request, reply, null, { values: again });
    if (!isWorkflow(action)) throw new AppError('bad_request', 'Unknown action.');
    const actor = request.account;
    ensureAllowed(actor, { ownerId: actor.id, status: 'draft' }, action);
    let article: EditableArticle;
    try {
      if (action === 'schedule') scheduleTime(values.scheduledAt, site.timeZone);
      const draft = draftFrom(values);
      await prepareCrop(media, draft);
      article = await createDraft(store, actor, draft);
    } catch (error) {
      return refused(request, reply, null, values, error);
    }
    try {
      await step(actor, article, action, values);
    } catch (error) {
      return refused(request, reply, await getEditable(store, actor, article.id), values, error);
    }
    if (action === 'submit') return reply.redirect('/admin/articles?done=submitted', 303);
    return reply.redirect(`/admin/articles/${article.id}?done=${action === 'save' ? 'created' : DONE[action]}`, 303);
  });

  // ---- editing ----

  app.get<{ Params: { id: string } }>('/articles/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const actor = request.account;
    const article = await getEditable(store, actor, id);
    let lockedBy: views.ArticleFormView['lockedBy'] = null;
    if (allowedActions(actor, article).edit) {
      try {
        await takeLock(store, actor, id);
      } catch (error) {
        if (!(error instanceof ArticleLocked)) throw error;
        lockedBy = await lockHolder(error.lock);
      }
    }
    const done = (request.query as Record<string, unknown>).done;
    const message = typeof done === 'string' ? MESSAGES[done] : undefined;
    return formPage(request, reply, await getEditable(store, actor, id), { values: valuesOf(article, site.timeZone), lockedBy, ...(message ? { message } : {}) });
  });

  app.post<{ Params: { id: string } }>('/articles/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const actor = request.account;
    const form = (request.body ?? {}) as Form;
    const values = formValues(form);
    const current = await getEditable(store, actor, id);
    const action = workflowAction(form);
    const again = rearranged(values, action);
    if (again) return formPage(request, reply, current, { values: again });
    if (!isWorkflow(action)) throw new AppError('bad_request', 'Unknown action.');
    ensureAllowed(actor, current, action);
    let saved: EditableArticle;
    try {
      if (action === 'schedule') scheduleTime(values.scheduledAt, site.timeZone);
      // A button that only moves the article (unpublish) still saves what was typed first, so nothing typed is lost.
      const draft = draftFrom(values);
      await prepareCrop(media, draft);
      saved = await saveArticle(store, actor, id, versionOf(form), draft);
      await step(actor, saved, action, values);
    } catch (error) {
      return refused(request, reply, await getEditable(store, actor, id), values, error);
    }
    // Submitting hands the article over: back to the list, so that the writer's lock is not taken again.
    return reply.redirect(action === 'submit' ? '/admin/articles?done=submitted' : `/admin/articles/${id}?done=${DONE[action]}`, 303);
  });

  // fetch() from the editor script every few seconds: JSON in the context's error format when refused.
  app.post<{ Params: { id: string } }>('/articles/:id/autosave', async (request, reply) => {
    const id = idParam(request.params.id);
    const form = (request.body ?? {}) as Form;
    const draft = draftFrom(formValues(form));
    await prepareCrop(media, draft);
    const saved = await saveArticle(store, request.account, id, versionOf(form), draft, { autosave: true });
    return reply.header('cache-control', 'no-store').send({ version: saved.version, status: saved.status, savedAt: new Date().toISOString() });
  });

  app.post<{ Params: { id: string } }>('/articles/:id/lock', async (request, reply) => {
    const id = idParam(request.params.id);
    await takeLock(store, request.account, id, { takeOver: one((request.body ?? {}) as Form, 'take_over') === '1' });
    return reply.redirect(`/admin/articles/${id}?done=lock`, 303);
  });

  // ---- preview: the public theme, for drafts too; never cached, never indexed ----

  app.get<{ Params: { id: string } }>('/articles/:id/preview', async (request, reply) => {
    const id = idParam(request.params.id);
    const article = await previewFor(store, request.account, id);
    const [commentSection, social] = await Promise.all([comments.sectionFor(article, {}), pageSocialImage(media.storage, article, { name: site.name, colours: site.theme.colours })]);
    const body = await site.render(
      {
        language: article.language,
        title: article.headline,
        ...headTexts(article),
        ...commentSection.head,
        noindex: true,
        ogType: 'article',
        // As readers will get them once it is published (the generated card answers only then).
        image: { url: site.publicUrl + social.path, width: social.width, height: social.height, type: social.type, alt: social.alt },
        jsonLd: newsArticleJsonLd(article, site, social),
        article: { publishedAt: article.publishedAt, updatedAt: article.updatedAt, section: article.section.name, tags: article.tags.map((t) => t.name) },
      },
      site.theme.articlePage(article, commentSection),
    );
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').type('text/html; charset=utf-8').send(body);
  });

  // ---- notes ----

  app.post<{ Params: { id: string } }>('/articles/:id/notes', async (request, reply) => {
    const id = idParam(request.params.id);
    try {
      await addNote(store, request.account, id, one((request.body ?? {}) as Form, 'note'));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_input')) throw error;
      const article = await getEditable(store, request.account, id);
      return formPage(request, reply, article, { values: valuesOf(article, site.timeZone), noteError: error.fields.note ?? error.message }, 422);
    }
    return reply.redirect(`/admin/articles/${id}?done=noted#notes`, 303);
  });

  // ---- revisions ----

  app.get<{ Params: { id: string } }>('/articles/:id/revisions', async (request, reply) => {
    const id = idParam(request.params.id);
    const article = await getEditable(store, request.account, id);
    const revisions = await listRevisions(store, request.account, id);
    const names = await staffNames(store, revisions.map((r) => r.savedBy ?? 0));
    return reply.adminPage({
      title: `Revisions: ${article.draft.headline}`,
      nav: 'articles',
      main: views.revisionsPage({
        csrfToken: request.csrfToken,
        article: { id, headline: article.draft.headline, version: article.version },
        revisions: revisions.map((r) => ({ ...r, savedByName: r.savedBy === null ? 'Imported' : (names.get(r.savedBy) ?? 'A former colleague') })),
        canRestore: allowedActions(request.account, article).edit,
      }),
    });
  });

  app.get<{ Params: { id: string } }>('/articles/:id/revisions/compare', async (request, reply) => {
    const id = idParam(request.params.id);
    const q = request.query as Record<string, unknown>;
    const ref = (v: unknown) => (typeof v === 'string' && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : Number.NaN);
    const article = await getEditable(store, request.account, id);
    const diff = await compareRevisions(store, request.account, id, ref(q.from), ref(q.to));
    return reply.adminPage({ title: 'Compare revisions', nav: 'articles', main: views.comparePage({ article: { id, headline: article.draft.headline }, ...diff }) });
  });

  app.post<{ Params: { id: string; revision: string } }>('/articles/:id/revisions/:revision/restore', async (request, reply) => {
    const id = idParam(request.params.id);
    const revision = idParam(request.params.revision);
    const current = await getEditable(store, request.account, id);
    ensureAllowed(request.account, current, 'save');
    try {
      await restoreRevision(store, request.account, id, revision, versionOf((request.body ?? {}) as Form));
    } catch (error) {
      return refused(request, reply, current, valuesOf(current, site.timeZone), error);
    }
    return reply.redirect(`/admin/articles/${id}?done=restored`, 303);
  });
}
