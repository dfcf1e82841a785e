// The `gazette` command: serve, migrate, demo, reindex, comments. Configuration comes from the environment,
// as for the server.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { isBusy, migrateToLatest, openStore } from '../db/database.ts';
import { loadDemo } from '../demo/demo.service.ts';
import { AppError } from '../errors.ts';
import { AddressInUseError, startServer } from '../server.ts';
import { SEARCH_USAGE, SearchUsageError, runDemoCorpus, runReindex } from './search.ts';
import { COMMENTS_USAGE, CommentsUsageError, runComments } from './comments.ts';
import { USER_USAGE, UserUsageError, runUser } from './users.ts';
import { TOKEN_USAGE, TokenUsageError, runToken } from './tokens.ts';
import { COPY_USAGE, CopyUsageError, runCopy } from './copy.ts';
import { EXPORT_USAGE, ExportUsageError, runExport } from './export.ts';
import { MEDIA_USAGE, MediaUsageError, runMedia } from './media.ts';
import { IMPORT_USAGE, ImportUsageError, runImport } from './import.ts';
import { PAGES_USAGE, PagesUsageError, runPages } from './pages.ts';
import { StoreUnavailable } from '../db/database.ts';
import { DatabaseMissingError, EX_NOINPUT, useDatabase } from './database.ts';
import { forTerminal } from '../lib/terminal-text.ts';

const USAGE = `Usage: gazette <command>

Commands:
  serve     Serve the site (creates and migrates the database, loads demo content into an empty one)
  migrate   Apply pending database migrations
  demo      Load the demo content (once; a second run does nothing)
${SEARCH_USAGE}
  comments  Moderate reader comments: list, approve, spam, trash, edit, reply, open, close
            (gazette comments --help)
  user      Staff accounts: add, list, role, disable, enable, reset-password (gazette user --help)
  media     The library's files: verify (hashes checked again), regenerate (renditions for the
            current IMAGE_WIDTHS) (gazette media --help)
  import    Import a WordPress export: gazette import wordpress FILE.xml [--dry-run]
            (gazette import --help)
  pages     Stored rendered pages: prerender (every published article), status, clear
            (gazette pages --help)
  token     API tokens: create (content keys, admin tokens), list, revoke (gazette token --help)
${COPY_USAGE}
${EXPORT_USAGE}

Configuration is read from the environment: PORT, HOST, PUBLIC_URL, DATABASE_URL, LOG_LEVEL,
SITE_NAME, SITE_LANGUAGE, DEMO_CONTENT, FEED_CONTENT, DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT_MS.
See README.md. Every command names the database it uses on stderr. DATABASE_URL defaults to
file:./data/gazette.db in the current folder; only serve, migrate and demo create a database that does
not exist yet.`;

/** Exit status for a configuration error (EX_CONFIG from sysexits.h). */
const EX_CONFIG = 78;
/** Exit status when the database stayed busy past the wait: try again later (EX_TEMPFAIL from sysexits.h). */
const EX_TEMPFAIL = 75;

/** The configuration for `command`, after saying which database it uses and refusing a missing one it needs. */
function configFor(command: string) {
  const config = loadConfig();
  useDatabase(config.database, command);
  return config;
}

async function run(argv: string[]): Promise<number> {
  // `comments` has its own actions and options, parsed in src/cli/comments.ts.
  if (argv[0] === 'comments') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(COMMENTS_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runComments(argv.slice(1), configFor('comments'));
  }
  if (argv[0] === 'pages') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(PAGES_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runPages(argv.slice(1), configFor('pages'));
  }
  if (argv[0] === 'user') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(USER_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runUser(argv.slice(1), configFor('user'));
  }
  if (argv[0] === 'media') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(MEDIA_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runMedia(argv.slice(1), configFor('media'));
  }
  if (argv[0] === 'import') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(IMPORT_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runImport(argv.slice(1), () => configFor('import'));
  }
  if (argv[0] === 'token') {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 1) {
      console.log(TOKEN_USAGE);
      return argv.length === 1 ? 64 : 0;
    }
    return runToken(argv.slice(1), configFor('token'));
  }
  if (argv[0] === 'copy' && !argv.includes('--help') && !argv.includes('-h')) return runCopy(argv.slice(1));
  if (argv[0] === 'export' && !argv.includes('--help') && !argv.includes('-h')) return runExport(argv.slice(1), () => configFor('export'));
  // `reindex` and `demo --articles N` take options of their own, parsed in src/cli/search.ts.
  if (argv[0] === 'reindex' && !argv.includes('--help') && !argv.includes('-h')) return runReindex(argv.slice(1), configFor('reindex'));
  if (argv[0] === 'demo' && argv.length > 1 && !argv.includes('--help') && !argv.includes('-h')) return runDemoCorpus(argv.slice(1), configFor('demo'));
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 64;
  }
  if (rest.length) throw new UsageError(`gazette ${command}: unexpected argument "${rest[0]}"`);
  switch (command) {
    case 'serve': {
      const config = configFor(command);
      const server = await startServer(config);
      const stop = async (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return -1;
    }
    case 'migrate': {
      const config = configFor(command);
      const store = await openStore(config.database);
      try {
        const applied = await migrateToLatest(store);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'demo': {
      const config = configFor(command);
      const store = await openStore(config.database);
      try {
        await migrateToLatest(store);
        const result = await loadDemo(store);
        console.log(result.skipped ? 'The demo content is already loaded; nothing to do.' : `Loaded ${result.created.length} demo article(s):\n${result.created.map((p) => `  ${config.publicUrl}${p}`).join('\n')}`);
      } finally {
        await store.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`gazette: unknown command "${command}"\n\n${USAGE}`);
  }
}

class UsageError extends Error {}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`gazette: ${error.message}`);
      process.exitCode = EX_CONFIG;
    } else if (error instanceof DatabaseMissingError) {
      console.error(error.message);
      process.exitCode = EX_NOINPUT;
    } else if (error instanceof CommentsUsageError) {
      console.error(`gazette comments: ${error.message}\n\n${COMMENTS_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof PagesUsageError) {
      console.error(`gazette pages: ${error.message}\n\n${PAGES_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof UserUsageError) {
      console.error(`gazette user: ${error.message}\n\n${USER_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof MediaUsageError) {
      console.error(`gazette media: ${error.message}\n\n${MEDIA_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof ImportUsageError) {
      console.error(`gazette import: ${error.message}\n\n${IMPORT_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof TokenUsageError) {
      console.error(`gazette token: ${error.message}\n\n${TOKEN_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof StoreUnavailable) {
      console.error(`gazette: DATABASE_URL: ${error.message}`);
      process.exitCode = error.exitCode;
    } else if (error instanceof ExportUsageError) {
      console.error(`gazette export: ${error.message}\n\n${EXPORT_USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof SearchUsageError || error instanceof CopyUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 64;
    } else if (error instanceof UsageError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      console.error(error.message);
      process.exitCode = 64;
    } else if (isBusy(error)) {
      console.error('gazette: the database is busy: another process kept it locked for longer than the 5 s wait, and nothing was changed. Try again in a moment.');
      process.exitCode = EX_TEMPFAIL;
    } else if (error instanceof AppError || error instanceof AddressInUseError) {
      // A refusal may quote stored text (an address, a name).
      console.error(`gazette: ${forTerminal(error.message)}`);
      process.exitCode = 1;
    } else {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    }
  },
);
