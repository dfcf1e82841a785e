// Who may do what in the newsroom (issue 11). One table of rules, asked by every service before it acts,
// so the web editor, the CLI and the coming API enforce the same thing; the interface only hides what
// these rules refuse anyway.
import { AppError } from '../errors.ts';
import type { Role } from '../db/schema.ts';

export type { Role } from '../db/schema.ts';

export const ROLES: readonly Role[] = ['admin', 'editor', 'author', 'contributor'];

/** A signed-in staff member, as services see them. */
export interface Account {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** The byline (people row) this account writes as, when linked. */
  personId: number | null;
}

export type Action =
  | 'article.create'
  | 'article.edit'
  | 'article.publish'
  | 'article.delete'
  | 'article.pin'
  | 'media.replace'
  | 'section.manage'
  | 'page.manage'
  | 'person.manage'
  | 'comment.moderate'
  | 'user.manage'
  | 'settings.manage'
  | 'audit.view';

/** Something an account may own (an article): its owner's account id, null when nobody owns it. */
export interface Owned {
  ownerId: number | null;
}

type Rule = 'any' | 'own' | 'never';

const RULES: Record<Action, Record<Role, Rule>> = {
  'article.create': { admin: 'any', editor: 'any', author: 'any', contributor: 'any' },
  'article.edit': { admin: 'any', editor: 'any', author: 'own', contributor: 'own' },
  'article.publish': { admin: 'any', editor: 'any', author: 'own', contributor: 'never' },
  'article.delete': { admin: 'any', editor: 'any', author: 'own', contributor: 'own' },
  // Pinning to the home page places an article above everyone's: the editors' call (decision 0033).
  'article.pin': { admin: 'any', editor: 'any', author: 'never', contributor: 'never' },
  // Replacing or deleting a library picture changes every article that shows it: editors, or whoever uploaded it.
  'media.replace': { admin: 'any', editor: 'any', author: 'own', contributor: 'own' },
  'section.manage': { admin: 'any', editor: 'any', author: 'never', contributor: 'never' },
  'page.manage': { admin: 'any', editor: 'any', author: 'never', contributor: 'never' },
  'person.manage': { admin: 'any', editor: 'any', author: 'never', contributor: 'never' },
  'comment.moderate': { admin: 'any', editor: 'any', author: 'never', contributor: 'never' },
  'user.manage': { admin: 'any', editor: 'never', author: 'never', contributor: 'never' },
  'settings.manage': { admin: 'any', editor: 'never', author: 'never', contributor: 'never' },
  'audit.view': { admin: 'any', editor: 'never', author: 'never', contributor: 'never' },
};

/** Whether the account may take the action (on this owned thing, for the actions that depend on owning it). */
export function can(actor: Account, action: Action, owned?: Owned): boolean {
  const rule = RULES[action][actor.role];
  if (rule === 'any') return true;
  if (rule === 'never') return false;
  return owned !== undefined && owned.ownerId !== null && owned.ownerId === actor.id;
}

/** Throws a 403 AppError unless the account may take the action. */
export function ensureCan(actor: Account, action: Action, owned?: Owned): void {
  if (!can(actor, action, owned)) throw new AppError('forbidden', `Your role (${actor.role}) does not allow this (${action}).`);
}

const ROLE_WORDS: Record<Role, string> = {
  admin: 'Administrator: the site, its settings and its staff accounts, and everything editors do',
  editor: 'Editor: every article, sections, pages, authors and comment moderation',
  author: 'Author: writes and publishes their own articles',
  contributor: 'Contributor: writes drafts and submits them for review; cannot publish',
};

/** One line telling what a role may do, for the staff screens and the CLI. */
export const describeRole = (role: Role): string => ROLE_WORDS[role];
