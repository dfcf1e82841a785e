// `gazette user ...`: staff accounts from the command line, over the same account service the admin uses.
// This is how a site gets its first administrator, and how an operator recovers a locked-out one. The
// command runs with the operator's authority (whoever can run it can read the database anyway).
// Passwords are read from standard input, never from arguments (which other users see in `ps`).
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { AppError } from '../errors.ts';
import * as accounts from '../accounts/account.service.ts';
import { ROLES } from '../accounts/permissions.ts';
import { forTerminal } from '../lib/terminal-text.ts';

export const USER_USAGE = `Usage: gazette user <action> [options]

Actions:
  add --email EMAIL --name NAME --role ROLE --password-stdin
                          Create an account; the password is read from standard input
  list                    Every account: email, name, role, status, last sign-in
  role EMAIL ROLE         Change an account's role
  disable EMAIL           Stop an account signing in (and end its sessions)
  enable EMAIL            Let a disabled account sign in again
  reset-password EMAIL --password-stdin
                          Set a new password (ends the account's sessions)
  two-step-off EMAIL      Turn off an account's two-step sign-in (a lost phone and no recovery code)

Roles: ${ROLES.join(', ')}.`;

export class UserUsageError extends Error {}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UserUsageError('--password-stdin reads the password from standard input: pipe it in, e.g. `printf %s "$PASSWORD" | gazette user add ...`.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline (from echo or a file) is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The message of a refused input, naming each field. */
function refusal(error: AppError): string {
  const fields = Object.entries(error.fields);
  return fields.length ? fields.map(([name, text]) => `--${name}: ${text}`).join('\n') : error.message;
}

async function accountOrFail(store: Parameters<typeof accounts.findAccountByEmail>[0], email: string | undefined) {
  if (!email) throw new UserUsageError('Give the account\'s email address.');
  const account = await accounts.findAccountByEmail(store, email);
  if (!account) throw new AppError('not_found', `No account uses ${email}.`);
  return account;
}

export async function runUser(argv: string[], config: Config): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  const [action, ...rest] = positionals;
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    switch (action) {
      case 'add': {
        if (rest.length) throw new UserUsageError(`unexpected argument "${rest[0]}"`);
        if (!values.email || !values.name || !values.role) throw new UserUsageError('add needs --email, --name and --role.');
        if (!values['password-stdin']) throw new UserUsageError('add needs --password-stdin (the password is read from standard input).');
        const password = await readStdin();
        const account = await accounts.createAccount(store, null, { email: values.email, name: values.name, role: values.role, password });
        console.log(`Created ${account.role} ${forTerminal(account.name)} <${forTerminal(account.email)}>. Sign in at ${config.publicUrl}/admin/sign-in`);
        return 0;
      }
      case 'list': {
        const list = await accounts.listAccountsForOperator(store);
        if (!list.length) {
          console.log('No accounts yet. Create the first with: gazette user add --email E --name N --role admin --password-stdin');
          return 0;
        }
        for (const a of list) {
          const status = a.disabled ? 'disabled' : a.invited ? 'invited' : 'active';
          console.log(`${forTerminal(a.email)}\t${forTerminal(a.name)}\t${a.role}\t${status}\tlast sign-in: ${a.lastSignInAt ?? 'never'}`);
        }
        return 0;
      }
      case 'role': {
        const [email, role, ...extra] = rest;
        if (!role || extra.length) throw new UserUsageError('role needs an email address and a role.');
        const account = await accountOrFail(store, email);
        await accounts.changeRole(store, null, account.id, role);
        console.log(`${forTerminal(account.email)} is now ${role === 'admin' ? 'an administrator' : `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`}.`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const account = await accountOrFail(store, rest[0]);
        await accounts.setDisabled(store, null, account.id, action === 'disable');
        console.log(`${forTerminal(account.email)} is ${action === 'disable' ? 'disabled and signed out everywhere' : 'enabled'}.`);
        return 0;
      }
      case 'reset-password': {
        const account = await accountOrFail(store, rest[0]);
        if (!values['password-stdin']) throw new UserUsageError('reset-password needs --password-stdin (the password is read from standard input).');
        await accounts.setPassword(store, null, account.id, await readStdin());
        console.log(`The password of ${forTerminal(account.email)} is changed; its sessions have ended.`);
        return 0;
      }
      case 'two-step-off': {
        const account = await accountOrFail(store, rest[0]);
        await accounts.removeSecondFactor(store, null, account.id, null);
        console.log(`Two-step sign-in is off for ${forTerminal(account.email)}; it signs in with its password alone until turned on again.`);
        return 0;
      }
      default:
        throw new UserUsageError(action ? `unknown action "${action}"` : 'give an action');
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === 'invalid_input' || error.code === 'conflict')) {
      console.error(`gazette user: ${forTerminal(refusal(error))}`);
      return 65;
    }
    throw error;
  } finally {
    await store.close();
  }
}
