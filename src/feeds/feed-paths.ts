// Where each feed lives. Site feeds sit at the root; section, tag and author feeds under /feeds/, so
// that no feed address can collide with an article at /<section>/<slug>.
//   /feed.xml  /feed.atom  /feed.json                    the whole site (RSS 2.0, Atom 1.0, JSON Feed 1.1)
//   /feeds/section/<slug>.xml|.atom|.json                one section
//   /feeds/tag/<slug>.xml|.atom|.json                    one tag
//   /feeds/author/<slug>.xml|.atom|.json                 one author

export type FeedFormat = 'rss' | 'atom' | 'json';
export type FeedScope = { kind: 'site' } | { kind: 'section' | 'tag' | 'author'; slug: string };

export const FEED_EXTENSIONS: Record<FeedFormat, string> = { rss: 'xml', atom: 'atom', json: 'json' };

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/** Path of a feed, e.g. feedPath({ kind: 'section', slug: 'news' }, 'atom') -> "/feeds/section/news.atom". */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const ext = FEED_EXTENSIONS[format];
  return scope.kind === 'site' ? `/feed.${ext}` : `/feeds/${scope.kind}/${encodeURIComponent(scope.slug)}.${ext}`;
}

/** Reads "<slug>.<ext>" from a feed URL's last segment; null when the extension is not a feed's. */
export function parseFeedFile(file: string): { slug: string; format: FeedFormat } | null {
  const m = /^(.+)\.(xml|atom|json)$/.exec(file);
  if (!m) return null;
  const format = (Object.keys(FEED_EXTENSIONS) as FeedFormat[]).find((f) => FEED_EXTENSIONS[f] === m[2])!;
  return { slug: m[1]!, format };
}

/** <link rel="alternate"> entries announcing a scope's feeds on its pages. */
export function feedAlternates(scope: FeedScope, title: string): { href: string; type: string; title: string }[] {
  return (['rss', 'atom', 'json'] as const).map((format) => ({
    href: feedPath(scope, format),
    type: FEED_MEDIA_TYPES[format],
    title: `${title} (${format === 'rss' ? 'RSS' : format === 'atom' ? 'Atom' : 'JSON Feed'})`,
  }));
}
