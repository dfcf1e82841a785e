// Public URL paths of each kind of page, in one place so links and routes agree.
export const sectionPath = (slug: string) => `/${encodeURIComponent(slug)}/`;
export const articlePath = (sectionSlug: string, slug: string) => `/${encodeURIComponent(sectionSlug)}/${encodeURIComponent(slug)}`;
export const personPath = (slug: string) => `/author/${encodeURIComponent(slug)}/`;
export const tagPath = (slug: string) => `/tag/${encodeURIComponent(slug)}/`;
