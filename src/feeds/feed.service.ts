// Feeds as data: the newest published articles of the site, a section, a tag or an author, in a
// format-neutral model that rss.ts, atom.ts and json-feed.ts render. No Fastify here.
import { cardsFor } from '../articles/article.service.ts';
import type { ChangeKey, Db } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { getPerson } from '../people/person.service.ts';
import { getSection } from '../sections/section.service.ts';
import { getTag } from '../tags/tag.service.ts';
import { feedPath, type FeedFormat, type FeedScope } from './feed-paths.ts';
import { feedBodies, publishedIds, tagNamesOf, type ListFilter } from '../articles/article.lookups.ts';
import type { MediaStorage } from '../media/media.storage.ts';
import { socialImageFor, type CardColours } from '../media/social-card.ts';

/** Articles per feed. */
export const FEED_ITEMS = 20;

export interface FeedSite {
  name: string;
  publicUrl: string;
  language: string;
  feedContent: 'full' | 'excerpt';
  /** The theme's colours, for the cards of articles without a picture. */
  colours: CardColours;
}

/** An item's picture: its lead picture's social rendition or its generated card, absolute URL and all. */
export interface FeedImage {
  url: string;
  type: string;
  /** Bytes (the RSS enclosure's length). */
  length: number;
  width: number;
  height: number;
  alt: string;
}

export interface FeedItem {
  /** Permanent id: a tag: URI from the site's host, the article's creation day and its id. */
  id: string;
  url: string;
  title: string;
  /** Plain-text summary (subtitle or excerpt). */
  summary: string;
  /** The whole body as HTML, when the site publishes full content. */
  contentHtml: string | null;
  published: string;
  updated: string;
  language: string;
  authors: { name: string; url: string }[];
  categories: string[];
  section: string;
  imageUrl: string | null;
  image: FeedImage;
}

export interface Feed {
  id: string;
  title: string;
  description: string;
  language: string;
  /** The HTML page the feed follows. */
  homeUrl: string;
  /** Absolute URL of this feed in each format. */
  self: Record<FeedFormat, string>;
  /** Newest modification among the items (or the epoch for an empty feed). */
  updated: string;
  generator: string;
  items: FeedItem[];
  /**
   * What the feed shows from the store, as change keys: every article write announces `feeds`; the
   * names of sections, authors and tags change without one.
   */
  keys: ChangeKey[];
}

/** A tag: URI (RFC 4151) that stays the same when a headline, slug or section changes. */
export function entryId(publicUrl: string, createdAt: string, articleId: number): string {
  return `tag:${new URL(publicUrl).hostname},${createdAt.slice(0, 10)}:article:${articleId}`;
}

/** Resolves a scope to its title, description, language, page and listing filter; not_found when absent. */
async function describe(db: Db, site: FeedSite, scope: FeedScope) {
  switch (scope.kind) {
    case 'site':
      return { title: site.name, description: `The latest articles from ${site.name}`, language: site.language, path: '/', filter: {} as ListFilter, keys: [] };
    case 'section': {
      const s = await getSection(db, scope.slug);
      return { title: `${s.name} – ${site.name}`, description: s.description || s.name, language: s.language, path: s.path, filter: { sectionId: s.id }, keys: [key.section(s.id)] };
    }
    case 'tag': {
      const t = await getTag(db, scope.slug);
      return { title: `${t.name} – ${site.name}`, description: `Articles tagged “${t.name}”`, language: site.language, path: t.path, filter: { tagId: t.id }, keys: [key.tag(t.id)] };
    }
    case 'author': {
      const p = await getPerson(db, scope.slug);
      return { title: `${p.name} – ${site.name}`, description: p.bio || `Articles by ${p.name}`, language: site.language, path: p.path, filter: { personId: p.id }, keys: [key.author(p.id)] };
    }
  }
}

/** The feed of a scope: its newest published articles, newest first. */
export async function buildFeed(db: Db, site: FeedSite, scope: FeedScope, storage: MediaStorage): Promise<Feed> {
  const d = await describe(db, site, scope);
  const cards = await cardsFor(db, await publishedIds(db, d.filter, FEED_ITEMS));
  const ids = cards.map((a) => a.id);
  const [extraById, tags, images] = await Promise.all([
    feedBodies(db, ids),
    tagNamesOf(db, ids),
    Promise.all(cards.map((a) => socialImageFor(storage, a, { name: site.name, colours: site.colours }))),
  ]);
  const items: FeedItem[] = cards.map((a, i) => {
    const extra = extraById.get(a.id);
    const image = images[i]!;
    return {
      id: entryId(site.publicUrl, extra?.createdAt ?? a.publishedAt, a.id),
      url: site.publicUrl + a.path,
      title: a.headline,
      summary: a.subtitle || a.excerpt,
      contentHtml: site.feedContent === 'full' && extra ? extra.bodyHtml : null,
      published: a.publishedAt,
      updated: a.updatedAt,
      language: a.language,
      authors: a.authors.map((p) => ({ name: p.name, url: site.publicUrl + p.path })),
      categories: tags.get(a.id) ?? [],
      section: a.section.name,
      imageUrl: a.imageUrl,
      image: { url: site.publicUrl + image.path, type: image.type, length: image.size, width: image.width, height: image.height, alt: image.alt },
    };
  });
  const updated = items.reduce((max, i) => (i.updated > max ? i.updated : max), '1970-01-01T00:00:00.000Z');
  return {
    id: site.publicUrl + feedPath(scope, 'atom'),
    title: d.title,
    description: d.description,
    language: d.language,
    homeUrl: site.publicUrl + d.path,
    self: { rss: site.publicUrl + feedPath(scope, 'rss'), atom: site.publicUrl + feedPath(scope, 'atom'), json: site.publicUrl + feedPath(scope, 'json') },
    updated,
    generator: 'Gazette',
    items,
    // The items' lead pictures (alt text, files) change without an article write.
    keys: [key.feeds, key.sections, key.people, key.tags, ...d.keys, ...cards.flatMap((a) => (a.leadImage ? [key.image(a.leadImage.id)] : []))],
  };
}
