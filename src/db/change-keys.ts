// The change keys (see ChangeFeed in store.ts), spelled in one place: services announce them after a
// write, and every response that can be cached records the ones it was built from. A response is
// dropped when a key it recorded is announced, so a page must record every key whose change could
// change its bytes; when in doubt, a wider key (`articles`, `sections`) is the correct choice. `*`
// (EVERYTHING in store.ts) drops everything.
import type { ChangeKey } from './store.ts';

export const key = {
  /** One article as its page and its cards show it: text, dates, address, authors and tags listed, sources, "Check Also" pick, translations. */
  article: (id: number): ChangeKey => `article:${id}`,
  /** One article's approved comments (thread, count, feed) and whether it takes comments. */
  comments: (articleId: number): ChangeKey => `comments:${articleId}`,
  /** One section's page: its name and description, and which published articles it lists. */
  section: (id: number): ChangeKey => `section:${id}`,
  /** One tag's page: its name, and which published articles it lists. */
  tag: (id: number): ChangeKey => `tag:${id}`,
  /** One author's page: name and bio, and which published articles it lists. */
  author: (id: number): ChangeKey => `author:${id}`,
  /** Which sections exist, with their names, descriptions, languages and order (every page's navigation). */
  sections: 'sections' as ChangeKey,
  /**
   * Which people exist, with their names and bios, for pages that show an author's name without
   * being about the author (bylines). Not announced by article writes, unlike `author:<id>`.
   */
  people: 'people' as ChangeKey,
  /** Tag names, for pages that show them without being about the tag; announced when a tag is renamed. */
  tags: 'tags' as ChangeKey,
  /** Which articles exist, at which addresses and dates: announced by every article write. */
  articles: 'articles' as ChangeKey,
  /** What the home page lists. */
  home: 'home' as ChangeKey,
  /** The article feeds (site, section, tag, author). */
  feeds: 'feeds' as ChangeKey,
  /** The sitemaps. */
  sitemaps: 'sitemaps' as ChangeKey,
  /** Search results. */
  search: 'search' as ChangeKey,
  /**
   * One picture of the media library: its files' addresses, alt text, caption and credit. Every page that
   * shows it (article, cards, feeds, social tags) records it; edits, replaced files and deletion announce it.
   */
  image: (id: number): ChangeKey => `image:${id}`,
  /** One static page at /<slug> (About, Contact…): its title, body and whether it is published. */
  page: (id: number): ChangeKey => `page:${id}`,
  /** Which static pages exist at which slugs: what could make a missing /<slug> exist. */
  pages: 'pages' as ChangeKey,
  /** The site settings (name, description, language, time zone, logo, navigation and footer links): every page's chrome. */
  settings: 'settings' as ChangeKey,
  /** Every computed "Check Also" list at once (`gazette reindex` recomputes them all). */
  related: 'related' as ChangeKey,
  /**
   * Which webhook endpoints exist and what they take (no page records it): the webhook worker, which
   * skips looking for deliveries on a change while no endpoint is active, looks again when it hears it.
   */
  webhooks: 'webhooks' as ChangeKey,
} as const;
