// Stored rendered pages (decision 0038), the page cache's second level: the only owner of the
// `stored_pages` and `stored_page_keys` tables (migration 023). openStore() builds one for every
// process that opens a store for writing, and it listens to that store's change feed: every announced
// change deletes the stored pages that recorded one of its keys (`*`: all of them), in the process that
// made the change (a CLI command drops the pages its own write made stale before it exits) and in every
// process that hears of it (a server). Reads and writes in this process wait behind the drops it has
// heard of, and a read never returns a page one of whose keys was announced before the read finished.
import { EVERYTHING, type ChangeFeed, type ChangeKey, type Db } from './store.ts';
import { HeardAnnouncements } from './announcements.ts';
import { reusableQuery } from './reusable-query.ts';
import { StatisticsDue } from './planner-statistics.ts';

/** What a stored page sends again: the same bytes, status and headers as the copy it was made from. */
export interface StoredPage {
  status: number;
  contentType: string;
  /** Headers every copy sends again (cache-control, last-modified, surrogate-key). */
  headers: Record<string, string>;
  etag: string;
  /** `gzip` for bodies of 1 KB and more (what most clients take), `identity` for the small ones. */
  encoding: 'gzip' | 'identity';
  body: Buffer;
  /** The change keys the page was built from. */
  keys: readonly ChangeKey[];
}

/** One page to write, with the mark() taken before it was rendered. */
export interface PageToStore {
  urlKey: string;
  page: StoredPage;
  since: number;
  /** The build that rendered it (decision 0073): only a server of the same build reads it. */
  build: string;
}

/** Announcements remembered for changedSince(); a mark older than these counts as changed. */
const RECENT = 1000;
/**
 * Pages a process writes before it first has the planner's statistics of the store refreshed, and after
 * that each time its writes have doubled (decision 0068).
 */
const PLAN_PAGES_FROM = 1000;
/** Ids per DELETE statement. */
const CHUNK = 500;

/**
 * Pages written by one statement (decision 0075): a batch is written in three statements for up to this
 * many pages (the old rows of their keys, the pages, their change keys), not three a page. 11 values a
 * page and some 20 change keys of 2 values each stay far below both engines' limits on a statement's
 * parameters (SQLite 32,766, PostgreSQL 65,535).
 */
const PAGES_PER_STATEMENT = 100;

/** Change-key rows written by one statement (2 values each). */
const KEY_ROWS_PER_STATEMENT = 5000;

/** A memory miss reads this before every render: compiled once (decision 0034's reusable queries). */
const storedPageByKey = reusableQuery((db: Db, urlKey: string) => db.selectFrom('stored_pages').selectAll().where('url_key', '=', urlKey));

/** Keys one statement of lookups read together looks up (see lookupsTogether). */
const LOOKUPS_TOGETHER = 16;

/** The same read for LOOKUPS_TOGETHER keys at once, one SQL text (unused places repeat a key). */
const storedPagesByKeys = reusableQuery((db: Db, ...urlKeys: string[]) => db.selectFrom('stored_pages').selectAll().where('url_key', 'in', urlKeys));

type StoredPageRow = Awaited<ReturnType<typeof storedPageByKey>>[number];

/**
 * How the store looks up a page: one read per lookup, or the lookups asked for in one turn of the
 * event loop read together, up to LOOKUPS_TOGETHER a statement (decision 0066). Together is for an
 * engine where every read is a round trip to a server (PostgreSQL): many readers at once then cost the
 * process and the server a statement each LOOKUPS_TOGETHER pages instead of one a page. SQLite reads in
 * the process, a call without a round trip, and has nothing to save.
 */
export type PageLookups = 'one by one' | 'together';

/** Lookups asked for before the event loop next checks its immediates, read in statements of LOOKUPS_TOGETHER keys. */
function lookupsTogether(db: Db): (urlKey: string) => Promise<StoredPageRow | undefined> {
  let waiting: { urlKey: string; resolve: (row: StoredPageRow | undefined) => void; reject: (error: unknown) => void }[] = [];
  const readWaiting = () => {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += LOOKUPS_TOGETHER) {
      const batch = all.slice(i, i + LOOKUPS_TOGETHER);
      const keys = batch.map((w) => w.urlKey);
      while (keys.length < LOOKUPS_TOGETHER) keys.push(keys[0]!);
      storedPagesByKeys(db, ...keys).then(
        (rows) => {
          const byKey = new Map(rows.map((r) => [r.url_key, r]));
          for (const w of batch) w.resolve(byKey.get(w.urlKey));
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      );
    }
  };
  return (urlKey) =>
    new Promise((resolve, reject) => {
      if (!waiting.length) setImmediate(readWaiting);
      waiting.push({ urlKey, resolve, reject });
    });
}

const isMissingTable = (error: unknown) => /no such table|does not exist/i.test(error instanceof Error ? error.message : String(error));

/** What a PageStore needs of its store besides the database, its write turn and its change feed. */
export interface PageStoreOptions {
  /** Told of errors the store dealt with itself: a read, a drop or a statistics refresh that failed. */
  onError?: (error: unknown) => void;
  lookups?: PageLookups;
  /**
   * Has the planner's statistics of a table gathered again (Store.refreshPlannerStatistics). The
   * store's tables fill from empty while a server runs (a crawl, `gazette pages prerender`); a lookup
   * that PostgreSQL planned once for every later call while the store looked empty would walk every
   * stored page for as long as the connection lives (decision 0068).
   */
  refreshStatistics?: (db: Db, table: 'stored_pages' | 'stored_page_keys') => Promise<void>;
}

export class PageStore {
  private readonly announcements = new HeardAnnouncements(RECENT);
  /** Keys whose drop was heard but has not yet run (with EVERYTHING for "all"), counted. */
  private pending = new Map<ChangeKey, number>();
  /** Every drop and write, in the order heard: one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  /** The stored bodies' bytes as last summed plus what this process wrote since (deletions not taken off); null: sum again. */
  private bytesEstimate: number | null = null;
  private writtenSinceSum = 0;
  /**
   * A drop failed and so did emptying the store after it (the database went away): any stored page may
   * be stale. Until an emptying succeeds, no stored page is served and none is written; each read that
   * finds this set queues another attempt (one at a time).
   */
  private emptyingOwed = false;
  private emptying = false;
  /** The stored page's row for a cache key (see PageLookups). */
  private readonly lookUp: (urlKey: string) => Promise<StoredPageRow | undefined>;
  private readonly onError: (error: unknown) => void;
  private readonly refreshStatistics: NonNullable<PageStoreOptions['refreshStatistics']>;
  /** Pages this process has written, counted for the refreshes of the planner's statistics. */
  private readonly statistics = new StatisticsDue(PLAN_PAGES_FROM);

  constructor(
    private readonly db: Db,
    /** The store's writeTransaction: waits its turn to write, as every writer does (decision 0013). */
    private readonly writeTransaction: <T>(work: (trx: Db) => Promise<T>) => Promise<T>,
    private readonly changes: Pick<ChangeFeed, 'current' | 'subscribe'>,
    options: PageStoreOptions = {},
  ) {
    this.onError = options.onError ?? (() => {});
    this.refreshStatistics = options.refreshStatistics ?? (async () => {});
    this.lookUp = options.lookups === 'together' ? lookupsTogether(db) : async (urlKey) => (await storedPageByKey(db, urlKey))[0];
    this.unsubscribe = changes.subscribe((keys) => this.heardOf(keys));
  }

  /**
   * A mark taken before rendering a page that may be stored with put(). It does not ask the feed for
   * other processes' changes (the memory cache's lookup just did, decision 0040): put() and get() ask
   * before they judge a page by it.
   */
  mark(): number {
    return this.announcements.heard;
  }

  /**
   * The stored page for a cache key, if `build` rendered it (decision 0073) and nothing it was built from
   * was announced.
   */
  async get(urlKey: string, build: string): Promise<StoredPage | undefined> {
    const since = this.mark();
    if (this.emptyingOwed) {
      this.tryEmptying();
      return undefined;
    }
    if (this.pending.has(EVERYTHING)) return undefined;
    // Drops heard but not yet run when the read starts: the read may see a page one of them is about
    // to delete, and that drop may finish (and leave `pending`) before the read's answer arrives, which
    // happens on an engine whose reads and drops use different connections (PostgreSQL's pool).
    const unfinished = this.pending.size ? new Set(this.pending.keys()) : null;
    let row;
    try {
      row = await this.lookUp(urlKey);
    } catch (error) {
      if (!isMissingTable(error)) this.onError(error);
      return undefined;
    }
    if (!row || row.build !== build) return undefined;
    const keys = parseList(row.change_keys);
    // Drops unfinished when the read started or still now, and announcements heard while it ran.
    this.changes.current();
    if (!keys || keys.some((k) => this.pending.has(k) || unfinished?.has(k)) || this.pending.has(EVERYTHING) || this.emptyingOwed || this.announcements.changedSince(since, keys)) return undefined;
    return {
      status: row.status,
      contentType: row.content_type,
      headers: parseHeaders(row.headers),
      etag: row.etag,
      encoding: row.encoding,
      body: Buffer.from(row.body),
      keys,
    };
  }

  /**
   * Writes pages (a page already stored under the same key is replaced), leaving out those one of whose
   * keys was announced after their mark; then evicts the oldest pages while the stored bodies take more
   * than maxBytes. Resolves to how many were written.
   */
  put(pages: readonly PageToStore[], maxBytes: number): Promise<number> {
    return this.enqueue(async () => {
      this.changes.current();
      if (this.emptyingOwed) return 0;
      const fresh = pages.filter((p) => p.page.keys.length && !this.announcements.changedSince(p.since, p.page.keys));
      // A key given twice keeps its last page.
      const written = [...new Map(fresh.map((p) => [p.urlKey, p])).values()];
      if (!written.length) return 0;
      const now = new Date().toISOString();
      await this.writeTransaction(async (trx) => {
        for (let i = 0; i < written.length; i += PAGES_PER_STATEMENT) await writePages(trx, written.slice(i, i + PAGES_PER_STATEMENT), now);
      });
      await this.evict(maxBytes, written.reduce((n, p) => n + p.page.body.length, 0));
      await this.keepPlansCurrent(written.length);
      return written.length;
    });
  }

  /**
   * After a write: once this process has written PLAN_PAGES_FROM pages, and again each time its writes
   * have doubled, the planner is told how the store has grown. Outside the write transaction, so the
   * write turn is not held while it runs (about 0.2 s at 100,000 pages); a failure is reported, and the
   * pages stay written.
   */
  private async keepPlansCurrent(written: number): Promise<void> {
    if (!this.statistics.wrote(written)) return;
    try {
      await this.refreshStatistics(this.db, 'stored_pages');
      await this.refreshStatistics(this.db, 'stored_page_keys');
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Deletes the pages another build rendered (decision 0073): after an upgrade, or a change of the
   * settings a page shows, none of them would be read again. Resolves to how many were deleted.
   */
  dropOtherBuilds(build: string): Promise<number> {
    return this.enqueue(async () => {
      let deleted = 0;
      // From where the last chunk ended: the rows deleted before are not walked again.
      for (let after = 0; ; ) {
        const ids = (await this.db.selectFrom('stored_pages').select('id').where('id', '>', after).where('build', '<>', build).orderBy('id').limit(CHUNK).execute()).map((r) => r.id);
        if (!ids.length) return deleted;
        await this.deleteIds(ids);
        deleted += ids.length;
        after = ids[ids.length - 1]!;
        this.bytesEstimate = null;
      }
    });
  }

  /** How many pages are stored and the bytes of their bodies. */
  async size(): Promise<{ pages: number; bytes: number }> {
    await this.queue;
    const row = await this.db
      .selectFrom('stored_pages')
      .select((eb) => [eb.fn.countAll<number | string>().as('pages'), eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.lit(0)).as('bytes')])
      .executeTakeFirstOrThrow();
    return { pages: Number(row.pages), bytes: Number(row.bytes) };
  }

  /** The cache keys stored, oldest first (for tests and `gazette pages status`). */
  async urlKeys(): Promise<string[]> {
    await this.queue;
    return (await this.db.selectFrom('stored_pages').select('url_key').orderBy('id').execute()).map((r) => r.url_key);
  }

  /** Resolves when every drop and write heard so far has run (a CLI waits for it before it exits). */
  async settled(): Promise<void> {
    this.changes.current();
    await this.queue;
  }

  close(): void {
    this.unsubscribe();
  }

  private heardOf(keys: readonly ChangeKey[]): void {
    this.announcements.record(keys);
    const all = keys.includes(EVERYTHING);
    const held = all ? [EVERYTHING] : [...new Set(keys)];
    for (const k of held) this.pending.set(k, (this.pending.get(k) ?? 0) + 1);
    void this.enqueue(async () => {
      try {
        await this.drop(all ? null : held);
      } finally {
        for (const k of held) {
          const n = (this.pending.get(k) ?? 1) - 1;
          if (n > 0) this.pending.set(k, n);
          else this.pending.delete(k);
        }
      }
    }).catch(() => {});
  }

  /** Deletes the pages that recorded any of the keys; null: every page. */
  private async drop(keys: readonly ChangeKey[] | null): Promise<void> {
    try {
      if (keys === null) {
        await this.empty();
        return;
      }
      for (let i = 0; i < keys.length; i += CHUNK) {
        const ids = (await this.db.selectFrom('stored_page_keys').select('page_id').distinct().where('change_key', 'in', keys.slice(i, i + CHUNK)).execute()).map((r) => r.page_id);
        await this.deleteIds(ids);
      }
    } catch (error) {
      if (isMissingTable(error)) return;
      // A drop that could not run leaves pages that may be stale: keep nothing rather than risk one, and
      // when even that fails, serve none until it has been done.
      this.onError(error);
      await this.empty().catch(() => {
        this.emptyingOwed = true;
      });
      throw error;
    }
  }

  private async empty(): Promise<void> {
    await this.db.deleteFrom('stored_page_keys').execute();
    await this.db.deleteFrom('stored_pages').execute();
  }

  /** Queues an emptying of the store owed since a failed drop, unless one is queued already. */
  private tryEmptying(): void {
    if (this.emptying) return;
    this.emptying = true;
    void this.enqueue(async () => {
      try {
        await this.empty();
        this.emptyingOwed = false;
      } finally {
        this.emptying = false;
      }
    }).catch(() => {});
  }

  private async deleteIds(ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      await this.writeTransaction(async (trx) => {
        await trx.deleteFrom('stored_page_keys').where('page_id', 'in', chunk).execute();
        await trx.deleteFrom('stored_pages').where('id', 'in', chunk).execute();
      });
    }
  }

  private async evict(maxBytes: number, written: number): Promise<void> {
    // Summing the sizes reads every row (and the body's overflow pages before the size column): once,
    // then again only when the estimate passes the bound or this process wrote a twentieth of it since
    // (other processes' writes, which they bound themselves after writing, are in the next sum).
    if (this.bytesEstimate !== null) {
      this.bytesEstimate += written;
      this.writtenSinceSum += written;
    }
    if (this.bytesEstimate === null || this.bytesEstimate > maxBytes || this.writtenSinceSum > maxBytes / 20) {
      this.bytesEstimate = (await this.sizeNow()).bytes;
      this.writtenSinceSum = 0;
    }
    const bytes = this.bytesEstimate;
    if (bytes <= maxBytes) return;
    this.bytesEstimate = null;
    // Down to 90% of the bound, so that eviction does not run again at the next write.
    let excess = bytes - Math.floor(maxBytes * 0.9);
    let after = 0;
    while (excess > 0) {
      const rows = await this.db.selectFrom('stored_pages').select(['id', 'size']).where('id', '>', after).orderBy('id').limit(CHUNK).execute();
      if (!rows.length) break;
      const ids: number[] = [];
      for (const r of rows) {
        if (excess <= 0) break;
        ids.push(r.id);
        excess -= r.size;
      }
      after = rows[rows.length - 1]!.id;
      await this.deleteIds(ids);
    }
  }

  private async sizeNow(): Promise<{ bytes: number }> {
    const row = await this.db
      .selectFrom('stored_pages')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.lit(0)).as('bytes'))
      .executeTakeFirstOrThrow();
    return { bytes: Number(row.bytes) };
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }
}

/**
 * Writes pages of distinct keys in one transaction's statements; a page already stored under a key is
 * replaced (its old row and change keys deleted first).
 */
async function writePages(trx: Db, pages: readonly PageToStore[], now: string): Promise<void> {
  const keysOf = new Map(pages.map((p) => [p.urlKey, [...new Set(p.page.keys)]]));
  const old = (await trx.selectFrom('stored_pages').select('id').where('url_key', 'in', [...keysOf.keys()]).execute()).map((r) => r.id);
  if (old.length) {
    await trx.deleteFrom('stored_page_keys').where('page_id', 'in', old).execute();
    await trx.deleteFrom('stored_pages').where('id', 'in', old).execute();
  }
  const rows = await trx
    .insertInto('stored_pages')
    .values(
      pages.map(({ urlKey, page, build }) => ({
        url_key: urlKey,
        status: page.status,
        content_type: page.contentType,
        headers: JSON.stringify(page.headers),
        etag: page.etag,
        encoding: page.encoding,
        body: page.body,
        change_keys: JSON.stringify(keysOf.get(urlKey)),
        size: page.body.length,
        stored_at: now,
        build,
      })),
    )
    .returning(['id', 'url_key'])
    .execute();
  // By key, not by position: neither engine promises RETURNING's order.
  const keyRows = rows.flatMap((r) => keysOf.get(r.url_key)!.map((k) => ({ change_key: k, page_id: Number(r.id) })));
  for (let i = 0; i < keyRows.length; i += KEY_ROWS_PER_STATEMENT) await trx.insertInto('stored_page_keys').values(keyRows.slice(i, i + KEY_ROWS_PER_STATEMENT)).execute();
}

function parseList(text: string): ChangeKey[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((k) => typeof k === 'string') && parsed.length ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

function parseHeaders(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}
