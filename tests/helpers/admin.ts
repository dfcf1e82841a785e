// Staff accounts and signed-in clients for tests of the /admin context: accounts are made through the
// account service (as `gazette user add` does), and clients sign in over real HTTP with the real form.
import type { Page } from 'playwright-core';
import { createAccount as createAccountRow } from '../../src/accounts/account.service.ts';
import type { Account, Role } from '../../src/accounts/permissions.ts';
import type { TestServer } from './server.ts';

export const TEST_PASSWORD = 'a long test password 1';

let counter = 0;

/** Creates an account with a password (TEST_PASSWORD unless given). */
export async function createAccount(server: TestServer, options: { role: Role; email?: string; name?: string; password?: string }): Promise<Account & { password: string }> {
  counter += 1;
  const password = options.password ?? TEST_PASSWORD;
  const account = await createAccountRow(server.store, null, {
    email: options.email ?? `${options.role}${counter}@newsroom.test`,
    name: options.name ?? `${options.role[0]!.toUpperCase()}${options.role.slice(1)} ${counter}`,
    role: options.role,
    password,
  });
  return { ...account, password };
}

export interface AdminResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Where a redirect points (the Location header), or null. */
  location: string | null;
}

/** A browser-like client: keeps cookies, sends forms with the page's CSRF token and a same-origin Origin. */
export class AdminClient {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(readonly server: TestServer) {}

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async answer(response: Response): Promise<AdminResponse> {
    this.keep(response.headers);
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrfToken = token[1]!;
    return { status: response.status, headers: response.headers, text, location: response.headers.get('location') };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<AdminResponse> {
    return this.answer(await fetch(this.server.url + path, { redirect: 'manual', headers: { cookie: this.cookie, ...headers } }));
  }

  /** Posts a form; `_csrf` is the last token seen unless the form gives its own (or `null` to leave it out). */
  async post(path: string, form: Record<string, string | string[] | null> = {}, headers: Record<string, string> = {}): Promise<AdminResponse> {
    const body = new URLSearchParams();
    const withToken = '_csrf' in form ? form : { _csrf: this.csrfToken, ...form };
    for (const [k, v] of Object.entries(withToken)) {
      if (v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    return this.answer(
      await fetch(this.server.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: this.cookie, origin: this.server.url, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      }),
    );
  }
}

/** A client signed in as the account (throws when the sign-in does not succeed). */
export async function signIn(server: TestServer, email: string, password = TEST_PASSWORD): Promise<AdminClient> {
  const client = new AdminClient(server);
  await client.get('/admin/sign-in');
  const response = await client.post('/admin/sign-in', { email, password });
  if (response.status !== 303) throw new Error(`sign-in as ${email} answered ${response.status}: ${response.text.slice(0, 300)}`);
  await client.get('/admin');
  return client;
}

/** Signs a Chromium page in through the sign-in form. */
export async function signInBrowser(page: Page, server: TestServer, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/admin/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/sign-in'));
}
