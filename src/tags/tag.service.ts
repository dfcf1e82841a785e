// Tags as the rest of the application sees them.
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { key } from '../db/change-keys.ts';
import type { Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { tagPath } from '../lib/paths.ts';
import { isSlug, lowerAscii, slugify } from '../lib/slug.ts';
import * as repo from './tag.repository.ts';
import { findTagBySlug, upsertTag, upsertTags } from './tag.repository.ts';

export interface Tag {
  id: number;
  slug: string;
  name: string;
  path: string;
}

/**
 * The id of the tag with this name's slug, made when there is none; a tag spelled differently is
 * renamed to this spelling (`renamed` then says so: every page showing it changes). Runs in the
 * caller's transaction; article writes are what make tags, and they announce the change.
 */
export async function ensureTag(db: Db, slug: string, name: string): Promise<{ id: number; renamed: boolean }> {
  const existing = await findTagBySlug(db, slug);
  // A tag already spelled so is left as it is: rewritten unchanged, its row would only gain a version.
  if (existing?.name === name) return { id: existing.id, renamed: false };
  return { id: await upsertTag(db, { slug, name }), renamed: Boolean(existing) };
}

/**
 * ensureTag for many tags at once (a bulk load, which announces every change itself): one statement.
 * When one slug is given twice the last spelling wins, as it would with one ensureTag after another.
 * Returns each slug's id.
 */
export async function ensureTags(db: Db, tags: readonly { slug: string; name: string }[]): Promise<Map<string, number>> {
  const wanted = new Map<string, string>();
  for (const t of tags) {
    wanted.delete(t.slug);
    wanted.set(t.slug, t.name);
  }
  return upsertTags(db, [...wanted].map(([slug, name]) => ({ slug, name })));
}

/** The tag with this slug, or a not_found error. */
export async function getTag(db: Db, slug: string): Promise<Tag> {
  const row = await findTagBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no tag at this address.');
  return { ...row, path: tagPath(row.slug) };
}

// Managing tags on screen (issue 11, part 7). Article pages that list a tag record `tags`, its own page
// `tag:<id>`; a renamed or deleted tag announces both, and `articles` since its articles' tag lists change.

/** What an editor sets on a tag; an empty slug is made from the name. */
export interface TagDraft {
  slug: string;
  name: string;
}

const MAX_TAG_NAME = 80;

const toTag = (r: { id: number; slug: string; name: string }): Tag => ({ ...r, path: tagPath(r.slug) });

/** Every tag by name, for the editor's list. */
export async function listTags(db: Db): Promise<Tag[]> {
  return (await repo.listTagRows(db)).map(toTag);
}

/** The tag with this id, or a not_found error. */
export async function getTagById(db: Db, id: number): Promise<Tag> {
  const row = await repo.findTagById(db, id);
  if (!row) throw new AppError('not_found', 'There is no such tag.');
  return toTag(row);
}

function tidyTag(input: TagDraft): TagDraft {
  const name = input.name.trim();
  return { name, slug: lowerAscii(input.slug.trim()) || slugify(name) };
}

async function tagProblems(db: Db, d: TagDraft, id: number | null): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  if (!d.name) fields.name = 'Enter a name.';
  else if (d.name.length > MAX_TAG_NAME) fields.name = `Use at most ${MAX_TAG_NAME} characters.`;
  if (!d.slug) fields.slug = 'Enter a slug.';
  else if (!isSlug(d.slug)) fields.slug = 'Use lower-case letters and digits joined by hyphens, e.g. "elections".';
  else {
    const holder = await repo.findTagBySlug(db, d.slug);
    if (holder && holder.id !== id) fields.slug = `The tag “${holder.name}” already has this slug.`;
  }
  return fields;
}

function refuseIf(fields: Record<string, string>): void {
  if (Object.keys(fields).length) throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
}

/** Creates a tag no article has yet. */
export async function createTag(store: Store, actor: Account, input: TagDraft): Promise<Tag> {
  ensureCan(actor, 'section.manage');
  const draft = tidyTag(input);
  const id = await store.writeTransaction(async (trx) => {
    refuseIf(await tagProblems(trx, draft, null));
    const newId = await repo.insertTag(trx, draft);
    await recordAudit(trx, { actorId: actor.id, action: 'tag.create', subject: `tag:${newId}`, details: { ...draft } });
    return newId;
  });
  // A cached 404 at /tag/<slug>/ waits for `articles`.
  store.changes.announce([key.tag(id), key.tags, key.articles]);
  return getTagById(store.db, id);
}

/** Renames a tag (name and slug): every page listing it shows the new name. */
export async function updateTag(store: Store, actor: Account, id: number, input: TagDraft): Promise<Tag> {
  ensureCan(actor, 'section.manage');
  const draft = tidyTag(input);
  await store.writeTransaction(async (trx) => {
    const before = await repo.findTagById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such tag.');
    refuseIf(await tagProblems(trx, draft, id));
    await repo.updateTagRow(trx, id, draft);
    await recordAudit(trx, { actorId: actor.id, action: 'tag.update', subject: `tag:${id}`, details: { before: { slug: before.slug, name: before.name }, after: { ...draft } } });
  });
  store.changes.announce([key.tag(id), key.tags, key.articles, key.feeds]);
  return getTagById(store.db, id);
}

/** Deletes a tag and takes it off its articles. */
export async function deleteTag(store: Store, actor: Account, id: number): Promise<void> {
  ensureCan(actor, 'section.manage');
  await store.writeTransaction(async (trx) => {
    const before = await repo.findTagById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such tag.');
    await repo.deleteTagRow(trx, id);
    await recordAudit(trx, { actorId: actor.id, action: 'tag.delete', subject: `tag:${id}`, details: { slug: before.slug, name: before.name } });
  });
  store.changes.announce([key.tag(id), key.tags, key.articles, key.feeds, key.search]);
}
