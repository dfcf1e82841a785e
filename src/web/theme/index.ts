// The default theme: Gazette's own layout, pages and stylesheet (assets/), as one Theme.
import { projectFile } from '../../lib/project-files.ts';
import type { Theme } from '../theme.ts';
import { articlePage, homePage, listingPage } from './articles.ts';
import { rejectionPage, unsubscribePage } from './comments.ts';
import { errorPage } from './errors.ts';
import { layout } from './layout.ts';
import { searchPage } from './search.ts';

export const defaultTheme: Theme = {
  assets: projectFile('src/web/theme/assets'),
  layout, articlePage, homePage, listingPage, searchPage, rejectionPage, unsubscribePage, errorPage,
};
