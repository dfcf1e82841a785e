// GET /assets/<file>: the theme's stylesheet and comment-form script (fingerprinted, so cached for a year)
// and icon, with ETags.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import type { Assets } from '../assets.ts';
import { sendCached } from './pages.ts';

export async function assetRoutes(app: FastifyInstance, { assets }: { assets: Assets }): Promise<void> {
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = assets.get(`/assets/${request.params.file}`);
    if (!asset) throw new AppError('not_found', 'There is no such file.');
    const fingerprinted = asset.path === assets.stylesheetPath || asset.path === assets.commentScriptPath;
    reply.header('cache-control', fingerprinted ? 'public, max-age=31536000, immutable' : 'public, max-age=86400');
    return sendCached(request, reply, asset.body);
  });
}
