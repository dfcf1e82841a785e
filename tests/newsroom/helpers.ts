// Accounts and articles for the workflow tests. The workflow services take the acting Account; these
// tests call them as each role would.
import type { Account, Role } from '../../src/accounts/account.service.ts';
import type { DraftInput } from '../../src/articles/article.workflow.ts';

let nextId = 1000;

/** An account of the given role (services need only the Account value). */
export function account(role: Role, name = `${role} ${nextId}`): Account {
  const id = nextId++;
  return { id, email: `${role}${id}@example.org`, name, role, personId: null };
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
