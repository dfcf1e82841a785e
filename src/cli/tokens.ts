// `gazette token ...`: API tokens from the command line (decision 0025), over the same token service the
// admin screen uses, with the operator's authority. A new token is printed once, alone on standard output
// (so `TOKEN=$(gazette token create ...)` keeps it); what it is goes to standard error.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenSummary } from '../accounts/api-token.service.ts';
import { ROLES } from '../accounts/permissions.ts';
import { forTerminal } from '../lib/terminal-text.ts';

export const TOKEN_USAGE = `Usage: gazette token <action> [options]

Actions:
  create --kind content --name NAME
                          A content key: optional for the Content API, it names who reads (higher rate limit)
  create --kind admin --role ROLE --name NAME [--user EMAIL]
                          An admin token for the Admin API. With --user it acts as that account (its role
                          no higher than the account's); without, as a new account of its own that cannot
                          sign in, named NAME
  list                    Every token: id, kind, name, the account it acts as, created, last used, revoked
  revoke ID               Stop a token working, at once

The token is printed once, on standard output; only a digest of it is kept.
Roles: ${ROLES.join(', ')}.`;

export class TokenUsageError extends Error {}

function refusal(error: AppError): string {
  const fields = Object.entries(error.fields);
  return fields.length ? fields.map(([name, text]) => `--${name}: ${text}`).join('\n') : error.message;
}

function describe(t: ApiTokenSummary): string {
  const acting = t.actingAs ? `${t.role} as ${t.actingAs.integration ? `${t.actingAs.name} (integration)` : t.actingAs.email}${t.actingAs.disabled ? ' (disabled)' : ''}` : 'content key';
  const state = t.revokedAt ? `revoked ${t.revokedAt}` : 'active';
  return [t.id, t.kind, forTerminal(t.name), `${t.hint}…`, forTerminal(acting), `created ${t.createdAt}`, `last used ${t.lastUsedAt ?? 'never'}`, state].join('\t');
}

export async function runToken(argv: string[], config: Config): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { kind: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, user: { type: 'string' } },
  });
  const [action, ...rest] = positionals;
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    switch (action) {
      case 'create': {
        if (rest.length) throw new TokenUsageError(`unexpected argument "${rest[0]}"`);
        if (!values.kind || !values.name) throw new TokenUsageError('create needs --kind (content or admin) and --name.');
        const { token, summary } = await createApiToken(store, null, { kind: values.kind, name: values.name, role: values.role, user: values.user });
        console.error(`Created ${summary.kind === 'admin' ? `admin token ${summary.id} (${summary.role}, acting as ${forTerminal(summary.actingAs?.email ?? '')})` : `content key ${summary.id}`}. It is shown this once; keep it secret.`);
        console.log(token);
        return 0;
      }
      case 'list': {
        if (rest.length) throw new TokenUsageError(`unexpected argument "${rest[0]}"`);
        const tokens = await listApiTokens(store, null);
        if (!tokens.length) console.log('No API tokens yet. Make one with: gazette token create --kind content --name NAME');
        for (const t of tokens) console.log(describe(t));
        return 0;
      }
      case 'revoke': {
        const [id, ...extra] = rest;
        if (!id || !/^\d+$/.test(id) || extra.length) throw new TokenUsageError('revoke needs the id of one token (see gazette token list).');
        await revokeApiToken(store, null, Number(id));
        console.log(`Token ${id} is revoked; it no longer works.`);
        return 0;
      }
      default:
        throw new TokenUsageError(action ? `unknown action "${action}"` : 'give an action');
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === 'invalid_input' || error.code === 'conflict')) {
      console.error(`gazette token: ${forTerminal(refusal(error))}`);
      return 65;
    }
    throw error;
  } finally {
    await store.close();
  }
}
