// `gazette comments ...`: the moderation queue from the command line, over the same comment service
// the web routes use. Editors see addresses here; nothing printed here reaches a public page. Stored text
// is printed through forTerminal: a reader's text must not drive the editor's terminal.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { CommentStatus } from '../db/schema.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { openCommentService, type EditorComment } from '../comments/comment.service.ts';
import { commentPagePath } from '../lib/paths.ts';
import { forTerminal } from '../lib/terminal-text.ts';

export const COMMENTS_USAGE = `Usage: gazette comments <action> [options]

Actions:
  list [--status pending|approved|spam|trash|all] [--article section/slug] [--limit N]
                     The moderation queue, newest first (default: pending)
  approve <id>...    Publish comments (a reader who asked is told of the reply)
  spam <id>...       Mark comments as spam
  trash <id>...      Move comments to the trash
  unapprove <id>...  Put comments back in the pending queue
  edit <id> --text TEXT
                     Replace a comment's text
  reply <id> --name NAME --email EMAIL --text TEXT
                     Publish an editor's reply (approves the comment replied to)
  open <section/slug>
  close <section/slug>
                     Open or close comments on an article

Comment settings come from the environment: COMMENTS_MODERATION (hold-all, hold-first, hold-none),
COMMENTS_MAX_DEPTH, COMMENTS_CLOSE_AFTER_DAYS, COMMENTS_MAX_LENGTH, COMMENTS_MAX_LINKS,
COMMENTS_BLOCKLIST, COMMENTS_BLOCKED_IPS, COMMENTS_RATE_MAX, COMMENTS_RATE_WINDOW_SECONDS,
COMMENTS_MIN_SECONDS, COMMENTS_TOKEN_HOURS, COMMENTS_EDITOR_EMAILS; mail from SMTP_HOST, SMTP_PORT,
SMTP_SECURE, SMTP_USER, SMTP_PASSWORD, MAIL_FROM; SECRET_KEY (otherwise generated once and kept in
the database).`;

const STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'trash'];
const ACTION_STATUS: Record<string, CommentStatus> = { approve: 'approved', spam: 'spam', trash: 'trash', unapprove: 'pending' };

/** An argument problem, reported with the usage text. */
export class CommentsUsageError extends Error {}

function ids(args: string[]): number[] {
  if (!args.length) throw new CommentsUsageError('Give at least one comment id.');
  return args.map((a) => {
    if (!/^[1-9]\d{0,12}$/.test(a)) throw new CommentsUsageError(`"${a}" is not a comment id (a whole number).`);
    return Number(a);
  });
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function describe(c: EditorComment): string {
  return [
    `#${c.id}  ${c.status.padEnd(8)}  ${c.createdAt}  ${c.articlePath}${c.parentId ? `  (reply to #${c.parentId})` : ''}`,
    `    ${c.authorName} <${c.authorEmail}>${c.authorUrl ? `  ${c.authorUrl}` : ''}${c.ip ? `  IP ${c.ip}` : ''}`,
    ...(c.note ? [`    held because: ${c.note}`] : []),
    `    ${oneLine(c.body, 160)}`,
  ]
    .map(forTerminal)
    .join('\n');
}

/** Runs one `gazette comments` action; returns the exit status. */
export async function runComments(argv: string[], config: Config, out: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      status: { type: 'string' },
      article: { type: 'string' },
      limit: { type: 'string' },
      text: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    out(COMMENTS_USAGE);
    return action || values.help ? 0 : 64;
  }
  const store = await openStore(config.database);
  const comments = await (async () => {
    await migrateToLatest(store);
    return openCommentService(store, config, (message) => console.error(`gazette: ${forTerminal(message)}`));
  })().catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  try {
    const service = comments.service;
    switch (action) {
      case 'list': {
        if (rest.length) throw new CommentsUsageError(`Unexpected argument "${rest[0]}".`);
        const status = values.status ?? 'pending';
        if (status !== 'all' && !STATUSES.includes(status as CommentStatus)) throw new CommentsUsageError(`--status must be one of ${STATUSES.join(', ')} or all.`);
        const limit = values.limit ?? '50';
        if (!/^[1-9]\d{0,5}$/.test(limit)) throw new CommentsUsageError('--limit must be a whole number from 1.');
        const list = await service.queue({ status: status === 'all' ? undefined : (status as CommentStatus), article: values.article, limit: Number(limit) });
        out(list.length ? list.map(describe).join('\n\n') : `No ${status === 'all' ? '' : `${status} `}comments.`);
        return 0;
      }
      case 'approve':
      case 'spam':
      case 'trash':
      case 'unapprove': {
        const list = ids(rest);
        await service.moderate(list, ACTION_STATUS[action]!);
        out(`${list.map((i) => `#${i}`).join(', ')}: ${ACTION_STATUS[action]}`);
        return 0;
      }
      case 'edit': {
        const [id] = ids(rest);
        if (rest.length > 1) throw new CommentsUsageError('edit takes one comment id.');
        if (values.text === undefined) throw new CommentsUsageError('edit needs --text.');
        await service.edit(id!, values.text);
        out(`#${id}: text replaced`);
        return 0;
      }
      case 'reply': {
        const [id] = ids(rest);
        if (rest.length > 1) throw new CommentsUsageError('reply takes one comment id.');
        if (values.text === undefined || values.name === undefined || values.email === undefined) throw new CommentsUsageError('reply needs --name, --email and --text.');
        const result = await service.reply(id!, { name: values.name, email: values.email }, values.text);
        // The comment page that shows the reply (the article's address when it is the page shown first).
        const at = await service.locate(result.id);
        const page = at ? commentPagePath(at.articlePath, at.page, at.defaultPage) : result.articlePath;
        out(forTerminal(`#${result.id}: published at ${config.publicUrl}${page}#comment-${result.id}`));
        return 0;
      }
      case 'open':
      case 'close': {
        if (rest.length !== 1) throw new CommentsUsageError(`${action} takes one article address, section/slug.`);
        const path = await service.setOpen(rest[0]!, action === 'open');
        out(forTerminal(`Comments are ${action === 'open' ? 'open' : 'closed'} on ${path}`));
        return 0;
      }
      default:
        throw new CommentsUsageError(`Unknown action "${action}".`);
    }
  } finally {
    await comments.close();
    await store.close();
  }
}
