// The default theme: Gazette's own layout, pages and stylesheet (assets/), as one Theme, drawing dates
// in the time zone it is asked for (one theme object per zone, made once).
import { projectFile } from '../../lib/project-files.ts';
import { DEFAULT_TIME_ZONE } from '../i18n/format.ts';
import type { Theme } from '../theme.ts';
import { articlePage, homePage, listingPage } from './articles.ts';
import { rejectionPage, unsubscribePage } from './comments.ts';
import { errorPage } from './errors.ts';
import { layout } from './layout.ts';
import { searchPage } from './search.ts';
import { staticPage } from './static-pages.ts';

const assets = projectFile('src/web/theme/assets');
const byZone = new Map<string, Theme>();
/** gazette.css's --ink, --paper and --accent: social cards in the site's colours. */
const colours = { background: '#15171a', text: '#ffffff', accent: '#a8162b' } as const;

function themeIn(timeZone: string): Theme {
  let theme = byZone.get(timeZone);
  if (!theme) {
    theme = {
      assets,
      colours,
      layout,
      articlePage: (article, comments) => articlePage(article, comments, timeZone),
      homePage: (view) => homePage(view, timeZone),
      listingPage: (view) => listingPage(view, timeZone),
      searchPage: (outcome, language) => searchPage(outcome, language, timeZone),
      rejectionPage,
      unsubscribePage,
      errorPage,
      staticPage: (page) => staticPage(page, timeZone),
      inTimeZone: themeIn,
    };
    byZone.set(timeZone, theme);
  }
  return theme;
}

export const defaultTheme: Theme = themeIn(DEFAULT_TIME_ZONE);
