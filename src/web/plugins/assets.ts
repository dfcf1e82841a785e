// GET /assets/<file>: the theme's stylesheet and comment-form script (fingerprinted, so cached for a year)
// and icon, with ETags.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../errors.ts';
import type { Assets } from '../assets.ts';
import { sendCached } from './pages.ts';

/**
 * A fingerprinted asset asked for by another build's fingerprint: a temporary redirect to this build's,
 * never stored (once every node runs one build, the old address leads to the new file); otherwise 404.
 */
export function sendRenamed(reply: FastifyReply, renamed: string | undefined): FastifyReply {
  if (!renamed) throw new AppError('not_found', 'There is no such file.');
  return reply.header('cache-control', 'no-store').redirect(renamed, 307);
}

export async function assetRoutes(app: FastifyInstance, { assets }: { assets: Assets }): Promise<void> {
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = assets.get(`/assets/${request.params.file}`);
    if (!asset) return sendRenamed(reply, assets.renamed(`/assets/${request.params.file}`));
    const fingerprinted = asset.path === assets.stylesheetPath || asset.path === assets.commentScriptPath;
    reply.header('cache-control', fingerprinted ? 'public, max-age=31536000, immutable' : 'public, max-age=86400');
    return sendCached(request, reply, asset.body);
  });
}
