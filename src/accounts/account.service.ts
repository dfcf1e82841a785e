// Staff accounts (decision 0019): creating and inviting them, roles, passwords, sign-in with its rate
// limit, sessions kept in the database with idle and absolute expiry, single-use links for invitations
// and password resets, and "sign out everywhere". Routes and the CLI call these; none imports Fastify.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { sha256Hex } from '../lib/hash.ts';
import type { Db, Store } from '../db/store.ts';
import type { Role } from '../db/schema.ts';
import * as repo from './account.repository.ts';
import { recordAudit } from './audit.service.ts';
import { getPersonById } from '../people/person.service.ts';
import { decoyHash, hashPassword, passwordMatches, passwordProblem } from './passwords.ts';
import { ROLES, ensureCan, type Account } from './permissions.ts';
import { acceptedStep, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryDigest, secretProof, totpUri } from './second-factor.ts';

export type { Account, Role };

/** How long sessions and links last, and how many failed sign-ins are allowed. */
export interface AccountRules {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, used or not. */
  sessionMaxMs: number;
  inviteMs: number;
  resetMs: number;
  /** Failed sign-ins allowed per account, and per address, within the window. */
  failuresPerAccount: number;
  failuresPerAddress: number;
  failureWindowMs: number;
}

export const DEFAULT_RULES: AccountRules = {
  sessionIdleMs: 12 * 3600_000,
  sessionMaxMs: 14 * 24 * 3600_000,
  inviteMs: 48 * 3600_000,
  resetMs: 3600_000,
  failuresPerAccount: 5,
  failuresPerAddress: 20,
  failureWindowMs: 15 * 60_000,
};

/** Sends the few messages accounts need (invitations, reset links); null when the site has no mail. */
export interface AccountMailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export interface AccountDeps {
  store: Store;
  rules: AccountRules;
  mailer: AccountMailer | null;
  /** Where links in messages point, e.g. https://news.example. */
  publicUrl: string;
  siteName: string;
  /** Key for the tokens of signed-out forms. */
  secret: string;
}

export interface AccountSummary extends Account {
  disabled: boolean;
  /** Invited and has not chosen a password yet. */
  invited: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

const randomToken = () => randomBytes(32).toString('base64url');
const iso = (ms: number) => new Date(ms).toISOString();

const emailField = z
  .string()
  .trim()
  .max(254, 'Use at most 254 characters.')
  .regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'Enter an email address such as name@example.com.');
const nameField = z.string().trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.');
const roleField = z.enum(ROLES as [Role, ...Role[]], { error: `Choose one of ${ROLES.join(', ')}.` });

/** Turns zod's issues into one message per field. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? 'form');
    fields[name] ??= issue.message;
  }
  return fields;
}

function invalid(fields: Record<string, string>): AppError {
  return new AppError('invalid_input', 'Some fields need attention.', fields);
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(fieldErrors(result.error));
  return result.data;
}

const toAccount = (u: { id: number; email: string; name: string; role: Role; person_id: number | null }): Account => ({
  id: Number(u.id),
  email: u.email,
  name: u.name,
  role: u.role,
  personId: u.person_id,
});

function toSummary(u: repo.UserRow): AccountSummary {
  return { ...toAccount(u), disabled: u.disabled === 1, invited: u.password_hash === '', createdAt: u.created_at, lastSignInAt: u.last_sign_in_at };
}

/** The key for signed-out forms' tokens: SECRET_KEY when set, otherwise one generated once and kept. */
export async function accountSecret(db: Db, configured: string | null): Promise<string> {
  if (configured) return configured;
  const name = 'accounts.secret';
  const existing = await repo.siteStateValue(db, name);
  if (existing) return existing;
  await repo.keepSiteStateValue(db, name, randomBytes(32).toString('base64url'));
  return (await repo.siteStateValue(db, name))!;
}

// ---------------------------------------------------------------------------------------------- accounts

export const newAccountInput = z.object({ email: emailField, name: nameField, role: roleField, password: z.string().optional() });
export type NewAccountInput = { email: string; name: string; role: string; password?: string };

async function ensureEmailFree(db: Db, email: string): Promise<void> {
  if (await repo.userByEmail(db, email.toLowerCase())) throw invalid({ email: 'An account with this email address exists already.' });
}

/**
 * Creates an account with a password. `actor` is null only for the command line, which is how a site
 * gets its first administrator.
 */
export async function createAccount(store: Store, actor: Account | null, input: NewAccountInput, now = new Date()): Promise<Account> {
  if (actor) ensureCan(actor, 'user.manage');
  const data = parse(newAccountInput, input);
  const problem = passwordProblem(data.password ?? '', data);
  if (problem) throw invalid({ password: problem });
  const passwordHash = await hashPassword(data.password!);
  const id = await store.writeTransaction(async (trx) => {
    await ensureEmailFree(trx, data.email);
    const id = await repo.insertUser(trx, { email: data.email, name: data.name, role: data.role, passwordHash, personId: null, now: now.toISOString() });
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'user.create', subject: `user:${id}`, details: { role: data.role, via: actor ? 'admin' : 'command line' } }, now);
    return id;
  });
  return { id, email: data.email, name: data.name, role: data.role, personId: null };
}

/** Whether the site has any staff account yet (the server says how to make the first). */
export async function hasAccounts(store: Store): Promise<boolean> {
  return (await repo.countUsers(store.db)) > 0;
}

export async function listAccounts(store: Store, actor: Account): Promise<AccountSummary[]> {
  ensureCan(actor, 'user.manage');
  return (await repo.allUsers(store.db)).map(toSummary);
}

/** Every account, for the command line (which runs with the operator's own authority). */
export async function listAccountsForOperator(store: Store): Promise<AccountSummary[]> {
  return (await repo.allUsers(store.db)).map(toSummary);
}

export async function findAccountByEmail(store: Store, email: string): Promise<AccountSummary | null> {
  const row = await repo.userByEmail(store.db, email.trim().toLowerCase());
  return row ? toSummary(row) : null;
}

/** The names of staff accounts by id (who holds a lock, saved a revision, wrote a note); unknown ids are left out. */
export async function staffNames(store: Store, ids: Iterable<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const id of new Set(ids)) {
    const row = await repo.userById(store.db, id);
    if (row) out.set(id, row.name);
  }
  return out;
}

export async function getAccount(store: Store, actor: Account, id: number): Promise<AccountSummary> {
  if (actor.id !== id) ensureCan(actor, 'user.manage');
  const row = await repo.userById(store.db, id);
  if (!row) throw new AppError('not_found', 'No such account.');
  return toSummary(row);
}

async function userOrNotFound(db: Db, id: number): Promise<repo.UserRow> {
  const row = await repo.userById(db, id);
  if (!row) throw new AppError('not_found', 'No such account.');
  return row;
}

/** Refuses a change that would leave the site with no administrator who can sign in. */
async function keepAnAdmin(db: Db, target: repo.UserRow, after: { role: Role; disabled: boolean }): Promise<void> {
  const wasActiveAdmin = target.role === 'admin' && target.disabled === 0 && target.password_hash !== '';
  const staysActiveAdmin = after.role === 'admin' && !after.disabled;
  if (wasActiveAdmin && !staysActiveAdmin && (await repo.countActiveAdmins(db)) <= 1) {
    throw new AppError('conflict', 'This is the only administrator: make another account an administrator first.', after.disabled ? {} : { role: 'The site needs at least one administrator.' });
  }
}

/** Changes an account's role; `actor` null is the command line. */
export async function changeRole(store: Store, actor: Account | null, id: number, role: string, now = new Date()): Promise<void> {
  if (actor) ensureCan(actor, 'user.manage');
  const next = parse(z.object({ role: roleField }), { role }).role;
  await store.writeTransaction(async (trx) => {
    const target = await userOrNotFound(trx, id);
    if (target.role === next) return;
    await keepAnAdmin(trx, target, { role: next, disabled: target.disabled === 1 });
    await repo.updateUser(trx, id, { role: next, updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'user.role', subject: `user:${id}`, details: { from: target.role, to: next } }, now);
  });
}

/** Disables (or enables again) an account; disabling ends its sessions at once. */
export async function setDisabled(store: Store, actor: Account | null, id: number, disabled: boolean, now = new Date()): Promise<void> {
  if (actor) ensureCan(actor, 'user.manage');
  await store.writeTransaction(async (trx) => {
    const target = await userOrNotFound(trx, id);
    if ((target.disabled === 1) === disabled) return;
    if (disabled) await keepAnAdmin(trx, target, { role: target.role, disabled: true });
    await repo.updateUser(trx, id, { disabled: disabled ? 1 : 0, updated_at: now.toISOString() });
    if (disabled) await repo.bumpSessionGeneration(trx, id, now.toISOString());
    await recordAudit(trx, { actorId: actor?.id ?? null, action: disabled ? 'user.disable' : 'user.enable', subject: `user:${id}` }, now);
  });
}

/** Sets a new password (the command line's reset, or the account's own change); ends other sessions. */
export async function setPassword(store: Store, actor: Account | null, id: number, password: string, now = new Date()): Promise<void> {
  if (actor && actor.id !== id) ensureCan(actor, 'user.manage');
  const target = await userOrNotFound(store.db, id);
  const problem = passwordProblem(password, target);
  if (problem) throw invalid({ password: problem });
  const passwordHash = await hashPassword(password);
  await store.writeTransaction(async (trx) => {
    await repo.updateUser(trx, id, { password_hash: passwordHash, updated_at: now.toISOString() });
    await repo.bumpSessionGeneration(trx, id, now.toISOString());
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'user.password', subject: `user:${id}`, details: { via: actor ? 'admin' : 'command line' } }, now);
  });
}

/** The account's own password change: the current password first. Ends its other sessions. */
export async function changeOwnPassword(store: Store, actor: Account, current: string, password: string, now = new Date()): Promise<void> {
  const user = await userOrNotFound(store.db, actor.id);
  if (!(await passwordMatches(user.password_hash, current))) throw invalid({ current: 'This is not your current password.' });
  await setPassword(store, actor, actor.id, password, now);
}

/** How many sessions the account has open. */
export async function sessionCount(store: Store, actor: Account): Promise<number> {
  return (await repo.sessionsOf(store.db, actor.id)).length;
}

export async function renameAccount(store: Store, actor: Account, id: number, name: string, now = new Date()): Promise<void> {
  if (actor.id !== id) ensureCan(actor, 'user.manage');
  const next = parse(z.object({ name: nameField }), { name }).name;
  await store.writeTransaction(async (trx) => {
    await userOrNotFound(trx, id);
    await repo.updateUser(trx, id, { name: next, updated_at: now.toISOString() });
  });
}

const personExists = (db: Db, id: number) => getPersonById(db, id).then(() => true, (error: unknown) => (error instanceof AppError && error.code === 'not_found' ? false : Promise.reject(error)));

/** Links the account to the byline it writes as (a people row, found by the people capability). */
export async function linkByline(store: Store, actor: Account, id: number, personId: number | null, now = new Date()): Promise<void> {
  ensureCan(actor, 'user.manage');
  await store.writeTransaction(async (trx) => {
    await userOrNotFound(trx, id);
    if (personId !== null && !(await personExists(trx, personId))) throw invalid({ person: 'Choose one of the authors listed.' });
    await repo.updateUser(trx, id, { person_id: personId, updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor.id, action: 'user.byline', subject: `user:${id}`, details: { personId } }, now);
  });
}

// ------------------------------------------------------------------------------------- single-use links

function linkFor(deps: AccountDeps, kind: 'invite' | 'reset', token: string): string {
  return `${deps.publicUrl}/admin/${kind === 'invite' ? 'invite' : 'reset'}/${token}`;
}

async function issueToken(trx: Db, deps: AccountDeps, kind: 'invite' | 'reset', userId: number, createdBy: number | null, now: Date): Promise<string> {
  const token = randomToken();
  await repo.retireTokens(trx, userId, kind, now.toISOString());
  const lifetime = kind === 'invite' ? deps.rules.inviteMs : deps.rules.resetMs;
  await repo.insertToken(trx, { tokenHash: sha256Hex(token), kind, userId, createdBy, now: now.toISOString(), expiresAt: iso(now.getTime() + lifetime) });
  return token;
}

export interface Invitation {
  account: Account;
  /** The link to give the person; shown once to the admin when the site sends no mail. */
  link: string;
  mailed: boolean;
}

export const invitationInput = z.object({ email: emailField, name: nameField, role: roleField });

/** Creates an account without a password and a single-use link (48 h) with which its person chooses one. */
export async function invite(deps: AccountDeps, actor: Account, input: { email: string; name: string; role: string }, now = new Date()): Promise<Invitation> {
  ensureCan(actor, 'user.manage');
  const data = parse(invitationInput, input);
  const { id, token } = await deps.store.writeTransaction(async (trx) => {
    await ensureEmailFree(trx, data.email);
    const id = await repo.insertUser(trx, { email: data.email, name: data.name, role: data.role, passwordHash: '', personId: null, now: now.toISOString() });
    const token = await issueToken(trx, deps, 'invite', id, actor.id, now);
    await recordAudit(trx, { actorId: actor.id, action: 'user.invite', subject: `user:${id}`, details: { role: data.role } }, now);
    return { id, token };
  });
  const link = linkFor(deps, 'invite', token);
  const mailed = await mail(deps, data.email, `You are invited to ${deps.siteName}`, [
    `${actor.name} invited you to work on ${deps.siteName} as ${data.role === 'admin' ? 'an administrator' : `an ${data.role}`.replace(/^an (c)/, 'a $1')}.`,
    '',
    'Choose your password here (the link works once, for 48 hours):',
    link,
  ]);
  return { account: { id, email: data.email, name: data.name, role: data.role, personId: null }, link, mailed };
}

/** A new invitation link for an invited account that has not chosen a password yet. */
export async function reinvite(deps: AccountDeps, actor: Account, id: number, now = new Date()): Promise<Invitation> {
  ensureCan(actor, 'user.manage');
  const { user, token } = await deps.store.writeTransaction(async (trx) => {
    const user = await userOrNotFound(trx, id);
    if (user.password_hash !== '') throw new AppError('conflict', 'This person has chosen a password already; send a password reset instead.');
    const token = await issueToken(trx, deps, 'invite', id, actor.id, now);
    await recordAudit(trx, { actorId: actor.id, action: 'user.invite', subject: `user:${id}`, details: { again: true } }, now);
    return { user, token };
  });
  const link = linkFor(deps, 'invite', token);
  const mailed = await mail(deps, user.email, `Your invitation to ${deps.siteName}`, ['Choose your password here (the link works once, for 48 hours):', link]);
  return { account: toAccount(user), link, mailed };
}

async function mail(deps: AccountDeps, to: string, subject: string, lines: string[]): Promise<boolean> {
  if (!deps.mailer) return false;
  await deps.mailer.send({ to, subject, text: lines.join('\n') });
  return true;
}

/** What a link's form shows (whose link it is), or null when it is unknown, used or expired. */
export async function inspectLink(store: Store, kind: 'invite' | 'reset', token: string, now = new Date()): Promise<{ email: string; name: string } | null> {
  const row = await repo.tokenByHash(store.db, sha256Hex(token));
  if (!row || row.kind !== kind || row.used_at !== null || row.expires_at <= now.toISOString()) return null;
  const user = await repo.userById(store.db, row.user_id);
  if (!user || user.disabled === 1) return null;
  return { email: user.email, name: user.name };
}

const LINK_GONE = 'This link has expired or has been used already. Ask for a new one.';

/** Uses a link once: sets the password it was sent for, and returns the account. */
export async function completeLink(store: Store, kind: 'invite' | 'reset', token: string, password: string, now = new Date()): Promise<Account> {
  const user = await inspectLink(store, kind, token, now);
  if (!user) throw new AppError('not_found', LINK_GONE);
  const problem = passwordProblem(password, user);
  if (problem) throw invalid({ password: problem });
  const passwordHash = await hashPassword(password);
  return store.writeTransaction(async (trx) => {
    const row = await repo.tokenByHash(trx, sha256Hex(token));
    if (!row || !(await repo.useToken(trx, row.token_hash, now.toISOString()))) throw new AppError('not_found', LINK_GONE);
    await repo.updateUser(trx, row.user_id, { password_hash: passwordHash, updated_at: now.toISOString() });
    await repo.bumpSessionGeneration(trx, row.user_id, now.toISOString());
    await recordAudit(trx, { actorId: row.user_id, action: kind === 'invite' ? 'user.accept_invite' : 'user.reset_password', subject: `user:${row.user_id}` }, now);
    return toAccount(await userOrNotFound(trx, row.user_id));
  });
}

/**
 * Sends a reset link when the address belongs to an active account with a password; answers the same
 * either way (the form never tells whether an address has an account).
 */
export async function requestReset(deps: AccountDeps, email: string, now = new Date()): Promise<void> {
  const parsed = emailField.safeParse(email);
  if (!parsed.success) throw invalid({ email: parsed.error.issues[0]!.message });
  const user = await repo.userByEmail(deps.store.db, parsed.data.toLowerCase());
  if (!user || user.disabled === 1 || user.password_hash === '') return;
  const token = await deps.store.writeTransaction(async (trx) => {
    const token = await issueToken(trx, deps, 'reset', user.id, null, now);
    await recordAudit(trx, { actorId: user.id, action: 'user.request_reset', subject: `user:${user.id}` }, now);
    return token;
  });
  await mail(deps, user.email, `Reset your ${deps.siteName} password`, [
    'Someone (we hope you) asked to reset the password of your account.',
    'Choose a new one here (the link works once, for one hour):',
    linkFor(deps, 'reset', token),
    '',
    'If it was not you, ignore this message: your password stays as it is.',
  ]);
}

// -------------------------------------------------------------------------------------------- sign-in

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string;
  userAgent: string;
}

export interface NewSession {
  /** The cookie's value; only its digest is stored. */
  value: string;
  account: Account;
  expiresAt: string;
  /** The password was right and the account uses a second factor: the session waits for a code. */
  secondFactor: boolean;
}

const WRONG = 'The email address or password is not right.';

async function ensureNotLimited(deps: AccountDeps, subjects: { account: string; address: string }, now: Date): Promise<void> {
  const since = iso(now.getTime() - deps.rules.failureWindowMs);
  const [account, address] = await Promise.all([repo.failuresSince(deps.store.db, subjects.account, since), repo.failuresSince(deps.store.db, subjects.address, since)]);
  const over = account.count >= deps.rules.failuresPerAccount ? account : address.count >= deps.rules.failuresPerAddress ? address : null;
  if (!over) return;
  const wait = Math.max(1, Math.ceil((Date.parse(over.oldest!) + deps.rules.failureWindowMs - now.getTime()) / 60_000));
  throw new AppError('rate_limited', `Too many failed sign-ins. Try again in ${wait} minute${wait === 1 ? '' : 's'}, or reset your password.`);
}

/** Checks the password (with the per-account and per-address limits) and opens a session. */
export async function signIn(deps: AccountDeps, attempt: SignInAttempt, now = new Date()): Promise<NewSession> {
  const email = attempt.email.trim().toLowerCase();
  if (!email || !attempt.password) throw invalid({ ...(email ? {} : { email: 'Enter your email address.' }), ...(attempt.password ? {} : { password: 'Enter your password.' }) });
  const subjects = { account: `account:${email}`, address: `address:${attempt.ip}` };
  await ensureNotLimited(deps, subjects, now);
  const user = await repo.userByEmail(deps.store.db, email);
  const matches = await passwordMatches(user?.password_hash || (await decoyHash()), attempt.password);
  if (!user || !matches || user.disabled === 1) {
    await deps.store.writeTransaction(async (trx) => {
      await repo.recordFailure(trx, subjects.account, now.toISOString());
      await repo.recordFailure(trx, subjects.address, now.toISOString());
      if (user) await recordAudit(trx, { actorId: user.id, action: 'user.sign_in_failed', subject: `user:${user.id}`, details: { ip: attempt.ip } }, now);
    });
    throw new AppError('invalid_input', user?.disabled === 1 && matches ? 'This account is disabled. Ask an administrator.' : WRONG, { password: WRONG });
  }
  return deps.store.writeTransaction(async (trx) => {
    if (user.totp_secret) {
      // The password alone opens nothing: the session waits for the code (resolveSession refuses it).
      const session = await openSession(trx, deps, user, attempt, now, { pendingSecondFactor: true });
      return { ...session, secondFactor: true };
    }
    await repo.clearFailures(trx, subjects.account);
    const session = await openSession(trx, deps, user, attempt, now);
    await repo.updateUser(trx, user.id, { last_sign_in_at: now.toISOString(), updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: user.id, action: 'user.sign_in', subject: `user:${user.id}`, details: { ip: attempt.ip } }, now);
    return session;
  });
}

/** How long a password-checked session may wait for its second factor. */
const SECOND_FACTOR_WAIT_MS = 10 * 60_000;

/** The account whose session waits for its second factor, or null. */
export async function pendingSecondFactor(deps: AccountDeps, value: string, now = new Date()): Promise<Account | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const row = await repo.sessionWithUser(deps.store.db, sha256Hex(value));
  if (!row || row.pending_second_factor !== 1 || row.disabled === 1 || !row.totp_secret) return null;
  if (now.getTime() - Date.parse(row.created_at) > SECOND_FACTOR_WAIT_MS) return null;
  return toAccount({ id: row.user_id, email: row.email, name: row.name, role: row.role, person_id: row.person_id });
}

const WRONG_CODE = 'This code is not right. Use the current code from your app, or one of your recovery codes.';

/**
 * Completes a sign-in with a code from the authenticator app or an unused recovery code (which is then
 * used up). Wrong codes count toward the account's sign-in limit.
 */
export async function completeSecondFactor(deps: AccountDeps, value: string, code: string, ip: string, now = new Date()): Promise<Account> {
  const waiting = await pendingSecondFactor(deps, value, now);
  if (!waiting) throw new AppError('unauthorized', 'This sign-in has expired. Sign in again.');
  const subjects = { account: `account:${waiting.email.toLowerCase()}`, address: `address:${ip}` };
  await ensureNotLimited(deps, subjects, now);
  const user = await userOrNotFound(deps.store.db, waiting.id);
  const step = await acceptedStep(user.totp_secret!, code, user.totp_last_step, now);
  const recovery = step === null && looksLikeRecoveryCode(code) ? recoveryDigest(code) : null;
  const stored = JSON.parse(user.recovery_codes) as string[];
  if (step === null && (recovery === null || !stored.includes(recovery))) {
    await deps.store.writeTransaction(async (trx) => {
      await repo.recordFailure(trx, subjects.account, now.toISOString());
      await repo.recordFailure(trx, subjects.address, now.toISOString());
    });
    throw invalid({ code: WRONG_CODE });
  }
  return deps.store.writeTransaction(async (trx) => {
    const changes = step !== null ? { totp_last_step: step } : { recovery_codes: JSON.stringify(stored.filter((d) => d !== recovery)) };
    await repo.updateUser(trx, user.id, { ...changes, last_sign_in_at: now.toISOString(), updated_at: now.toISOString() });
    await repo.updateSession(trx, sha256Hex(value), { pending_second_factor: 0, last_seen_at: now.toISOString() });
    await repo.clearFailures(trx, subjects.account);
    await recordAudit(trx, { actorId: user.id, action: 'user.sign_in', subject: `user:${user.id}`, details: { ip, secondFactor: step !== null ? 'app' : 'recovery code' } }, now);
    return toAccount(user);
  });
}

export interface SecondFactorSetup {
  secret: string;
  uri: string;
  /** Sent back with the first code, so the form cannot confirm a secret the server did not offer. */
  proof: string;
}

/** Whether the account uses a second factor, and how many recovery codes it has left. */
export async function secondFactorState(store: Store, actor: Account): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const user = await userOrNotFound(store.db, actor.id);
  return { enabled: user.totp_secret !== null, recoveryCodesLeft: (JSON.parse(user.recovery_codes) as string[]).length };
}

/** A new secret to add to an authenticator app; nothing is stored until a code from it is confirmed. */
export function beginSecondFactor(deps: AccountDeps, actor: Account): SecondFactorSetup {
  const secret = newTotpSecret();
  return { secret, uri: totpUri(deps.siteName, actor.email, secret), proof: secretProof(deps.secret, actor.id, secret) };
}

/** Turns the second factor on once a code from the app matches; returns the recovery codes, shown once. */
export async function confirmSecondFactor(deps: AccountDeps, actor: Account, setup: { secret: string; proof: string }, code: string, now = new Date()): Promise<string[]> {
  if (!sameToken(secretProof(deps.secret, actor.id, setup.secret), setup.proof)) throw new AppError('bad_request', 'This set-up form is not valid any more. Start again.');
  const step = await acceptedStep(setup.secret, code, 0, now);
  if (step === null) throw invalid({ code: 'This code does not match. Check the time on your phone and enter the current code.' });
  const { codes, digests } = newRecoveryCodes();
  await deps.store.writeTransaction(async (trx) => {
    await repo.updateUser(trx, actor.id, { totp_secret: setup.secret, totp_last_step: step, recovery_codes: JSON.stringify(digests), updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor.id, action: 'user.second_factor_on', subject: `user:${actor.id}` }, now);
  });
  return codes;
}

/** Turns the second factor off (the account's password first); `actor` null: the command line, for a lost phone. */
export async function removeSecondFactor(store: Store, actor: Account | null, id: number, password: string | null, now = new Date()): Promise<void> {
  const user = await userOrNotFound(store.db, id);
  if (actor) {
    if (actor.id !== id) ensureCan(actor, 'user.manage');
    else if (!(await passwordMatches(user.password_hash, password ?? ''))) throw invalid({ password: 'This is not your current password.' });
  }
  await store.writeTransaction(async (trx) => {
    await repo.updateUser(trx, id, { totp_secret: null, totp_last_step: 0, recovery_codes: '[]', updated_at: now.toISOString() });
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'user.second_factor_off', subject: `user:${id}` }, now);
  });
}

async function openSession(trx: Db, deps: AccountDeps, user: repo.UserRow, attempt: { ip: string; userAgent: string }, now: Date, options: { pendingSecondFactor?: boolean } = {}): Promise<NewSession> {
  const value = randomToken();
  const expiresAt = iso(now.getTime() + deps.rules.sessionMaxMs);
  await repo.insertSession(trx, {
    id_hash: sha256Hex(value),
    user_id: user.id,
    generation: user.session_generation,
    csrf_token: randomToken(),
    pending_second_factor: options.pendingSecondFactor ? 1 : 0,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt,
    ip: attempt.ip.slice(0, 64),
    user_agent: attempt.userAgent.slice(0, 300),
  });
  return { value, account: toAccount(user), expiresAt, secondFactor: false };
}

export interface ActiveSession {
  account: Account;
  csrfToken: string;
  expiresAt: string;
}

/** How often a session's last use is written down (not on every request). */
const TOUCH_EVERY_MS = 60_000;

/**
 * The session a cookie names, or null when there is none, it expired (idle or absolute), its account was
 * disabled or signed out everywhere since.
 */
export async function resolveSession(deps: AccountDeps, value: string, now = new Date()): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const idHash = sha256Hex(value);
  const row = await repo.sessionWithUser(deps.store.db, idHash);
  if (!row) return null;
  const idleSince = Date.parse(row.last_seen_at);
  const stale = row.expires_at <= now.toISOString() || now.getTime() - idleSince > deps.rules.sessionIdleMs;
  if (stale || row.disabled === 1 || row.generation !== row.session_generation || row.pending_second_factor === 1) {
    if (stale) await deps.store.writeTransaction((trx) => repo.deleteSession(trx, idHash));
    return null;
  }
  if (now.getTime() - idleSince > TOUCH_EVERY_MS) await deps.store.writeTransaction((trx) => repo.touchSession(trx, idHash, now.toISOString()));
  return {
    account: toAccount({ id: row.user_id, email: row.email, name: row.name, role: row.role, person_id: row.person_id }),
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function signOut(deps: AccountDeps, value: string, actor: Account | null, now = new Date()): Promise<void> {
  await deps.store.writeTransaction(async (trx) => {
    await repo.deleteSession(trx, sha256Hex(value));
    if (actor) await recordAudit(trx, { actorId: actor.id, action: 'user.sign_out', subject: `user:${actor.id}` }, now);
  });
}

/** Ends every session of the account, on every device (this one too). */
export async function signOutEverywhere(deps: AccountDeps, actor: Account, now = new Date()): Promise<void> {
  await deps.store.writeTransaction(async (trx) => {
    await repo.bumpSessionGeneration(trx, actor.id, now.toISOString());
    await recordAudit(trx, { actorId: actor.id, action: 'user.sign_out_everywhere', subject: `user:${actor.id}` }, now);
  });
}

/** Removes expired sessions and old failed attempts; the server runs it now and then. */
export async function pruneAccounts(deps: AccountDeps, now = new Date()): Promise<void> {
  await deps.store.writeTransaction(async (trx) => {
    await repo.deleteExpiredSessions(trx, iso(now.getTime() - deps.rules.sessionIdleMs), now.toISOString());
    await repo.pruneFailures(trx, iso(now.getTime() - deps.rules.failureWindowMs));
  });
}

// ---------------------------------------------------------------------------- tokens of signed-out forms

/** The token a signed-out form carries: an HMAC of the browser's form cookie. */
export function formToken(secret: string, formCookie: string): string {
  return createHmac('sha256', secret).update(`admin-form:${formCookie}`).digest('base64url');
}

export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const newFormCookie = randomToken;
