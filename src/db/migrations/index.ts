// Migrations are listed here, in order, rather than discovered on disk: the list is checked by the
// type checker and works the same under tsx, a bundler or tests. Each takes the engine's SchemaDialect
// for the few details that differ (identity columns, the search index, the change log).
import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from '../store.ts';
import * as m001 from './001_initial.ts';
import * as m002 from './002_comments.ts';
import * as m003 from './003_search.ts';
import * as m004 from './004_listing_indexes.ts';
import * as m005 from './005_change_log.ts';
import * as m006 from './006_article_body_derived.ts';
import * as m007 from './007_search_ranking.ts';
import * as m008 from './008_search_ranking_table.ts';
import * as m009 from './009_comment_threads.ts';
import * as m010 from './010_accounts.ts';
import * as m011 from './011_newsroom_workflow.ts';
import * as m012 from './012_article_body_format.ts';
import * as m013 from './013_staff_comments.ts';
import * as m014 from './014_site_structure.ts';
import * as m015 from './015_document_files.ts';
import * as m016 from './016_media_images.ts';
import * as m018 from './018_api_tokens.ts';
import * as m019 from './019_webhooks.ts';
import * as m020 from './020_import_map.ts';
import * as m021 from './021_article_seo_and_home_pin.ts';
import * as m022 from './022_legacy_links.ts';
import * as m023 from './023_page_store.ts';
import * as m024 from './024_search_ranking_bounds.ts';
import * as m025 from './025_search_functions.ts';
import * as m026 from './026_comment_text_index.ts';
import * as m027 from './027_phrase_filter.ts';
import * as m028 from './028_comment_text_index_by_article.ts';
import * as m029 from './029_comment_counts.ts';
import * as m030 from './030_ranked_search.ts';
import * as m031 from './031_phrase_filter_bits.ts';
import * as m032 from './032_stored_page_build.ts';

interface MigrationModule {
  up(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void>;
  down(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void>;
}

const MODULES: Record<string, MigrationModule> = {
  '001_initial': m001,
  '002_comments': m002,
  '003_search': m003,
  '004_listing_indexes': m004,
  '005_change_log': m005,
  '006_article_body_derived': m006,
  '007_search_ranking': m007,
  '008_search_ranking_table': m008,
  '009_comment_threads': m009,
  '010_accounts': m010,
  '011_newsroom_workflow': m011,
  '012_article_body_format': m012,
  '013_staff_comments': m013,
  '014_site_structure': m014,
  '015_document_files': m015,
  '016_media_images': m016,
  '018_api_tokens': m018,
  '019_webhooks': m019,
  '020_import_map': m020,
  '021_article_seo_and_home_pin': m021,
  '022_legacy_links': m022,
  '023_page_store': m023,
  '024_search_ranking_bounds': m024,
  '025_search_functions': m025,
  '026_comment_text_index': m026,
  '027_phrase_filter': m027,
  '028_comment_text_index_by_article': m028,
  '029_comment_counts': m029,
  '030_ranked_search': m030,
  '031_phrase_filter_bits': m031,
  '032_stored_page_build': m032,
};

/** Every migration, by name, bound to an engine's schema details. */
export function migrationsFor(dialect: SchemaDialect): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(MODULES).map(([name, m]) => [
      name,
      {
        up: async (db: Kysely<unknown>) => {
          await dialect.beginMigration(db);
          await m.up(db, dialect);
        },
        down: async (db: Kysely<unknown>) => {
          await dialect.beginMigration(db);
          await m.down(db, dialect);
        },
      },
    ]),
  );
}
