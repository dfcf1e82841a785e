// Migrations are listed here, in order, rather than discovered on disk: the list is checked by the
// type checker and works the same under tsx, a bundler or tests.
import type { Migration } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_comments.ts';
import * as m003 from './003_search.ts';
import * as m004 from './004_listing_indexes.ts';

export const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_comments': m002,
  '003_search': m003,
  '004_listing_indexes': m004,
};
