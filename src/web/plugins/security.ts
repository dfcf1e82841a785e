// For every context: security headers on every response, and no request for an address longer than
// MAX_URL_LENGTH. The refusal is an AppError (uri_too_long), so each context's error handler answers it
// in its own format, before the page cache or any route sees the request.
import fp from 'fastify-plugin';
import { AppError } from '../../errors.ts';

export const MAX_URL_LENGTH = 2048;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
};

export const securityPlugin = fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.headers(SECURITY_HEADERS);
      if (request.url.length > MAX_URL_LENGTH) throw new AppError('uri_too_long', `The address is too long: at most ${MAX_URL_LENGTH} characters are accepted.`);
    });
  },
  { name: 'gazette-security' },
);
