// Accounts and articles for the workflow tests. The workflow services take the acting Account; these
// tests call them as each role would.
import type { Account, Role } from '../../src/accounts/permissions.ts';
import type { DraftInput } from '../../src/articles/article.workflow.ts';
import { createAccount } from '../helpers/admin.ts';
import type { TestServer } from '../helpers/server.ts';

/** A staff account of the given role in the server's database. */
export async function account(server: TestServer, role: Role, name?: string): Promise<Account> {
  const { password: _password, ...made } = await createAccount(server, { role, ...(name ? { name } : {}) });
  return made;
}

/** A complete draft whose headline (and so slug) is unique in the test run. */
export function draft(headline: string, extra: Partial<DraftInput> = {}): DraftInput {
  return {
    section: 'news',
    headline,
    subtitle: 'A subtitle',
    summary: '',
    body: `The first paragraph of ${headline}.\n\n> "A quotation," said the minister.\n\nA last paragraph.`,
    authors: ['international-desk'],
    tags: ['Workflow'],
    sources: [
      { name: 'Al-Akhbar', description: 'Lebanese daily newspaper', url: 'https://al-akhbar.example/story', kind: 'outlet', role: 'reported' },
      { name: 'Wire agency', kind: 'agency', role: 'relayed', relays: 0 },
    ],
    ...extra,
  };
}
