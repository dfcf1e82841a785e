// For every context: security headers on every response, and no request for an address longer than
// MAX_URL_LENGTH. The refusal is an AppError (uri_too_long), so each context's error handler answers it
// in its own format, before the page cache or any route sees the request.
//
// The headers are helmet's (decision 0015), worked out once at start from the options below: they are
// the same for every response, so no response pays for building them. Responses that Fastify or Node
// answer before any hook runs (a malformed address, a stalled or malformed request) take the same set
// from securityHeaders(); see web/plugins/errors.ts.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from '../../errors.ts';

/** The longest address (path and query) served; a longer one is 414. The one rule: the router allows a path segment as long. */
export const MAX_URL_LENGTH = 2048;

/** Browser features no Gazette page uses, turned off for the page and anything it embeds. */
const PERMISSIONS_POLICY = [
  'accelerometer', 'autoplay', 'browsing-topics', 'camera', 'display-capture', 'encrypted-media', 'fullscreen',
  'geolocation', 'gyroscope', 'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi', 'payment',
  'picture-in-picture', 'publickey-credentials-get', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
].map((feature) => `${feature}=()`).join(', ');

/** helmet's settings: its defaults, but the content policy Gazette has always sent and the choices of decision 0015. */
function helmetOptions(https: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Only a site served over https may ask browsers to insist on it; the operator decides on subdomains.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  };
}

/** The security headers of every response (lower-case names), for a site whose public URL is https or not. */
export function securityHeaders(https: boolean): Readonly<Record<string, string>> {
  // helmet is a middleware that sets headers on a response: run it once on a response that is never sent.
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(helmetOptions(https))(response.req, response, () => {});
  const headers: Record<string, string> = { 'permissions-policy': PERMISSIONS_POLICY };
  for (const [name, value] of Object.entries(response.getHeaders())) headers[name] = String(value);
  return Object.freeze(headers);
}

export interface SecurityOptions {
  /** From securityHeaders(). */
  headers: Readonly<Record<string, string>>;
}

export const securityPlugin = fp<SecurityOptions>(
  async (app, { headers }) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.headers(headers);
      if (request.url.length > MAX_URL_LENGTH) throw new AppError('uri_too_long', `The address is too long: at most ${MAX_URL_LENGTH} characters are accepted.`);
    });
  },
  { name: 'gazette-security' },
);
