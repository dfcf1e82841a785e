// What a WordPress post says about its search and social texts and its place on the front page (issue 14,
// decision 0033): the SEO title and description from the custom fields of the common SEO plugins, and
// WordPress's sticky mark, as the fields of Gazette's article (seoTitle, seoDescription, homePinned).
//
// The plugins let editors write templates: `%%title%% %%sep%% %%sitename%%` (Yoast, SEOPress),
// `%title% %sep% %sitename%` (Rank Math, the old All in One SEO Pack), `#post_title #separator_sa
// #site_title` (All in One SEO 4). A variable whose value the export tells (the post's title, excerpt,
// category, author, the site's name) is expanded; any other is removed, so a reader never sees one raw.
// A value that holds nothing but variables and separators only restates what Gazette shows anyway (the
// headline and the site's name, the subtitle or excerpt), and is dropped so the article keeps following
// its headline.
import { SEO_DESCRIPTION_MAX, SEO_TITLE_MAX } from '../articles/article.seo.ts';
import { wordpressToText } from './wp-content.ts';
import type { WxrDocument, WxrItem } from './wxr.parser.ts';

/** The custom fields each plugin keeps a post's title and description in, in the order they are tried. */
const PLUGIN_FIELDS: readonly { plugin: string; title: string; description: string }[] = [
  { plugin: 'Yoast SEO', title: '_yoast_wpseo_title', description: '_yoast_wpseo_metadesc' },
  { plugin: 'Rank Math', title: 'rank_math_title', description: 'rank_math_description' },
  { plugin: 'All in One SEO', title: '_aioseo_title', description: '_aioseo_description' },
  { plugin: 'All in One SEO Pack (before 4)', title: '_aioseop_title', description: '_aioseop_description' },
  { plugin: 'SEOPress', title: '_seopress_titles_title', description: '_seopress_titles_desc' },
  { plugin: 'The SEO Framework', title: '_genesis_title', description: '_genesis_description' },
];

/** What a template variable may stand for in one post. */
export interface SeoContext {
  title: string;
  excerpt: string;
  siteName: string;
  category: string;
  author: string;
}

/** The separator a template's `sep` becomes: the one Gazette puts between a headline and the site's name. */
const SEPARATOR = '–';

/**
 * The value of a variable, by its name without markers or plugin prefix; undefined when the export
 * does not tell it (the page number, the focus keyword, a date in the site's format, a custom field…).
 */
function variableValue(name: string, c: SeoContext): string | undefined {
  const n = name.toLowerCase().replace(/^(post|page)_?/, '');
  switch (n) {
    case 'title':
      return c.title;
    case 'sitename':
    case 'sitetitle':
    case 'site_title':
    case 'blog_title':
      return c.siteName;
    case 'sep':
    case 'separator':
    case 'separator_sa':
      return SEPARATOR;
    case 'excerpt':
    case 'excerpt_only':
      return c.excerpt;
    case 'category':
    case 'primary_category':
    case 'categories':
    case 'category_title':
      return c.category;
    case 'name':
    case 'author':
    case 'author_name':
      return c.author;
    default:
      return undefined;
  }
}

// All in One SEO 4 writes `#post_title`: only its own names are variables, so a "#1" or a hashtag stays text.
const AIOSEO_TAGS = [
  'post_title', 'post_excerpt', 'post_excerpt_only', 'post_content', 'post_date', 'post_day', 'post_month', 'post_year',
  'site_title', 'tagline', 'separator_sa', 'author_name', 'author_first_name', 'author_last_name', 'author_bio',
  'categories', 'category', 'category_title', 'taxonomy_title', 'current_date', 'current_day', 'current_month',
  'current_year', 'page_number', 'permalink', 'post_link', 'post_link_alt', 'site_link', 'site_link_alt',
  'parent_title', 'archive_title', 'archive_date', 'search_term', 'tax_name', 'custom_field',
];
// Longest names first, so `#post_excerpt_only` is not read as `#post_excerpt` followed by "_only".
const AIOSEO_TAG = new RegExp(`#(${[...AIOSEO_TAGS].sort((a, b) => b.length - a.length).join('|')})(?:-[\\w-]+)?(?![\\w-])`);
/** `%%title%%`, `%%cf_name%%`, `%%ct_desc_x%%`… (Yoast, SEOPress). */
const DOUBLE_PERCENT = /%%([a-z0-9_]+)%%/.source;
/** `%title%`, `%customfield(name)%` (Rank Math, the old All in One SEO Pack). */
const SINGLE_PERCENT = /%([a-z_]+)(?:\([^)%]*\))?%/.source;
/** Any other `%%…%%` pair: a marker of a variable no plugin above names, which must not reach a reader either. */
const LEFTOVER = /%%[^%\s]*%%/.source;
/** Every kind of variable, found in one pass, so that a value put in is never read as a variable again. */
const VARIABLE = new RegExp(`${DOUBLE_PERCENT}|${SINGLE_PERCENT}|${AIOSEO_TAG.source}|${LEFTOVER}`, 'gi');

/** The template with each variable it knows replaced and every other removed. */
export function expandTemplate(template: string, c: SeoContext): string {
  return template.replace(VARIABLE, (_match: string, double?: string, single?: string, aioseo?: string) => {
    const name = double ?? single ?? aioseo;
    return name === undefined ? '' : (variableValue(name, c) ?? '');
  });
}

/** Whether a template holds no text of its own: only variables, separators and spaces. */
function onlyVariables(template: string): boolean {
  return !/[\p{L}\p{N}]/u.test(template.replace(VARIABLE, ''));
}

// Separators and spaces a removed variable leaves dangling at either end ("Title – ", " | Site").
const DANGLING = /^[\s\-–—|·•:,;/]+|[\s\-–—|·•:,;/]+$/g;

/** One line: controls and repeated spaces gone, no dangling separator, cut to `max` at a space when it can. */
function oneLine(text: string, max: number): string {
  const plain = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(DANGLING, '');
  if (plain.length <= max) return plain;
  // Cut at the last space that keeps it within the limit, without leaving a dangling separator.
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(DANGLING, '');
}

/** A plugin's value made into the text Gazette keeps: '' when it only restates the defaults. */
export function seoText(raw: string, c: SeoContext, max: number): string {
  // Entities and any markup are undone first, so the values put in are never decoded a second time.
  const template = wordpressToText(raw);
  if (!template || onlyVariables(template)) return '';
  return oneLine(expandTemplate(template, c), max);
}

const metaOf = (item: WxrItem, key: string): string => item.postmeta.find((m) => m.key === key)?.value ?? '';

/** The context the templates of a post are expanded in. */
export function seoContextOf(item: WxrItem, doc: Pick<WxrDocument, 'title' | 'authors'>): SeoContext {
  const login = item.creator.trim();
  const author = doc.authors.find((a) => a.login.trim() === login);
  return {
    title: wordpressToText(item.title),
    excerpt: wordpressToText(item.excerpt),
    siteName: wordpressToText(doc.title),
    category: item.terms.find((t) => t.domain === 'category')?.name.trim() ?? '',
    author: author?.displayName.trim() || login,
  };
}

/**
 * The SEO title and description of a WordPress post (the first plugin that gives one, each text on its
 * own) and whether it was sticky, as the fields of an article.
 */
export function wordpressSeo(item: WxrItem, doc: Pick<WxrDocument, 'title' | 'authors'>): { seoTitle: string; seoDescription: string; homePinned: boolean } {
  const c = seoContextOf(item, doc);
  const first = (field: 'title' | 'description', max: number) => {
    for (const p of PLUGIN_FIELDS) {
      const text = seoText(metaOf(item, p[field]), c, max);
      if (text) return text;
    }
    return '';
  };
  return { seoTitle: first('title', SEO_TITLE_MAX), seoDescription: first('description', SEO_DESCRIPTION_MAX), homePinned: item.isSticky.trim() === '1' };
}
