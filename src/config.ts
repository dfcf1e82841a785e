// Every environment variable Gazette reads is declared here, parsed once at start and frozen.
// A bad value stops the process with a message naming the variable and what it expected.
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute origin used in canonical links, feeds and structured data, without a trailing slash. */
  readonly publicUrl: string;
  readonly database: DatabaseTarget;
  /** Worker threads that run searches on SQLite (SEARCH_THREADS); null: one per core beside the main thread's, at least 1, at most 4. */
  readonly searchThreads: number | null;
  /**
   * Stored rendered pages (decision 0038): the most bytes their bodies may take (PAGE_STORE_MAX_MB),
   * or null when PAGE_STORE=false turns the store off.
   */
  readonly pageStoreMaxBytes: number | null;
  readonly logLevel: LogLevel;
  /** Name of the publication, shown in the masthead and as the publisher in structured data. */
  readonly siteName: string;
  /** Language of pages that are not about one article or section (home, tags, authors, errors). */
  readonly siteLanguage: string;
  /** Load the demo content into an empty database on first start. */
  readonly demoContent: boolean;
  /** What feeds carry for each article: the whole body as HTML, or only the excerpt. */
  readonly feedContent: 'full' | 'excerpt';
  /** Reader comments: moderation, limits and spam rules. */
  readonly comments: CommentsConfig;
  /** Outgoing mail (reply and moderation notices); null when SMTP_HOST is not set. */
  readonly mail: MailConfig | null;
  /** Key for HMACs (form tokens, the commenter cookie, avatars, unsubscribe links); null means "generate once, keep in the database". */
  readonly secret: string | null;
  /** Time and connection limits of the HTTP server (decision 0015). */
  readonly http: HttpLimits;
  /** Staff sessions (decision 0019). */
  readonly sessions: SessionLimits;
  /** Content API requests per minute (decision 0025): per address without a key, per content key; 0 is no limit. */
  readonly apiRates: { readonly perAddressPerMinute: number; readonly perKeyPerMinute: number };
  /** Where uploaded files are kept (MEDIA_DIR), absolute. */
  readonly mediaDir: string;
  /** Largest document upload, in bytes (DOCUMENT_MAX_MB). */
  readonly documentMaxBytes: number;
  /** Uploaded pictures: limits, the widths made of each, and what metadata is kept (issue 12). */
  readonly images: ImageSettings;
}

export interface ImageSettings {
  /** Largest image upload, in bytes (IMAGE_MAX_MB). */
  readonly maxBytes: number;
  /** Most pixels (width × height) an upload may have (IMAGE_MAX_MEGAPIXELS); more is refused before decoding. */
  readonly maxPixels: number;
  /** Widths of the responsive renditions, ascending (IMAGE_WIDTHS). */
  readonly widths: readonly number[];
  /** Keep every metadata field of uploads (IMAGE_KEEP_METADATA); by default location and camera serials go. */
  readonly keepMetadata: boolean;
}

export interface SessionLimits {
  /** A session unused this long ends (SESSION_IDLE_MINUTES). */
  readonly idleMs: number;
  /** A session ends this long after sign-in however it is used (SESSION_MAX_DAYS). */
  readonly maxMs: number;
}

export interface HttpLimits {
  /** Longest a request (headers and body) may take to arrive, in milliseconds; then 408 and closed. */
  readonly requestTimeoutMs: number;
  /** Longest an idle keep-alive connection is kept open, in milliseconds. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections allowed from one remote address; 0: no limit. Trusted proxies are exempt. */
  readonly maxConnectionsPerAddress: number;
  /** Open connections allowed in all; 0: no limit; null: the open-file limit less a reserve. */
  readonly maxConnections: number | null;
  /** Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed. */
  readonly trustProxy: readonly string[];
}

export type ModerationMode = 'hold-all' | 'hold-first' | 'hold-none';

export interface CommentsConfig {
  readonly moderation: ModerationMode;
  /** Deepest reply level; 1 means no replies. */
  readonly maxDepth: number;
  /** Comments close this many days after publishing; 0 keeps them open. */
  readonly closeAfterDays: number;
  /** Longest comment text, in characters. */
  readonly maxLength: number;
  /** More links than this holds a comment for moderation. */
  readonly maxLinks: number;
  /** Words or phrases (lower case) that send a comment to spam. */
  readonly blocklist: readonly string[];
  /** IP addresses whose comments go to spam. */
  readonly blockedIps: readonly string[];
  /** Comments one IP address may post per window. */
  readonly rateMax: number;
  readonly rateWindowSeconds: number;
  /** A form sent sooner than this after its token was issued (per reader) is refused as typed too fast. */
  readonly minSeconds: number;
  /** How long a form token stays valid. */
  readonly tokenHours: number;
  /** Editors told by mail about held comments. */
  readonly editorEmails: readonly string[];
  /** Top-level threads per comment page (replies stay with their thread). */
  readonly perPage: number;
  /** Order of the threads on a page; also which page an article shows first (decision 0016). */
  readonly order: CommentOrder;
}

/** oldest-first: page 1 (the oldest threads) is shown first; newest-first: the last page, newest thread on top. */
export type CommentOrder = 'oldest-first' | 'newest-first';

export interface MailConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string | null;
  readonly password: string | null;
  readonly from: string;
}

export type DatabaseTarget =
  | {
      readonly kind: 'sqlite';
      readonly file: string;
      /**
       * Page cache of the process's own connection, in MiB (SQLITE_CACHE_MB); unset: 16 (decision 0060).
       * Search threads' read-only connections keep 4 MiB each whatever this says.
       */
      readonly cacheMb?: number;
    }
  | {
      readonly kind: 'postgres';
      /** The connection URL as given, password included: never log it (see describeDatabase). */
      readonly url: string;
      /** Connections in the pool (DATABASE_POOL_SIZE). */
      readonly poolSize: number;
      /** Longest a statement may run, in milliseconds (DATABASE_STATEMENT_TIMEOUT_MS); 0: no limit. */
      readonly statementTimeoutMs: number;
    };

/** Where a database target points, safe to print: the file, or postgres://host:port/database without user or password. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return target.file;
  const u = new URL(target.url);
  return `postgres://${u.host}${u.pathname}`;
}

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

type DatabaseUrl = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

const databaseUrlSchema = z.string().transform((value, ctx): DatabaseUrl => {
  if (/^postgres(ql)?:/i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected postgres://user:password@host:5432/database' });
      return z.NEVER;
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      ctx.addIssue({ code: 'custom', message: 'expected a host name in postgres://user:password@host:5432/database' });
      return z.NEVER;
    }
    if (url.pathname.length <= 1) {
      ctx.addIssue({ code: 'custom', message: 'expected a database name in postgres://user:password@host:5432/database' });
      return z.NEVER;
    }
    const sslmode = url.searchParams.get('sslmode');
    if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
      ctx.addIssue({ code: 'custom', message: `expected sslmode to be one of ${SSL_MODES.join(', ')}` });
      return z.NEVER;
    }
    return { kind: 'postgres', url: value };
  }
  const match = /^file:(.+)$/.exec(value);
  if (!match || !match[1]) {
    ctx.addIssue({ code: 'custom', message: 'expected file:<path to an SQLite database> (e.g. file:./data/gazette.db) or postgres://user:password@host:5432/database' });
    return z.NEVER;
  }
  return { kind: 'sqlite', file: path.resolve(match[1]) };
});

/** A URL with its password replaced, for error messages. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number from ${min} to ${max}`);

const booleanFlag = z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' });

const listOf = (item: z.ZodType<string>, what: string) =>
  z.string().transform((value, ctx) => {
    const items = value.split(/[,\n]/).map((v) => v.trim()).filter(Boolean);
    for (const i of items)
      if (!item.safeParse(i).success) {
        ctx.addIssue({ code: 'custom', message: `expected a comma-separated list of ${what}` });
        return z.NEVER;
      }
    return items;
  });

/** An IP address or a CIDR range (192.0.2.0/24, 2001:db8::/32). */
function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = net.isIP(address ?? '');
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const mailbox = z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'expected an email address');

/** Variables whose values must never be echoed in an error message. */
const SECRET_VARIABLES = new Set(['SECRET_KEY', 'SMTP_PASSWORD']);

const envSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: hostSchema.default('127.0.0.1'),
  PUBLIC_URL: publicUrlSchema.optional(),
  DATABASE_URL: databaseUrlSchema.default({ kind: 'sqlite', file: path.resolve('data/gazette.db') }),
  DATABASE_POOL_SIZE: wholeNumber(1, 1000).default(10),
  SQLITE_CACHE_MB: wholeNumber(1, 4096).default(16),
  SEARCH_THREADS: wholeNumber(0, 64).optional(),
  PAGE_STORE: booleanFlag.default('true'),
  PAGE_STORE_MAX_MB: wholeNumber(1, 1_000_000).default(2048),
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(0, 86_400_000).default(30_000),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  SITE_NAME: z.string().trim().min(1, 'expected a non-empty publication name').max(120, 'expected at most 120 characters').default('Gazette'),
  SITE_LANGUAGE: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en, ar or fa').default('en'),
  DEMO_CONTENT: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('true'),
  FEED_CONTENT: z.enum(['full', 'excerpt'], { error: 'expected full or excerpt' }).default('full'),
  SECRET_KEY: z.string().min(32, 'expected at least 32 characters of random text').optional(),
  COMMENTS_MODERATION: z.enum(['hold-all', 'hold-first', 'hold-none'], { error: 'expected hold-all, hold-first or hold-none' }).default('hold-first'),
  COMMENTS_MAX_DEPTH: wholeNumber(1, 20).default(5),
  COMMENTS_CLOSE_AFTER_DAYS: wholeNumber(0, 36500).default(0),
  COMMENTS_MAX_LENGTH: wholeNumber(1, 100_000).default(10_000),
  COMMENTS_MAX_LINKS: wholeNumber(0, 1000).default(2),
  COMMENTS_BLOCKLIST: z.string().transform((v) => v.split(/[,\n]/).map((w) => w.trim().toLowerCase()).filter(Boolean)).default([]),
  COMMENTS_BLOCKED_IPS: listOf(z.string().regex(/^[0-9A-Fa-f.:]+$/), 'IP addresses').default([]),
  COMMENTS_RATE_MAX: wholeNumber(1, 1_000_000).default(5),
  COMMENTS_RATE_WINDOW_SECONDS: wholeNumber(1, 86_400).default(600),
  COMMENTS_MIN_SECONDS: wholeNumber(0, 3600).default(3),
  COMMENTS_TOKEN_HOURS: wholeNumber(1, 24 * 365).default(48),
  COMMENTS_EDITOR_EMAILS: listOf(mailbox, 'email addresses').default([]),
  COMMENTS_PER_PAGE: wholeNumber(1, 1000).default(50),
  COMMENTS_ORDER: z.enum(['oldest-first', 'newest-first'], { error: 'expected oldest-first or newest-first' }).default('oldest-first'),
  SMTP_HOST: hostSchema.optional(),
  SMTP_PORT: portSchema.default(587),
  SMTP_SECURE: booleanFlag.default('false'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: mailbox.optional(),
  REQUEST_TIMEOUT_MS: wholeNumber(100, 3_600_000).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: wholeNumber(100, 3_600_000).default(5_000),
  MAX_CONNECTIONS_PER_ADDRESS: wholeNumber(0, 1_000_000).default(64),
  MAX_CONNECTIONS: wholeNumber(0, 10_000_000).optional(),
  MEDIA_DIR: z.string().min(1).default('data/media'),
  DOCUMENT_MAX_MB: wholeNumber(1, 2048).default(25),
  IMAGE_MAX_MB: wholeNumber(1, 1024).default(40),
  IMAGE_MAX_MEGAPIXELS: wholeNumber(1, 1000).default(60),
  IMAGE_WIDTHS: listOf(z.string().regex(/^\d+$/).refine((w) => Number(w) >= 64 && Number(w) <= 8192), 'widths in pixels between 64 and 8192')
    .transform((ws) => ws.map(Number))
    .default([320, 640, 960, 1280, 1920]),
  IMAGE_KEEP_METADATA: booleanFlag.default('false'),
  SESSION_IDLE_MINUTES: wholeNumber(5, 60 * 24 * 30).default(12 * 60),
  API_RATE_PER_MINUTE: wholeNumber(0, 10_000_000).default(600),
  API_KEY_RATE_PER_MINUTE: wholeNumber(0, 10_000_000).default(6000),
  SESSION_MAX_DAYS: wholeNumber(1, 365).default(14),
  TRUST_PROXY: listOf(z.string().refine(isAddressOrRange), 'IP addresses or CIDR ranges such as 10.0.0.0/8').default([]),
});

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and .env files commonly produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const raw = SECRET_VARIABLES.has(name) ? undefined : present[name];
      const given = name === 'DATABASE_URL' && raw !== undefined ? withoutPassword(raw) : raw;
      return `${name}: ${issue.message}${given !== undefined ? ` (got "${given}")` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    database: Object.freeze(
      e.DATABASE_URL.kind === 'sqlite'
        ? { ...e.DATABASE_URL, cacheMb: e.SQLITE_CACHE_MB }
        : { ...e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS },
    ),
    logLevel: e.LOG_LEVEL,
    searchThreads: e.SEARCH_THREADS ?? null,
    pageStoreMaxBytes: e.PAGE_STORE === 'true' || e.PAGE_STORE === '1' ? e.PAGE_STORE_MAX_MB * 1024 * 1024 : null,
    siteName: e.SITE_NAME,
    siteLanguage: e.SITE_LANGUAGE,
    demoContent: e.DEMO_CONTENT === 'true' || e.DEMO_CONTENT === '1',
    feedContent: e.FEED_CONTENT,
    secret: e.SECRET_KEY ?? null,
    comments: Object.freeze({
      moderation: e.COMMENTS_MODERATION,
      maxDepth: e.COMMENTS_MAX_DEPTH,
      closeAfterDays: e.COMMENTS_CLOSE_AFTER_DAYS,
      maxLength: e.COMMENTS_MAX_LENGTH,
      maxLinks: e.COMMENTS_MAX_LINKS,
      blocklist: Object.freeze(e.COMMENTS_BLOCKLIST),
      blockedIps: Object.freeze(e.COMMENTS_BLOCKED_IPS),
      rateMax: e.COMMENTS_RATE_MAX,
      rateWindowSeconds: e.COMMENTS_RATE_WINDOW_SECONDS,
      minSeconds: e.COMMENTS_MIN_SECONDS,
      tokenHours: e.COMMENTS_TOKEN_HOURS,
      editorEmails: Object.freeze(e.COMMENTS_EDITOR_EMAILS),
      perPage: e.COMMENTS_PER_PAGE,
      order: e.COMMENTS_ORDER,
    }),
    mail: e.SMTP_HOST
      ? Object.freeze({
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE === 'true' || e.SMTP_SECURE === '1',
          user: e.SMTP_USER ?? null,
          password: e.SMTP_PASSWORD ?? null,
          from: e.MAIL_FROM ?? `gazette@${new URL(e.PUBLIC_URL ?? 'http://localhost').hostname}`,
        })
      : null,
    http: Object.freeze({
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
      maxConnections: e.MAX_CONNECTIONS ?? null,
      trustProxy: Object.freeze(e.TRUST_PROXY),
    }),
    mediaDir: path.resolve(e.MEDIA_DIR),
    documentMaxBytes: e.DOCUMENT_MAX_MB * 1024 * 1024,
    images: Object.freeze({
      maxBytes: e.IMAGE_MAX_MB * 1024 * 1024,
      maxPixels: e.IMAGE_MAX_MEGAPIXELS * 1_000_000,
      widths: Object.freeze([...new Set(e.IMAGE_WIDTHS)].sort((a, b) => a - b)),
      keepMetadata: e.IMAGE_KEEP_METADATA === 'true' || e.IMAGE_KEEP_METADATA === '1',
    }),
    sessions: Object.freeze({ idleMs: e.SESSION_IDLE_MINUTES * 60_000, maxMs: e.SESSION_MAX_DAYS * 24 * 3600_000 }),
    apiRates: Object.freeze({ perAddressPerMinute: e.API_RATE_PER_MINUTE, perKeyPerMinute: e.API_KEY_RATE_PER_MINUTE }),
  });
}
