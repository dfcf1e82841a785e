// /api/admin/comments: moderation through the comment service's moderation methods (comment.moderation.ts),
// which check `comment.moderate` and write each move with its audit entry. "Delete" is the service's
// trash, as on screen: a trashed comment can be restored.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import type { AdminApiDeps } from './deps.ts';
import * as s from './schemas.ts';

const TAG = 'Admin: comments';

/** The moderation service names fields as the staff forms do; the API names them as its JSON does. */
const FIELD_NAMES: Readonly<Record<string, string>> = { author_name: 'authorName', author_url: 'authorUrl' };
const apiFieldNames = (fields: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [FIELD_NAMES[k] ?? k, v]));

export async function commentRoutes(parent: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { comments } = deps;

  app.get(
    '/comments',
    {
      schema: {
        tags: [TAG],
        summary: 'The moderation queue in one state (pending unless named), newest first, with the counts of every state',
        querystring: s.commentQueueQuery,
        response: { 200: s.commentQueueSchema, ...s.refusals(404) },
      },
    },
    async (request) => {
      const { status, article, page, perPage } = request.query;
      return comments.moderationQueue(request.account, { status: status ?? 'pending', ...(article ? { articleId: article } : {}), ...(page ? { page } : {}), ...(perPage ? { perPage } : {}) });
    },
  );

  app.get(
    '/comments/:id',
    { schema: { tags: [TAG], summary: 'One comment, with what only staff see', params: s.idParams, response: { 200: s.commentSchema, ...s.refusals(404) } } },
    async (request) => comments.staffComment(request.account, request.params.id),
  );

  app.post(
    '/comments/bulk',
    {
      schema: {
        tags: [TAG],
        summary: 'Move several comments at once (all, or none when one id is unknown)',
        body: s.bulkModeration,
        response: { 200: s.moderationSchema, ...s.refusals(404, 422) },
      },
    },
    async (request) => comments.bulkModerate(request.account, request.body.ids, request.body.action),
  );

  // Before /comments/:id/:action, so that the document (and a client matching paths in order) meets the static path first.
  app.post(
    '/comments/:id/replies',
    {
      schema: {
        tags: [TAG],
        summary: 'Reply as staff (published at once; a held parent is approved with it)',
        params: s.idParams,
        body: s.commentReply,
        response: { 201: s.replySchema, ...s.refusals(404, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await comments.replyAsStaff(request.account, request.params.id, request.body.body)),
  );

  app.post(
    '/comments/:id/:action',
    {
      schema: {
        tags: [TAG],
        summary: 'Approve, unapprove, mark as spam, trash (delete) or restore one comment',
        description: 'Approving publishes it on its article on the next request and sends the reply notice its parent asked for.',
        params: s.moderationParams,
        response: { 200: s.moderationSchema, ...s.refusals(404) },
      },
    },
    async (request) => comments.bulkModerate(request.account, [request.params.id], request.params.action),
  );

  app.put(
    '/comments/articles/:articleId/open',
    {
      schema: {
        tags: [TAG],
        summary: 'Open or close an article to new comments',
        params: s.commentsOpenParams,
        body: s.commentsOpenBody,
        response: { 200: s.commentsOpenSchema, ...s.refusals(404, 422) },
      },
    },
    async (request) => comments.setArticleCommentsOpen(request.account, request.params.articleId, request.body.open),
  );

  app.patch(
    '/comments/:id',
    {
      schema: {
        tags: [TAG],
        summary: "Correct a comment's text, name or website (under the rules readers' comments meet)",
        params: s.idParams,
        body: s.commentEdit,
        response: { 200: s.commentSchema, ...s.refusals(404, 422) },
      },
    },
    async (request) => {
      const current = await comments.staffComment(request.account, request.params.id);
      const { body, authorName, authorUrl } = request.body;
      const fields = { body: body ?? current.body, authorName: authorName ?? current.authorName, authorUrl: authorUrl ?? current.authorUrl ?? '' };
      return comments.editComment(request.account, request.params.id, fields).catch((error: unknown) => {
        throw error instanceof AppError ? new AppError(error.code, error.message, apiFieldNames(error.fields)) : error;
      });
    },
  );

}
