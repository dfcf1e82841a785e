// Every environment variable Gazette reads is declared here, parsed once at start and frozen.
// A bad value stops the process with a message naming the variable and what it expected.
import path from 'node:path';
import { z } from 'zod';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute origin used in canonical links, feeds and structured data, without a trailing slash. */
  readonly publicUrl: string;
  readonly database: DatabaseTarget;
  readonly logLevel: LogLevel;
  /** Name of the publication, shown in the masthead and as the publisher in structured data. */
  readonly siteName: string;
  /** Language of pages that are not about one article or section (home, tags, authors, errors). */
  readonly siteLanguage: string;
  /** Load the demo content into an empty database on first start. */
  readonly demoContent: boolean;
}

export type DatabaseTarget = { readonly kind: 'sqlite'; readonly file: string };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const portSchema = z
  .string()
  .regex(/^\d+$/, 'expected a whole number from 0 to 65535')
  .transform(Number)
  .refine((n) => n >= 0 && n <= 65535, 'expected a whole number from 0 to 65535');

const hostSchema = z
  .string()
  .min(1, 'expected a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'expected a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0');

const publicUrlSchema = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an absolute http(s) URL such as https://news.example.org' });
    return z.NEVER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `expected an http or https URL, got "${url.protocol}"` });
    return z.NEVER;
  }
  if (url.search || url.hash) {
    ctx.addIssue({ code: 'custom', message: 'expected a URL without a query string or fragment' });
    return z.NEVER;
  }
  return url.href.replace(/\/+$/, '');
});

const databaseUrlSchema = z.string().transform((value, ctx): DatabaseTarget => {
  if (/^postgres(ql)?:\/\//i.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'PostgreSQL is not supported yet; use an SQLite URL such as file:./data/gazette.db',
    });
    return z.NEVER;
  }
  const match = /^file:(.+)$/.exec(value);
  if (!match || !match[1]) {
    ctx.addIssue({ code: 'custom', message: 'expected file:<path to an SQLite database>, e.g. file:./data/gazette.db' });
    return z.NEVER;
  }
  return { kind: 'sqlite', file: path.resolve(match[1]) };
});

const envSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: hostSchema.default('127.0.0.1'),
  PUBLIC_URL: publicUrlSchema.optional(),
  DATABASE_URL: databaseUrlSchema.default({ kind: 'sqlite', file: path.resolve('data/gazette.db') }),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  SITE_NAME: z.string().trim().min(1, 'expected a non-empty publication name').max(120, 'expected at most 120 characters').default('Gazette'),
  SITE_LANGUAGE: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en, ar or fa').default('en'),
  DEMO_CONTENT: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('true'),
});

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and .env files commonly produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const given = present[name];
      return `${name}: ${issue.message}${given !== undefined ? ` (got "${given}")` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    database: Object.freeze(e.DATABASE_URL),
    logLevel: e.LOG_LEVEL,
    siteName: e.SITE_NAME,
    siteLanguage: e.SITE_LANGUAGE,
    demoContent: e.DEMO_CONTENT === 'true' || e.DEMO_CONTENT === '1',
  });
}
