// STAND-IN for the lead's module (/work/notes/admin-contract.md); dropped when main is merged in.
// Only the site-structure actions are decided as the contract says; article actions are out of scope here.
import { AppError } from '../errors.ts';
import type { Account } from './account.service.ts';

export type Action =
  | 'article.create'
  | 'article.edit'
  | 'article.publish'
  | 'article.delete'
  | 'section.manage'
  | 'page.manage'
  | 'person.manage'
  | 'comment.moderate'
  | 'user.manage'
  | 'settings.manage'
  | 'audit.view';

const EDITOR_ACTIONS: ReadonlySet<Action> = new Set(['section.manage', 'page.manage', 'person.manage', 'comment.moderate']);

export function can(actor: Account, action: Action, _owned?: { ownerId: number | null }): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'editor' && EDITOR_ACTIONS.has(action);
}

export function ensureCan(actor: Account, action: Action, owned?: { ownerId: number | null }): void {
  if (!can(actor, action, owned)) throw new AppError('forbidden', `This account may not ${action}.`);
}
