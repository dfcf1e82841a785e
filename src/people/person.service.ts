// Authors as the rest of the application sees them.
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import type { Db, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { PersonRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { isLinkUrl } from '../lib/links.ts';
import { personPath } from '../lib/paths.ts';
import { isSlug, lowerAscii, slugify } from '../lib/slug.ts';
import { isLanguageTag } from '../sections/section.service.ts';
import * as repo from './person.repository.ts';
import { findPeopleBySlug, findPersonBySlug, upsertPerson, type PersonBasics } from './person.repository.ts';

/** A link on an author's profile. */
export interface ProfileLink {
  label: string;
  url: string;
}

/**
 * Someone who can be bylined: a staff account's person or a contributor with no account at all (the
 * people table knows nothing of accounts; an account points at its person).
 */
export interface Person {
  id: number;
  slug: string;
  name: string;
  bio: string;
  url: string | null;
  photoUrl: string | null;
  links: ProfileLink[];
  /** Language tags the person writes in. */
  languages: string[];
  path: string;
}

function readLinks(json: string): ProfileLink[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((l): l is ProfileLink => typeof l?.label === 'string' && typeof l?.url === 'string') : [];
  } catch {
    return [];
  }
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  bio: r.bio,
  url: r.url,
  photoUrl: r.photo_url,
  links: readLinks(r.links),
  languages: r.languages ? r.languages.split(',') : [],
  path: personPath(r.slug),
});

/** The author with this slug, if any. */
export async function findPerson(db: Db, slug: string): Promise<Person | null> {
  const row = await findPersonBySlug(db, slug);
  return row ? toPerson(row) : null;
}

/** The authors with these slugs, by slug (unknown slugs are absent). */
export async function findPeople(db: Db, slugs: readonly string[]): Promise<Map<string, Person>> {
  return new Map((await findPeopleBySlug(db, [...new Set(slugs)])).map((r) => [r.slug, toPerson(r)]));
}

/** The author with this slug, or a not_found error. */
export async function getPerson(db: Db, slug: string): Promise<Person> {
  const row = await findPersonBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no author at this address.');
  return toPerson(row);
}

/**
 * Creates the person or updates the one with this slug. Bylines show people's names on pages that are
 * not about them, so this announces `people` besides the author's own key.
 */
export async function definePerson(store: Store, person: PersonBasics): Promise<number> {
  const id = await upsertPerson(store.db, person);
  store.changes.announce([key.author(id), key.people]);
  return id;
}

/** definePerson's write on `db` (an importer's transaction); the caller announces `people`. */
export function definePersonIn(db: Db, person: PersonBasics): Promise<number> {
  return upsertPerson(db, person);
}

// Profiles edited on screen (issue 11, part 7).

/** What an editor sets on a profile; an empty slug is made from the name. */
export interface PersonDraft {
  slug: string;
  name: string;
  bio: string;
  url: string;
  photoUrl: string;
  links: ProfileLink[];
  languages: string[];
}

const MAX_PERSON_NAME = 120;
const MAX_BIO = 5000;
const MAX_PROFILE_LINKS = 10;

/** The person with this id, or a not_found error. */
export async function getPersonById(db: Db, id: number): Promise<Person> {
  const row = await repo.findPersonById(db, id);
  if (!row) throw new AppError('not_found', 'There is no such person.');
  return toPerson(row);
}

/** Everyone who can be bylined, by name. */
export async function listPeople(db: Db): Promise<Person[]> {
  return (await repo.listPersonRows(db)).map(toPerson);
}

function tidyPerson(d: PersonDraft): PersonDraft {
  const name = d.name.trim();
  return {
    name,
    slug: lowerAscii(d.slug.trim()) || slugify(name),
    bio: d.bio.trim(),
    url: d.url.trim(),
    photoUrl: d.photoUrl.trim(),
    links: d.links.map((l) => ({ label: l.label.trim(), url: l.url.trim() })),
    languages: [...new Set(d.languages.map((l) => l.trim()).filter(Boolean))],
  };
}

async function personProblems(db: Db, d: PersonDraft, id: number | null): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  if (!d.name) fields.name = 'Enter a name.';
  else if (d.name.length > MAX_PERSON_NAME) fields.name = `Use at most ${MAX_PERSON_NAME} characters.`;
  if (!d.slug) fields.slug = 'Enter a slug.';
  else if (!isSlug(d.slug)) fields.slug = 'Use lower-case letters and digits joined by hyphens, e.g. "maya-haddad".';
  else {
    const holder = await findPersonBySlug(db, d.slug);
    if (holder && holder.id !== id) fields.slug = `${holder.name} already has this slug.`;
  }
  if (d.bio.length > MAX_BIO) fields.bio = `Use at most ${MAX_BIO} characters.`;
  if (d.url && !/^https?:/.test(d.url)) fields.url = 'The website’s address must start with https:// or http://.';
  else if (d.url && !isLinkUrl(d.url)) fields.url = 'Enter a whole address, e.g. https://example.org/.';
  if (d.photoUrl && !(isLinkUrl(d.photoUrl) && !d.photoUrl.startsWith('mailto:'))) fields.photoUrl = 'The photo’s address must start with https://, http:// or /.';
  if (d.links.length > MAX_PROFILE_LINKS) fields.links = `Use at most ${MAX_PROFILE_LINKS} links.`;
  else {
    const bad = d.links.findIndex((l) => !l.label || l.label.length > 60 || !isLinkUrl(l.url));
    if (bad !== -1) fields.links = `Link ${bad + 1}: write a label of 1 to 60 characters and an address starting with https://, http://, mailto: or /.`;
  }
  const badLanguage = d.languages.find((l) => !isLanguageTag(l));
  if (badLanguage !== undefined) fields.languages = `"${badLanguage}" is not a language tag; use tags such as "en", "ar" or "fa".`;
  return fields;
}

function refuseIf(fields: Record<string, string>): void {
  if (Object.keys(fields).length) throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
}

function personRow(d: PersonDraft): Omit<PersonRow, 'id'> {
  return { slug: d.slug, name: d.name, bio: d.bio, url: d.url || null, photo_url: d.photoUrl || null, links: JSON.stringify(d.links), languages: d.languages.join(',') };
}

/** Adds someone who can be bylined (with or without a staff account). */
export async function createPerson(store: Store, actor: Account, input: PersonDraft): Promise<Person> {
  ensureCan(actor, 'person.manage');
  const draft = tidyPerson(input);
  const id = await store.writeTransaction(async (trx) => {
    refuseIf(await personProblems(trx, draft, null));
    const newId = await repo.insertPerson(trx, personRow(draft));
    await recordAudit(trx, { actorId: actor.id, action: 'person.create', subject: `person:${newId}`, details: { slug: draft.slug, name: draft.name } });
    return newId;
  });
  store.changes.announce([key.author(id), key.people]);
  return getPersonById(store.db, id);
}

/** Changes a profile: name, slug, bio, photo, links, languages. */
export async function updatePerson(store: Store, actor: Account, id: number, input: PersonDraft): Promise<Person> {
  ensureCan(actor, 'person.manage');
  const draft = tidyPerson(input);
  await store.writeTransaction(async (trx) => {
    const before = await repo.findPersonById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such person.');
    refuseIf(await personProblems(trx, draft, id));
    await repo.updatePersonRow(trx, id, personRow(draft));
    await recordAudit(trx, { actorId: actor.id, action: 'person.update', subject: `person:${id}`, details: { before: { slug: before.slug, name: before.name }, after: { slug: draft.slug, name: draft.name } } });
  });
  // Bylines everywhere (`people`); a new slug moves the author's page and their articles' author links.
  store.changes.announce([key.author(id), key.people, key.articles, key.feeds]);
  return getPersonById(store.db, id);
}
