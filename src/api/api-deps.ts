// What the /api context and its two sub-contexts are given by buildApp(): the store and the services'
// dependencies, so API routes call the same services as the web editor and the public site. The Admin API
// (src/api/admin/) receives AdminApiOptions; fields are only ever added here, never renamed.
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import type { AccountDeps } from '../accounts/account.service.ts';
import type { CommentService } from '../comments/comment.service.ts';
import type { MediaDeps } from '../media/image.service.ts';
import type { SearchRunner } from '../search/search.pool.ts';

/** Limits of the Content API (per minute), and whether its answers are kept in its response cache. */
export interface ApiSettings {
  /** Requests per minute one address may make without a content key (API_RATE_PER_MINUTE; 0: no limit). */
  perAddressPerMinute: number;
  /** Requests per minute one content key may make from any address (API_KEY_RATE_PER_MINUTE; 0: no limit). */
  perKeyPerMinute: number;
  /** Largest page a list endpoint returns. */
  maxPageSize: number;
  /** Keep answers until what they show changes (off only to measure the uncached cost). */
  cache: boolean;
}

export const DEFAULT_API_SETTINGS: ApiSettings = { perAddressPerMinute: 600, perKeyPerMinute: 6000, maxPageSize: 100, cache: true };

/** What the Admin API's routes (src/api/admin/index.ts) are registered with. */
export interface AdminApiOptions {
  config: Config;
  store: Store;
  accounts: AccountDeps;
  media: MediaDeps;
  comments: CommentService;
}

/** What the whole /api context is registered with. */
export interface ApiOptions extends AdminApiOptions {
  settings: ApiSettings;
  runSearch: SearchRunner;
}
