// Public URL paths of each kind of page, in one place so links and routes agree.
export const sectionPath = (slug: string) => `/${encodeURIComponent(slug)}/`;
export const articlePath = (sectionSlug: string, slug: string) => `/${encodeURIComponent(sectionSlug)}/${encodeURIComponent(slug)}`;
export const personPath = (slug: string) => `/author/${encodeURIComponent(slug)}/`;
export const tagPath = (slug: string) => `/tag/${encodeURIComponent(slug)}/`;
/** The feed of an article's approved comments. */
export const commentFeedPath = (articlePath: string) => `${articlePath}/comments.xml`;
/** Page `page` of a paginated listing at basePath ("/news/", "/"): the first page has no ?page=. */
export const listingPagePath = (basePath: string, page: number) => (page === 1 ? basePath : `${basePath}?page=${page}`);

/** A search page: the query, the filters that are set (in the order given) and the page when past the first. */
export function searchPath(query: string, filters: Readonly<Record<string, string>>, page = 1): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/search?${qs}` : '/search';
}

/**
 * Page `page` of an article's comments: the article's own address for the page it shows first
 * (`defaultPage`), `?cpage=N` for the others (decision 0016).
 */
export const commentPagePath = (articlePath: string, page: number, defaultPage: number) => (page === defaultPage ? articlePath : `${articlePath}?cpage=${page}`);
/** A comment's lasting address: it answers with a redirect to the page that holds the comment now. */
export const commentPermalinkPath = (id: number) => `/comments/${id}`;
/** `path` with one more query parameter; name and value must be URL-safe as given. */
export const withParam = (path: string, name: string, value: string | number) => `${path}${path.includes('?') ? '&' : '?'}${name}=${value}`;
