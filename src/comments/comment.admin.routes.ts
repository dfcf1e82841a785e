// /admin/comments: moderation on screen (issue 11, part 6). Registered inside the /admin context, whose
// hooks have already signed the request in (request.account) and checked its CSRF token and origin;
// every permission rule is the comment service's (comment.moderate), so these routes only translate
// forms to service calls and answer with pages or 303s back to where the form was. Answers are
// `no-store` through reply.adminPage and never reach the public page cache.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CommentStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { idParam } from '../web/admin/params.ts';
import { bulkNotice, commentAdminPath, moderationCommentPage, moderationQueuePage, queuePath, type CommentPageOptions } from '../web/admin/comments.ts';
import { BULK_ACTIONS, QUEUE_STATES, commentIds, type BulkAction } from './comment.moderation.ts';
import type { CommentService } from './comment.service.ts';

export interface CommentAdminRoutesOptions {
  comments: CommentService;
}

const PAGE = /^[1-9]\d{0,5}$/;

type Form = Record<string, string | string[] | undefined>;

/** The first value of a form or query field, or ''. */
function one(form: Form | undefined, name: string): string {
  const v = form?.[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** Every value of a form field (checkboxes send one per ticked box). */
function all(form: Form | undefined, name: string): string[] {
  const v = form?.[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The queue a request asks for: a state (pending unless named), an article and a page. Unknown values are 404. */
function queueQuery(q: Form | undefined): { status: CommentStatus; articleId?: number; page: number } {
  const status = one(q, 'status') || 'pending';
  if (!QUEUE_STATES.includes(status as CommentStatus)) throw new AppError('not_found', `There is no "${status}" queue.`);
  const article = one(q, 'article');
  const page = one(q, 'page');
  return {
    status: status as CommentStatus,
    articleId: article === '' ? undefined : idParam(article),
    page: PAGE.test(page) ? Number(page) : 1,
  };
}

const noticeOf = (q: Form | undefined): string | null => {
  const done = one(q, 'done');
  const moved = one(q, 'moved');
  if (BULK_ACTIONS.includes(done as BulkAction) && PAGE.test(moved)) return bulkNotice(done as BulkAction, Number(moved));
  return { saved: 'Changes saved.', replied: 'Reply published.', opened: 'Comments are open on this article.', closed: 'Comments are closed on this article.' }[done] ?? null;
};

export async function commentAdminRoutes(app: FastifyInstance, { comments }: CommentAdminRoutesOptions): Promise<void> {
  async function queuePage(request: FastifyRequest, reply: FastifyReply, status = 200, errors: Record<string, string> = {}, source: Form | undefined = request.query as Form) {
    const view = await comments.moderationQueue(request.account, queueQuery(source));
    const main = moderationQueuePage(view, { csrfToken: request.csrfToken, notice: status === 200 ? noticeOf(request.query as Form) : null, errors });
    return reply.adminPage({ title: `Comments: ${view.status}`, nav: 'comments', main, status });
  }

  async function commentPage(request: FastifyRequest, reply: FastifyReply, id: number, options: Omit<CommentPageOptions, 'csrfToken'> = {}, status = 200) {
    const c = await comments.staffComment(request.account, id);
    const main = moderationCommentPage(c, { csrfToken: request.csrfToken, notice: status === 200 ? noticeOf(request.query as Form) : null, ...options });
    return reply.adminPage({ title: `Comment #${c.id}`, nav: 'comments', main, status });
  }

  app.get('/comments', (request, reply) => queuePage(request, reply));

  app.post('/comments/bulk', async (request, reply) => {
    const form = request.body as Form | undefined;
    const action = one(form, 'action');
    if (!BULK_ACTIONS.includes(action as BulkAction)) throw new AppError('bad_request', 'Choose what to do with the comments.');
    let ids: number[];
    try {
      ids = commentIds(all(form, 'ids'));
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_input') return queuePage(request, reply, 422, { ...error.fields }, form);
      throw error;
    }
    const done = await comments.bulkModerate(request.account, ids, action as BulkAction);
    const back = one(form, 'back') === 'comment' && ids.length === 1 ? commentAdminPath(ids[0]!) + '?' : `${queuePath(queueQuery(form))}&`;
    return reply.redirect(`${back}done=${action}&moved=${done.moved}`, 303);
  });

  app.get<{ Params: { id: string } }>('/comments/:id', (request, reply) => commentPage(request, reply, idParam(request.params.id)));

  app.post<{ Params: { id: string } }>('/comments/:id/edit', async (request, reply) => {
    const id = idParam(request.params.id);
    const form = request.body as Form | undefined;
    const typed = { authorName: one(form, 'author_name'), authorUrl: one(form, 'author_url'), body: one(form, 'body') };
    try {
      await comments.editComment(request.account, id, typed);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_input') return commentPage(request, reply, id, { edit: { ...typed, errors: { ...error.fields } } }, 422);
      throw error;
    }
    return reply.redirect(`${commentAdminPath(id)}?done=saved`, 303);
  });

  app.post<{ Params: { id: string } }>('/comments/:id/reply', async (request, reply) => {
    const id = idParam(request.params.id);
    const text = one(request.body as Form | undefined, 'reply');
    try {
      const done = await comments.replyAsStaff(request.account, id, text);
      return reply.redirect(`${commentAdminPath(done.id)}?done=replied`, 303);
    } catch (error) {
      // The service names the text field `body`; on this page it is the reply box.
      if (error instanceof AppError && error.code === 'invalid_input') return commentPage(request, reply, id, { reply: { text, errors: { reply: Object.values(error.fields)[0] ?? error.message } } }, 422);
      throw error;
    }
  });

  app.post<{ Params: { articleId: string } }>('/comments/articles/:articleId/open', async (request, reply) => {
    const articleId = idParam(request.params.articleId);
    const form = request.body as Form | undefined;
    const open = one(form, 'open');
    if (open !== '0' && open !== '1') throw new AppError('bad_request', 'Say whether comments should be open.');
    await comments.setArticleCommentsOpen(request.account, articleId, open === '1');
    const status = QUEUE_STATES.includes(one(form, 'status') as CommentStatus) ? (one(form, 'status') as CommentStatus) : 'pending';
    return reply.redirect(`${queuePath({ status, articleId })}&done=${open === '1' ? 'opened' : 'closed'}`, 303);
  });
}
