// STAND-IN for the lead's module (/work/notes/admin-contract.md), written from the contract's table.
// Replaced by main's file when main is merged in.
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

const isOwner = (actor: Account, owned?: { ownerId: number | null }) => owned !== undefined && owned.ownerId === actor.id;

export function can(actor: Account, action: Action, owned?: { ownerId: number | null }): boolean {
  const senior = actor.role === 'admin' || actor.role === 'editor';
  switch (action) {
    case 'article.create':
      return true;
    case 'article.edit':
    case 'article.delete':
      return senior || isOwner(actor, owned);
    case 'article.publish':
      return senior || (actor.role === 'author' && isOwner(actor, owned));
    case 'section.manage':
    case 'page.manage':
    case 'person.manage':
    case 'comment.moderate':
      return senior;
    default:
      return actor.role === 'admin';
  }
}

export function ensureCan(actor: Account, action: Action, owned?: { ownerId: number | null }): void {
  if (!can(actor, action, owned)) throw new AppError('forbidden', 'Your role does not allow this.');
}
