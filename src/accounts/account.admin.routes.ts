// The accounts' screens under /admin: sign-in and sign-out, the password links (invitation, reset), the
// dashboard, staff management (admins), the account's own page, and the audit log (admins).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { trusted } from '../lib/html.ts';
import { qrcode } from '../lib/on-demand.ts';
import { AppError } from '../errors.ts';
import * as views from '../web/admin/accounts.ts';
import { idParam } from '../web/admin/params.ts';
import { safeNext, sessionCookieName } from './admin-context.routes.ts';
import * as accounts from './account.service.ts';
import { auditLog } from './audit.service.ts';
import { can } from './permissions.ts';
import { listPeople } from '../people/person.service.ts';
import { groupedSecret, totpUri } from './second-factor.ts';

export interface AccountRoutesOptions {
  deps: accounts.AccountDeps;
  secure: boolean;
}

type Form = Record<string, unknown>;
const text = (form: unknown, name: string): string => {
  const value = (form as Form | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};


const fieldsOf = (error: unknown): Record<string, string> | null =>
  error instanceof AppError && (error.code === 'invalid_input' || error.code === 'conflict') ? { ...error.fields } : null;

export async function accountAdminRoutes(app: FastifyInstance, { deps, secure }: AccountRoutesOptions): Promise<void> {
  const cookieName = sessionCookieName(secure);
  const { store } = deps;

  /** Sets the session cookie and goes on: to `next`, or first to the code page when a second factor is due. */
  function startSession(reply: FastifyReply, session: accounts.NewSession, next: string) {
    reply.setCookie(cookieName, session.value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.floor(deps.rules.sessionMaxMs / 1000) });
    return reply.redirect(session.secondFactor ? `/admin/sign-in/code?next=${encodeURIComponent(next)}` : next, 303);
  }

  // ------------------------------------------------------------------------------------- signed out

  const signedOut = { config: { signedOut: true } };

  app.get<{ Querystring: { next?: string; signed_out?: string } }>('/sign-in', signedOut, async (request, reply) => {
    if (request.account) return reply.redirect(safeNext(request.query.next), 303);
    const info = request.query.signed_out !== undefined ? 'You have signed out.' : undefined;
    return reply.adminPage({
      title: 'Sign in',
      nav: 'none',
      main: views.signInPage({ csrfToken: request.csrfToken, email: '', next: safeNext(request.query.next), fields: {}, ...(info ? { info } : {}) }),
    });
  });

  app.post('/sign-in', signedOut, async (request, reply) => {
    const email = text(request.body, 'email');
    const next = safeNext(text(request.body, 'next'));
    try {
      const session = await accounts.signIn(deps, { email, password: text(request.body, 'password'), ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
      return startSession(reply, session, next);
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'invalid_input' && error.code !== 'rate_limited')) throw error;
      const limited = error.code === 'rate_limited';
      return reply.adminPage({
        title: 'Sign in',
        nav: 'none',
        status: limited ? 429 : 422,
        main: views.signInPage({ csrfToken: request.csrfToken, email, next, fields: limited ? {} : error.fields, message: error.message }),
      });
    }
  });

  app.get<{ Querystring: { next?: string } }>('/sign-in/code', signedOut, async (request, reply) => {
    const value = request.cookies[cookieName];
    if (!value || !(await accounts.pendingSecondFactor(deps, value))) return reply.redirect('/admin/sign-in', 303);
    return reply.adminPage({ title: 'Authentication code', nav: 'none', main: views.secondFactorPage({ csrfToken: request.csrfToken, next: safeNext(request.query.next), fields: {} }) });
  });

  app.post('/sign-in/code', signedOut, async (request, reply) => {
    const value = request.cookies[cookieName] ?? '';
    const next = safeNext(text(request.body, 'next'));
    try {
      await accounts.completeSecondFactor(deps, value, text(request.body, 'code'), request.ip);
      return reply.redirect(next, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') return reply.redirect('/admin/sign-in', 303);
      if (!(error instanceof AppError) || (error.code !== 'invalid_input' && error.code !== 'rate_limited')) throw error;
      const limited = error.code === 'rate_limited';
      return reply.adminPage({
        title: 'Authentication code',
        nav: 'none',
        status: limited ? 429 : 422,
        main: views.secondFactorPage({ csrfToken: request.csrfToken, next, fields: limited ? { code: error.message } : error.fields }),
      });
    }
  });

  app.post('/sign-out', signedOut, async (request, reply) => {
    const value = request.cookies[cookieName];
    if (value) await accounts.signOut(deps, value, request.account ?? null);
    reply.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    return reply.redirect('/admin/sign-in?signed_out=1', 303);
  });

  app.get('/reset', signedOut, async (request, reply) =>
    reply.adminPage({ title: 'Reset your password', nav: 'none', main: views.resetRequestPage({ csrfToken: request.csrfToken, email: '', fields: {}, sent: false }) }),
  );

  app.post('/reset', signedOut, async (request, reply) => {
    const email = text(request.body, 'email');
    try {
      await accounts.requestReset(deps, email);
    } catch (error) {
      const fields = fieldsOf(error);
      if (!fields) throw error;
      return reply.adminPage({ title: 'Reset your password', nav: 'none', status: 422, main: views.resetRequestPage({ csrfToken: request.csrfToken, email, fields, sent: false }) });
    }
    return reply.adminPage({ title: 'Reset your password', nav: 'none', main: views.resetRequestPage({ csrfToken: request.csrfToken, email: '', fields: {}, sent: true }) });
  });

  for (const kind of ['invite', 'reset'] as const) {
    const title = kind === 'invite' ? 'Finish setting up your account' : 'Choose a new password';
    app.get<{ Params: { token: string } }>(`/${kind}/:token`, signedOut, async (request, reply) => {
      const person = await accounts.inspectLink(store, kind, request.params.token);
      if (!person) return reply.adminPage({ title: 'Link expired', nav: 'none', status: 404, main: views.linkGonePage() });
      return reply.adminPage({ title, nav: 'none', main: views.choosePasswordPage({ kind, token: request.params.token, csrfToken: request.csrfToken, ...person, fields: {} }) });
    });

    app.post<{ Params: { token: string } }>(`/${kind}/:token`, signedOut, async (request, reply) => {
      const person = await accounts.inspectLink(store, kind, request.params.token);
      if (!person) return reply.adminPage({ title: 'Link expired', nav: 'none', status: 404, main: views.linkGonePage() });
      const password = text(request.body, 'password');
      const again = (fields: Record<string, string>) =>
        reply.adminPage({ title, nav: 'none', status: 422, main: views.choosePasswordPage({ kind, token: request.params.token, csrfToken: request.csrfToken, ...person, fields }) });
      if (password !== text(request.body, 'confirm')) return again({ confirm: 'The two passwords are not the same.' });
      try {
        const account = await accounts.completeLink(store, kind, request.params.token, password);
        const session = await accounts.signIn(deps, { email: account.email, password, ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
        return startSession(reply, session, '/admin');
      } catch (error) {
        const fields = fieldsOf(error);
        if (!fields) throw error;
        return again(fields);
      }
    });
  }

  // -------------------------------------------------------------------------------------- signed in

  app.get('/', async (request, reply) => {
    const account = request.account;
    const links = [
      { label: 'Articles', path: '/admin/articles', text: 'Write, review, schedule and publish.' },
      { label: 'Media', path: '/admin/media', text: 'Pictures and primary documents: upload, describe, reuse.' },
      ...(can(account, 'comment.moderate') ? [{ label: 'Comments', path: '/admin/comments', text: 'Moderate what readers wrote.' }] : []),
      ...(can(account, 'section.manage') ? [{ label: 'Sections', path: '/admin/sections', text: 'Sections, tags and the navigation.' }] : []),
      ...(can(account, 'user.manage') ? [{ label: 'Staff', path: '/admin/users', text: 'Invite colleagues and choose their roles.' }] : []),
      { label: 'Your account', path: '/admin/account', text: 'Password and where you are signed in.' },
    ];
    return reply.adminPage({ title: 'Dashboard', nav: 'dashboard', main: views.dashboardPage({ name: account.name, role: account.role, pendingComments: null, links }) });
  });

  app.get('/users', async (request, reply) => staffPage(request, reply, {}));

  async function staffPage(request: FastifyRequest, reply: FastifyReply, extra: Partial<views.StaffView>, status = 200) {
    const list = await accounts.listAccounts(store, request.account);
    return reply.adminPage({
      title: 'Staff',
      nav: 'users',
      status,
      main: views.staffPage({ csrfToken: request.csrfToken, accounts: list, invite: { email: '', name: '', role: 'contributor', fields: {} }, ...extra }),
    });
  }

  app.post('/users/invite', async (request, reply) => {
    const input = { email: text(request.body, 'email'), name: text(request.body, 'name'), role: text(request.body, 'role') };
    try {
      const invitation = await accounts.invite(deps, request.account, input);
      return staffPage(request, reply, { created: { name: invitation.account.name, link: invitation.link, mailed: invitation.mailed } });
    } catch (error) {
      const fields = fieldsOf(error);
      if (!fields) throw error;
      return staffPage(request, reply, { invite: { ...input, fields } }, 422);
    }
  });

  async function memberPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: Partial<views.AccountView> = {}, status = 200) {
    const account = await accounts.getAccount(store, request.account, id);
    const people = (await listPeople(store.db)).map((p) => ({ value: String(p.id), label: p.name }));
    return reply.adminPage({
      title: account.name,
      nav: 'users',
      status,
      main: views.staffMemberPage({ csrfToken: request.csrfToken, account, people, isSelf: account.id === request.account.id, fields: {}, ...extra }),
    });
  }

  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    if (!can(request.account, 'user.manage')) throw new AppError('forbidden', 'Only administrators manage staff accounts.');
    return memberPage(request, reply, id);
  });

  app.post<{ Params: { id: string } }>('/users/:id/role', async (request, reply) => {
    const id = idParam(request.params.id);
    try {
      await accounts.changeRole(store, request.account, id, text(request.body, 'role'));
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
      return memberPage(request, reply, id, { fields: { ...error.fields }, error: error.message }, error.code === 'conflict' ? 409 : 422);
    }
    return memberPage(request, reply, id, { message: 'The role has been changed.' });
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post<{ Params: { id: string } }>(`/users/:id/${action}`, async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === request.account.id && action === 'disable') throw new AppError('conflict', 'You cannot disable your own account.');
      try {
        await accounts.setDisabled(store, request.account, id, action === 'disable');
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
        return memberPage(request, reply, id, { error: error.message }, 409);
      }
      return memberPage(request, reply, id, { message: action === 'disable' ? 'The account is disabled and signed out everywhere.' : 'The account can sign in again.' });
    });
  }

  app.post<{ Params: { id: string } }>('/users/:id/byline', async (request, reply) => {
    const id = idParam(request.params.id);
    const raw = text(request.body, 'person');
    const personId = raw === '' ? null : /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
    try {
      // 0 (not an id) is never a person: the service refuses it like an unknown one.
      await accounts.linkByline(store, request.account, id, personId);
    } catch (error) {
      const fields = fieldsOf(error);
      if (!fields) throw error;
      return memberPage(request, reply, id, { fields }, 422);
    }
    return memberPage(request, reply, id, { message: personId === null ? 'This account writes under no byline now.' : 'The byline is linked.' });
  });

  app.post<{ Params: { id: string } }>('/users/:id/reinvite', async (request, reply) => {
    const id = idParam(request.params.id);
    const invitation = await accounts.reinvite(deps, request.account, id);
    return memberPage(request, reply, id, { created: { link: invitation.link, mailed: invitation.mailed } });
  });

  async function ownPage(request: FastifyRequest, reply: FastifyReply, extra: { fields?: Record<string, string>; message?: string } = {}, status = 200) {
    const account = await accounts.getAccount(store, request.account, request.account.id);
    const sessions = await accounts.sessionCount(store, request.account);
    const secondFactor = await accounts.secondFactorState(store, request.account);
    return reply.adminPage({
      title: 'Your account',
      nav: 'account',
      status,
      main: views.ownAccountPage({ csrfToken: request.csrfToken, account, sessions, secondFactor, fields: extra.fields ?? {}, ...(extra.message ? { message: extra.message } : {}) }),
    });
  }

  async function setupPage(request: FastifyRequest, reply: FastifyReply, setup: accounts.SecondFactorSetup, fields: Record<string, string> = {}) {
    const qr = await qrcode().toString(setup.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.adminPage({
      title: 'Two-step sign-in',
      nav: 'account',
      status: Object.keys(fields).length ? 422 : 200,
      // The SVG is made by the qrcode library from our own otpauth URI: no outside text reaches it.
      main: views.secondFactorSetupPage({ csrfToken: request.csrfToken, secret: setup.secret, grouped: groupedSecret(setup.secret), proof: setup.proof, qr: trusted(qr), fields }),
    });
  }

  app.get('/account/two-step', async (request, reply) => setupPage(request, reply, accounts.beginSecondFactor(deps, request.account)));

  app.post('/account/two-step', async (request, reply) => {
    const setup = { secret: text(request.body, 'secret'), proof: text(request.body, 'proof') };
    try {
      const codes = await accounts.confirmSecondFactor(deps, request.account, setup, text(request.body, 'code'));
      return reply.adminPage({ title: 'Recovery codes', nav: 'account', main: views.recoveryCodesPage(codes) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
      return setupPage(request, reply, { ...setup, uri: totpUri(deps.siteName, request.account.email, setup.secret) }, { ...error.fields });
    }
  });

  app.post('/account/two-step/off', async (request, reply) => {
    try {
      await accounts.removeSecondFactor(store, request.account, request.account.id, text(request.body, 'password'));
    } catch (error) {
      const fields = fieldsOf(error);
      if (!fields) throw error;
      return ownPage(request, reply, { fields: { off_password: fields.password ?? 'Not accepted.' } }, 422);
    }
    return ownPage(request, reply, { message: 'Two-step sign-in is off.' });
  });

  app.get<{ Querystring: { changed?: string } }>('/account', async (request, reply) =>
    ownPage(request, reply, request.query.changed !== undefined ? { message: 'Your password has been changed; your other devices are signed out.' } : {}),
  );

  app.post('/account/password', async (request, reply) => {
    const password = text(request.body, 'password');
    if (password !== text(request.body, 'confirm')) return ownPage(request, reply, { fields: { confirm: 'The two passwords are not the same.' } }, 422);
    try {
      await accounts.changeOwnPassword(store, request.account, text(request.body, 'current'), password);
    } catch (error) {
      const fields = fieldsOf(error);
      if (!fields) throw error;
      return ownPage(request, reply, { fields }, 422);
    }
    // The change ended every session, this one too: open a new one here.
    const session = await accounts.signIn(deps, { email: request.account.email, password, ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
    return startSession(reply, session, '/admin/account?changed=1');
  });

  app.post('/account/sign-out-everywhere', async (request, reply) => {
    await accounts.signOutEverywhere(deps, request.account);
    reply.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    return reply.redirect('/admin/sign-in?signed_out=1', 303);
  });

  const auditQuery = z.object({ action: z.string().max(100).optional(), before: z.string().regex(/^[1-9][0-9]{0,15}$/).optional() });

  app.get('/audit', async (request, reply) => {
    if (!can(request.account, 'audit.view')) throw new AppError('forbidden', 'Only administrators see the audit log.');
    const query = auditQuery.safeParse(request.query);
    if (!query.success) throw new AppError('bad_request', 'The filter is not valid.');
    const action = query.data.action?.trim() ?? '';
    const page = await auditLog(store.db, action ? { action } : {}, query.data.before ? Number(query.data.before) : undefined);
    return reply.adminPage({ title: 'Audit log', nav: 'audit', main: views.auditPage({ entries: page.entries, next: page.next, action }) });
  });
}
