// The article service's answers about addresses: every published article's address and modification
// time (sitemaps), translation groups (hreflang), recent publications (the news sitemap), and when
// listings last changed. Other capabilities ask here instead of reading the article tables.
import type { Db } from '../db/store.ts';
import { articlePath } from '../lib/paths.ts';
import * as repo from './address.repository.ts';

export interface ArticleAddress {
  id: number;
  path: string;
  language: string;
  updatedAt: string;
  /** The original of the article's translation group (its own id when it is the original). */
  groupId: number;
}

const toAddress = (r: repo.ArticleUrlRow): ArticleAddress => ({
  id: r.id,
  path: articlePath(r.section_slug, r.slug),
  language: r.language,
  updatedAt: r.updated_at,
  groupId: r.group_id,
});

/** One page of published articles in id order (ids are stable, so an article keeps its sitemap file). */
export async function publishedAddressPage(db: Db, limit: number, offset: number): Promise<ArticleAddress[]> {
  return (await repo.articleUrlPage(db, limit, offset)).map(toAddress);
}

/** The next published articles in id order after the given id. */
export async function publishedAddressesAfter(db: Db, afterId: number, limit: number): Promise<ArticleAddress[]> {
  return (await repo.articleUrlsAfter(db, afterId, limit)).map(toAddress);
}

/** The newest modification time among the published articles of one such page. */
export const pageLastModified = repo.pageLastModified;

/** The newest modification time of any published article. */
export const lastModified = repo.lastModifiedOverall;

/**
 * Published members of those of the given translation groups that have a translation, keyed by group.
 * Asked for a few thousand groups at a time (a sitemap file's batch of rows), so what is held never
 * grows with the archive.
 */
export async function translationGroupsOf(db: Db, groupIds: readonly number[]): Promise<Map<number, ArticleAddress[]>> {
  const out = new Map<number, ArticleAddress[]>();
  const unique = [...new Set(groupIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const translated = await repo.translatedAmong(db, unique.slice(i, i + 500));
    for (const m of await repo.groupMembers(db, translated)) {
      let members = out.get(m.group_id);
      if (!members) out.set(m.group_id, (members = []));
      members.push(toAddress(m));
    }
  }
  return out;
}

export interface Translation {
  language: string;
  path: string;
}

/** The published members of a translation group (keyed by its original's id); empty when it has one member. */
export async function translationsOfGroup(db: Db, group: number): Promise<Translation[]> {
  const members = await repo.groupMembers(db, [group]);
  return members.length > 1 ? members.map((m) => ({ language: m.language, path: articlePath(m.section_slug, m.slug) })) : [];
}

export interface RecentArticle {
  path: string;
  language: string;
  headline: string;
  publishedAt: string;
}

/** Articles published at or after a time, newest first. */
export async function publishedSince(db: Db, sinceIso: string, limit: number): Promise<RecentArticle[]> {
  return (await repo.publishedSince(db, sinceIso, limit)).map((r) => ({ path: articlePath(r.section_slug, r.slug), language: r.language, headline: r.headline, publishedAt: r.published_at }));
}

export interface ListingChange {
  slug: string;
  /** Newest modification among its published articles; null for a section with none. */
  last: string | null;
}

/** When each section, tag and author listing last changed (tags and authors only with published articles). */
export async function listingChanges(db: Db): Promise<{ sections: ListingChange[]; tags: ListingChange[]; authors: ListingChange[] }> {
  const [sections, tags, authors] = await Promise.all([repo.sectionListings(db), repo.tagListings(db), repo.authorListings(db)]);
  return { sections, tags, authors };
}
