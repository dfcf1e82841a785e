// The hooks of the /admin context (decision 0019), registered once inside it: who is signed in (the session
// cookie, looked up in the database), the CSRF defence every state-changing request passes (same-origin
// Origin / Sec-Fetch-Site, and the session's token as the `_csrf` field or `x-csrf-token` header), the
// redirect to sign in, reply.adminPage() that frames a page with the navigation this account may use, and
// the context's own error pages. Public pages never see any of it: the cookie is read only here.
import type {} from '@fastify/cookie';
import type {} from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS } from '../errors.ts';
import type { AdminAssets } from '../web/admin/assets.ts';
import { adminErrorPage } from '../web/admin/accounts.ts';
import { sendRenamed } from '../web/plugins/assets.ts';
import { sendCached } from '../web/plugins/pages.ts';
import { sameOrigin, sessionCookieName } from '../web/plugins/staff-session.ts';
import { adminLayout, type AdminChrome, type AdminNavItem, type AdminPageContent } from '../web/admin/layout.ts';
import { formToken, newFormCookie, resolveSession, sameToken, type AccountDeps } from './account.service.ts';
import { can, type Account, type Action } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff account; set on every /admin route except the signed-out ones. */
    account: Account;
    /** The token state-changing requests must send back (`_csrf` field or `x-csrf-token` header). */
    csrfToken: string;
    /**
     * For a multipart upload (whose fields the context cannot read before the route streams them): throws
     * 403 unless the `_csrf` field, read by the route before any file, is the session's token.
     */
    verifyCsrf(token: unknown): void;
  }
  interface FastifyReply {
    /** Sends an admin page (never cached) framed with the navigation the signed-in account may use. */
    adminPage(page: AdminPageContent & { status?: number }): Promise<FastifyReply>;
  }
  interface FastifyInstance {
    /** Every route of the /admin context (filled in as routes register). */
    adminRoutes: readonly AdminRoute[];
  }
  interface FastifyContextConfig {
    /** An /admin route that answers without a session (sign-in, password links, assets). */
    signedOut?: boolean;
    /** An /admin route that takes multipart uploads; it calls request.verifyCsrf() with the first field. */
    upload?: boolean;
  }
}

/** A route of the /admin context, as registered (tests walk them all for the signed-out rules). */
export interface AdminRoute {
  method: string;
  url: string;
  signedOut: boolean;
}

export interface AdminContextOptions {
  deps: AccountDeps;
  assets: AdminAssets;
  /** Comments waiting for moderation, shown beside "Comments" for those who moderate. */
  pendingComments(): Promise<number>;
  /** https sites use the `__Host-` cookie prefix and `Secure`. */
  secure: boolean;
  /** Filled in with every route the context registers (the app shows it as app.adminRoutes). */
  routes: AdminRoute[];
}

export { sessionCookieName };
/** The cookie that keys signed-out forms' tokens (sign-in, password links). */
export const FORM_COOKIE = 'gazette_form';

const NAV: readonly (Omit<AdminNavItem, 'badge'> & { needs: Action })[] = [
  { key: 'dashboard', label: 'Dashboard', path: '/admin', needs: 'article.create' },
  { key: 'articles', label: 'Articles', path: '/admin/articles', needs: 'article.create' },
  { key: 'media', label: 'Media', path: '/admin/media', needs: 'article.create' },
  { key: 'documents', label: 'Documents', path: '/admin/documents', needs: 'article.create' },
  { key: 'comments', label: 'Comments', path: '/admin/comments', needs: 'comment.moderate' },
  { key: 'sections', label: 'Sections', path: '/admin/sections', needs: 'section.manage' },
  { key: 'tags', label: 'Tags', path: '/admin/tags', needs: 'section.manage' },
  { key: 'pages', label: 'Pages', path: '/admin/pages', needs: 'page.manage' },
  { key: 'people', label: 'Authors', path: '/admin/people', needs: 'person.manage' },
  { key: 'users', label: 'Staff', path: '/admin/users', needs: 'user.manage' },
  { key: 'tokens', label: 'API tokens', path: '/admin/tokens', needs: 'user.manage' },
  { key: 'settings', label: 'Settings', path: '/admin/settings', needs: 'settings.manage' },
  { key: 'webhooks', label: 'Webhooks', path: '/admin/webhooks', needs: 'settings.manage' },
  { key: 'audit', label: 'Audit log', path: '/admin/audit', needs: 'audit.view' },
];

/** The navigation the account may use; routes a capability has not registered yet are left out. */
function navFor(account: Account, registered: (path: string) => boolean, pending: number): AdminNavItem[] {
  return NAV.filter((item) => can(account, item.needs) && registered(item.path)).map(({ needs: _needs, ...item }) =>
    item.key === 'comments' ? { ...item, badge: pending } : item,
  );
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const refused = () => new AppError('forbidden', 'This form has expired or did not come from this site. Go back, reload the page and try again.');

function sentToken(request: FastifyRequest): unknown {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' ? body._csrf : undefined;
}

const wantsJson = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
};

/** Where to go after signing in: only a path inside /admin (never another site). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?#]|$)/.test(next) && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';
}

export const adminContext = fp<AdminContextOptions>(
  async (app, { deps, assets, pendingComments, secure, routes }) => {
    const cookieName = sessionCookieName(secure);
    const registered = new Set<string>();
    app.addHook('onRoute', (route) => {
      const methods = ([] as string[]).concat(route.method);
      if (methods.includes('GET')) registered.add(route.url.replace(/\/$/, '') || '/admin');
      for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, signedOut: route.config?.signedOut === true });
    });


    app.decorateRequest('account', null as unknown as Account);
    app.decorateRequest('csrfToken', '');
    app.decorateRequest('verifyCsrf', function (this: FastifyRequest, token: unknown) {
      if (!sameToken(this.csrfToken, token)) throw refused();
    });

    async function chromeFor(request: FastifyRequest): Promise<AdminChrome> {
      const account = request.account ?? null;
      const pending = account && can(account, 'comment.moderate') ? await pendingComments() : 0;
      return {
        siteName: deps.siteName,
        publicUrl: deps.publicUrl,
        stylesheet: assets.path('admin.css'),
        script: assets.path('admin.js'),
        account: account ? { name: account.name, email: account.email, role: account.role } : null,
        csrfToken: request.csrfToken,
        nav: account ? navFor(account, (p) => registered.has(p), pending) : [],
      };
    }

    app.decorateReply('adminPage', async function (this: FastifyReply, page: AdminPageContent & { status?: number }) {
      const chrome = await chromeFor(this.request);
      return this.code(page.status ?? 200)
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .type('text/html; charset=utf-8')
        .send(adminLayout(chrome, page));
    });

    app.addHook('onRequest', async (request, reply) => {
      const value = request.cookies[cookieName];
      const session = value ? await resolveSession(deps, value) : null;
      if (session) {
        request.account = session.account;
        request.csrfToken = session.csrfToken;
        return;
      }
      // Signed out: forms carry a token tied to this browser's form cookie (login CSRF).
      let formCookie = request.cookies[FORM_COOKIE];
      if (!formCookie || !/^[A-Za-z0-9_-]{43}$/.test(formCookie)) {
        formCookie = newFormCookie();
        reply.setCookie(FORM_COOKIE, formCookie, { path: '/admin', httpOnly: true, sameSite: 'strict', secure });
      }
      request.csrfToken = formToken(deps.secret, formCookie);
      if (request.routeOptions.config.signedOut) return;
      if ((request.method === 'GET' || request.method === 'HEAD') && !wantsJson(request)) {
        const next = request.url === '/admin' || request.url === '/admin/' ? '' : `?next=${encodeURIComponent(request.url)}`;
        return reply.redirect(`/admin/sign-in${next}`, 303);
      }
      throw new AppError('unauthorized', value ? 'Your session has ended. Sign in again.' : 'Sign in to continue.');
    });

    app.addHook('preHandler', async (request) => {
      if (!UNSAFE.has(request.method)) return;
      if (!sameOrigin(request, deps.publicUrl)) throw refused();
      // A multipart upload's token is a field the route reads first (request.verifyCsrf) before any file.
      if (request.isMultipart()) {
        if (!request.routeOptions.config.upload) throw new AppError('unsupported_media_type', 'This form does not take files.');
        if (request.headers['x-csrf-token'] === undefined) return;
      }
      if (!sameToken(request.csrfToken, sentToken(request))) throw refused();
    });

    app.setErrorHandler(async (error, request, reply) => {
      let status: number;
      let message: string;
      let fields: Readonly<Record<string, string>> = {};
      if (error instanceof AppError) {
        status = HTTP_STATUS[error.code];
        message = error.message;
        fields = error.fields;
      } else if (deps.store.isUnavailable(error)) {
        status = 503;
        message = 'The database cannot be reached just now. Your work is not lost if it was saved; try again in a moment.';
        reply.header('retry-after', '5');
      } else if (deps.store.isUniqueViolation(error)) {
        status = 409;
        message = 'Someone else made the same change at the same moment. Reload the page and try again.';
      } else {
        const code = (error as { statusCode?: unknown }).statusCode;
        status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
        message = status === 500 ? 'The page could not be produced. The error has been logged.' : 'This request was not accepted.';
        if (status === 500) request.log.error({ err: error, url: request.url.split('?')[0] }, 'admin request failed');
      }
      if (wantsJson(request)) return reply.code(status).header('cache-control', 'no-store').send({ error: { status, message, fields } });
      return reply.adminPage({ title: status === 404 ? 'Not found' : 'Problem', nav: 'none', main: adminErrorPage(status, message), status });
    });

    app.setNotFoundHandler(async (request, reply) => {
      if (!request.account) return reply.redirect('/admin/sign-in', 303);
      return reply.adminPage({ title: 'Not found', nav: 'none', main: adminErrorPage(404, 'There is no such page in the newsroom.'), status: 404 });
    });

    app.get<{ Params: { file: string } }>('/assets/:file', { config: { signedOut: true } }, async (request, reply) => {
      const asset = assets.get(`/admin/assets/${request.params.file}`);
      if (!asset) return sendRenamed(reply, assets.renamed(`/admin/assets/${request.params.file}`));
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      return sendCached(request, reply, asset.body);
    });
  },
  { name: 'gazette-admin-context', dependencies: ['@fastify/cookie'] },
);
