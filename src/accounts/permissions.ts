// STAND-IN for the lead's module (/work/notes/admin-contract.md); reverted before main is merged in.
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

const STAFF: readonly Action[] = ['section.manage', 'page.manage', 'person.manage', 'comment.moderate'];

export function can(actor: Account, action: Action, owned?: { ownerId: number | null }): boolean {
  if (actor.role === 'admin') return true;
  if (STAFF.includes(action)) return actor.role === 'editor';
  if (action === 'article.create') return true;
  if (actor.role === 'editor') return action.startsWith('article.');
  const own = owned !== undefined && owned.ownerId === actor.id;
  if (action === 'article.edit' || action === 'article.delete') return own;
  if (action === 'article.publish') return actor.role === 'author' && own;
  return false;
}

export function ensureCan(actor: Account, action: Action, owned?: { ownerId: number | null }): void {
  if (!can(actor, action, owned)) throw new AppError('forbidden', `This account may not ${action}.`);
}
