// One set-up for browser tests: a test server and headless Chromium (tests/e2e/browser.ts), and pages
// signed in to /admin through the real sign-in form. close() closes the browser (and with it every context
// still open), then the server.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Account, Role } from '../../src/accounts/permissions.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { createAccount, signInBrowser } from './admin.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface StaffOptions {
  role: Role;
  name?: string;
}

export interface SignedInPage {
  context: BrowserContext;
  page: Page;
  account: Account & { password: string };
}

export interface BrowserSuite {
  server: TestServer;
  browser: Browser;
  /**
   * A page in a context of its own (baseURL: the server) signed in as the account given, or as a new
   * account made with these options.
   */
  signedIn(who: StaffOptions | SignedInPage['account'], context?: BrowserContextOptions): Promise<SignedInPage>;
  close(): Promise<void>;
}

export interface BrowserSuiteOptions {
  /** Starts the server; startTestServer() with the demo content unless given. */
  server?: () => Promise<TestServer>;
}

/** A test server and Chromium for one describe(): call in before(), close in after(). */
export async function browserSuite(options: BrowserSuiteOptions = {}): Promise<BrowserSuite> {
  const server = await (options.server ?? startTestServer)();
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    browser,
    async signedIn(who, contextOptions = {}) {
      const account = 'email' in who ? who : await createAccount(server, who);
      const context = await browser.newContext({ baseURL: server.url, ...contextOptions });
      const page = await context.newPage();
      await signInBrowser(page, server, account.email, account.password);
      return { context, page, account };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface AdminBrowser extends BrowserSuite, SignedInPage {}

export interface AdminBrowserOptions extends BrowserSuiteOptions {
  /** Who signs in; an administrator unless given. */
  staff?: StaffOptions;
  /** Options of the signed-in page's context (baseURL is the server's). */
  context?: BrowserContextOptions;
}

/**
 * A test server, Chromium and one page signed in to /admin (as an administrator unless `staff` says
 * otherwise): the set-up of a browser test of the admin screens. Close it in after().
 */
export async function adminBrowser(options: AdminBrowserOptions = {}): Promise<AdminBrowser> {
  const suite = await browserSuite(options);
  try {
    return { ...suite, ...(await suite.signedIn(options.staff ?? { role: 'admin' }, options.context)) };
  } catch (error) {
    await suite.close();
    throw error;
  }
}
