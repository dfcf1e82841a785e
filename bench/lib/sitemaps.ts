// The sitemap files as a crawler finds them: the index at /sitemap.xml and the files it names. The
// bench times the files the index lists rather than a fixed list of names: how many article files
// there are depends on the corpus (one per 50,000 published articles), so a fixed
// `/sitemaps/articles-2.xml` answers 404, rightly, on a corpus of fewer than 50,001 articles.
import { request } from './http.ts';
import { valid, type Check } from './scenario.ts';

/** The paths of the <loc> elements of a sitemap or sitemap index, in document order. */
export function locPaths(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&')).pathname);
}

const ARTICLE_FILE = /^\/sitemaps\/articles-(\d+)\.xml$/;

/** The paths of the files the server's sitemap index names, in its order. */
export async function listedSitemaps(baseUrl: string): Promise<string[]> {
  const index = await request(`${baseUrl}/sitemap.xml`);
  if (index.status !== 200) throw new Error(`/sitemap.xml answered ${index.status}`);
  return locPaths(index.body.toString('utf8'));
}

/**
 * What the article files the index lists hold, against the number of published articles: the index
 * lists the files 1..n with no gap, each answers 200, the file after the last answers 404, and the
 * files together list every published article exactly once.
 */
export async function articleSitemapChecks(baseUrl: string, listed: readonly string[], published: number): Promise<Check[]> {
  const files = listed.filter((p) => ARTICLE_FILE.test(p));
  const numbers = files.map((p) => Number(ARTICLE_FILE.exec(p)![1]));
  const checks: Check[] = [
    valid('the sitemap index lists article files 1..n with no gap', numbers.length > 0 && numbers.every((n, i) => n === i + 1), '1..n', numbers.join(',') || 'none'),
  ];
  const urls: string[] = [];
  const failed: string[] = [];
  for (const file of files) {
    const res = await request(baseUrl + file);
    if (res.status !== 200) failed.push(`${file} ${res.status}`);
    else urls.push(...locPaths(res.body.toString('utf8')));
  }
  checks.push(valid('every article file the index lists answers 200', failed.length === 0, '200', failed.join(', ') || '200'));
  const after = `/sitemaps/articles-${numbers.length + 1}.xml`;
  const past = await request(baseUrl + after);
  checks.push(valid(`the article file after the last listed (${after}) answers 404`, past.status === 404, '404', String(past.status)));
  const distinct = new Set(urls).size;
  checks.push(
    valid(
      'the article files list every published article once',
      urls.length === published && distinct === published,
      `${published} URLs, all distinct`,
      `${urls.length} URLs, ${distinct} distinct`,
    ),
  );
  return checks;
}
