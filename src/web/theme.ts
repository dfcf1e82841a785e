// The theme, as routes see it: one object that frames every page and draws each page's main content from
// the services' models as they are. Routes reach it through site.theme (src/web/site.ts) and never import
// a theme's files; the default theme is src/web/theme/. A theme takes the models' types only, calls no
// service and reads no request, and takes its words from src/web/i18n/ (decision 0012).
import type { Article, ArticleCard, Page } from '../articles/article.service.ts';
import type { FieldIssue, FieldName, RejectionProblem } from '../comments/comment.errors.ts';
import type { ThreadView } from '../comments/comment.service.ts';
import type { SafeHtml } from '../lib/html.ts';
import type { Person } from '../people/person.service.ts';
import type { StaticPage } from '../pages/page.service.ts';
import type { SearchOutcome } from '../search/search.service.ts';
import type { CardColours } from '../media/social-card.ts';

/** What every page shows besides its own content. */
export interface SiteChrome {
  siteName: string;
  /** The site's description from its settings; may be empty. */
  description: string;
  /** URL of the site's logo from its settings, shown in the masthead; null for the name alone. */
  logo: string | null;
  publicUrl: string;
  stylesheet: string;
  icon: string;
  sections: { name: string; path: string; language: string }[];
  /** Links the settings add to the navigation, after the sections. */
  links: ChromeLink[];
  /** Links the settings put in the footer. */
  footerLinks: ChromeLink[];
  /** The site's own feeds, announced on every page. */
  feeds: readonly Alternate[];
}

/** A link of the navigation or the footer: an http(s) or mailto: URL or a path on the site. */
export interface ChromeLink {
  label: string;
  href: string;
}

/** A page's head: its language, title, canonical path and what describes it to machines. */
export interface PageMeta {
  language: string;
  title: string;
  description: string;
  /**
   * The whole <title> as an editor wrote it for search and social sites (an article's SEO title), used as
   * it is (no site name added) and as the og: and twitter: title; `title` stays the page's own.
   */
  seoTitle?: string | undefined;
  /** Path of the page's canonical URL, e.g. "/news/". */
  path: string;
  ogType?: 'website' | 'article' | 'profile';
  /** The page's picture for social sites: an address, or the picture with its size and text (og:image:width…). */
  image?: string | PageImage | null;
  jsonLd?: object | null;
  article?: { publishedAt: string; updatedAt: string; section: string; tags: string[] };
  /** Search engines should not index this page (errors, deep pagination). */
  noindex?: boolean;
  prev?: string | null;
  next?: string | null;
  /** <link rel="alternate"> entries: feeds of this page (type + title) and translations (hreflang). Paths or absolute URLs. */
  alternates?: Alternate[];
}

/** A page's social picture, absolute URL and all. */
export interface PageImage {
  url: string;
  width: number;
  height: number;
  type: string;
  alt: string;
}

export interface Alternate {
  href: string;
  type?: string;
  title?: string;
  hreflang?: string;
}

/** A section, tag or author page. */
export interface ListingView {
  language: string;
  title: string;
  description?: string;
  basePath: string;
  page: Page<ArticleCard>;
  /** On an author's page: their profile. */
  profile?: Person;
}

/** The front page: the latest articles, then the newest of each section. */
export interface HomeView {
  language: string;
  siteName: string;
  latest: Page<ArticleCard>;
  sections: { name: string; path: string; language: string; items: ArticleCard[] }[];
}

/** What the reader is told after posting: ?comment=held or ?comment=approved. */
export type CommentNotice = 'held' | 'approved';

/** What an article page shows about comments. */
export interface CommentsSectionView {
  articleId: number;
  articlePath: string;
  language: string;
  view: ThreadView;
  notice: CommentNotice | null;
  /** Whether mail is configured, so the reply-notice box means something. */
  mail: boolean;
  /** Path of the form's script (the theme's comments.js), which fetches each reader's form token. */
  formScript: string;
  /** What the page's head says about the comment page shown: its canonical path, noindex, rel=prev/next. */
  head: Required<Pick<PageMeta, 'path' | 'noindex' | 'prev' | 'next'>>;
}

/** What a reader typed, sent back into the form after a refusal. */
export interface FormValues {
  author: string;
  email: string;
  url: string;
  comment: string;
  comment_parent: string;
  notify: boolean;
}

/** The comment form, empty or filled in again. */
export interface FormView {
  articleId: number | null;
  /** The form token: empty on article pages (cached for everyone; the script fills it in), a fresh one on private pages. */
  token: string;
  language: string;
  replyTo: { id: number; authorName: string } | null;
  /** Where "cancel reply" leads. */
  cancelHref: string | null;
  values: FormValues | null;
  issues: Readonly<Partial<Record<FieldName, FieldIssue>>>;
  mail: boolean;
}

/** The private answer to a refused comment. */
export interface RejectionView {
  language: string;
  problem: RejectionProblem;
  params: Readonly<Record<string, number>>;
  article: { path: string; headline: string } | null;
  /** The form again, when the article still takes comments. */
  form: FormView | null;
  /** What the reader typed, shown as text when no form can be offered. */
  typed: string;
}

/** Where an unsubscribe request stands: asking, done, or refused (link not issued here, another site, too many). */
export type UnsubscribeState = 'ask' | 'done' | 'invalid' | 'cross_site' | 'rate_limited';

export interface UnsubscribeView {
  language: string;
  key: string;
  state: UnsubscribeState;
  /** Seconds to wait, when rate_limited. */
  wait: number;
}

/** A theme: the document around every page, the main content of each kind of page, and its files. */
export interface Theme {
  /**
   * The folder holding the theme's stylesheet (gazette.css), icon (logo.svg) and the comment form's
   * script (comments.js), served under /assets/.
   */
  readonly assets: string;
  /** The theme's colours, for pictures drawn on the server (articles' generated social cards). */
  readonly colours: CardColours;
  /** A whole HTML document: head, masthead with the navigation, the main content, footer. */
  layout(chrome: SiteChrome, meta: PageMeta, main: SafeHtml): string;
  /** An article: header, body, sources, tags, "Check Also", comments and "Leave a Reply". */
  articlePage(article: Article, comments: CommentsSectionView): SafeHtml;
  homePage(view: HomeView): SafeHtml;
  /** A section, tag or author page: a heading and one page of article cards. */
  listingPage(view: ListingView): SafeHtml;
  /** /search: the form, ranked results with their matches marked, or a way on when nothing matched. */
  searchPage(outcome: SearchOutcome, language: string): SafeHtml;
  /** What went wrong with a comment, and the reader's text kept. */
  rejectionPage(view: RejectionView): SafeHtml;
  /** Asks before unsubscribing, says it is done, or says why not. */
  unsubscribePage(view: UnsubscribeView): SafeHtml;
  /** A 4xx or 5xx page: what happened and a way back. */
  errorPage(language: string, title: string, message: string): SafeHtml;
  /** A static page (About, Contact, Privacy…): its title and body. */
  staticPage(page: StaticPage): SafeHtml;
  /**
   * The same theme writing dates and times in this IANA time zone (the site's setting), clock times with
   * the zone's abbreviation. Site.theme is the theme in the site's zone; a theme starts in UTC.
   */
  inTimeZone(timeZone: string): Theme;
}
