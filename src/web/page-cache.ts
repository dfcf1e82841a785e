// Rendered responses kept in memory with their compressed forms and ETag. Each entry records the
// change keys it was built from (src/db/change-keys.ts); an announced key drops exactly the entries that
// recorded it, `*` drops them all. Pure data structures: the Fastify wiring is in plugins/pages.ts.
import { createHash } from 'node:crypto';
import { brotliCompress, brotliCompressSync, constants as zlib, gunzipSync, gzipSync, type BrotliOptions } from 'node:zlib';
import Negotiator from 'negotiator';
import { EVERYTHING, type ChangeFeed, type ChangeKey } from '../db/store.ts';
import { HeardAnnouncements } from '../db/announcements.ts';
import type { StoredPage } from '../db/page-store.ts';

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * Brotli quality 5: measured on the seed article (16 KB), quality 9 took 25 ms for an output 0.3%
 * smaller than quality 5's, which takes about 1 ms. Every page not yet in the cache pays it once.
 */
const BROTLI_QUALITY = 5;

/**
 * gzip level 6 (zlib's default): over 404 pages of the 20,000-article corpus (5.4 MB), level 9's output
 * was 0.008% smaller for 25% more CPU (0.36 against 0.29 ms a page); level 4 is 1% larger (decision 0040).
 */
const GZIP_LEVEL = 6;

/**
 * One representation set of a response body: identity, and gzip/brotli made on first demand (a stored
 * copy's identity too, see fromStored). Brotli is smaller but costs about five times gzip's time (0.7 ms
 * against 0.15 ms for a 16 KB page), too much to pay on every miss when most pages of a large archive
 * are read once: a client that accepts gzip as well gets gzip until the page is asked for again, and
 * that second request starts brotli off the main thread (libuv's pool) for the requests after it.
 */
export class CachedBody {
  readonly etag: string;
  /** Bytes of the identity body, known before the body itself is (see fromStored). */
  readonly size: number;
  private plain?: Buffer;
  private br?: Buffer;
  private gz?: Buffer;
  /** Requests answered from this body so far. */
  private served = 0;
  private brotliStarted = false;

  constructor(
    readonly status: number,
    readonly contentType: string,
    /** The body as rendered; null for a stored copy's, made from `stored.gzip` when first asked for (fromStored). */
    identity: Buffer | null,
    /** Headers sent again with every copy (cache-control, last-modified as the route set them; surrogate-key). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** What a stored copy (decision 0038) already holds: its ETag and gzip bytes. */
    stored?: { etag: string; gzip?: Buffer },
  ) {
    if (identity === null && !stored?.gzip) throw new Error('CachedBody: a body given without its identity bytes needs its gzip bytes');
    this.plain = identity ?? undefined;
    // gzip's trailer ends with the identity body's length modulo 2^32 (RFC 1952); a page is far smaller.
    this.size = identity ? identity.length : stored!.gzip!.readUInt32LE(stored!.gzip!.length - 4);
    this.etag = stored?.etag ?? `W/"${createHash('sha1').update(identity!).digest('base64url').slice(0, 22)}"`;
    this.gz = stored?.gzip;
  }

  /**
   * A body read back from the page store. One stored as gzip has its identity form made only when a
   * client asks for it (or for brotli): most clients take gzip, and unzipping a page they would not have
   * read was a quarter of the CPU of a page served from the store (decision 0068).
   */
  static fromStored(page: Omit<StoredPage, 'keys'>): CachedBody {
    const { status, contentType, headers, etag, body } = page;
    return page.encoding === 'gzip'
      ? new CachedBody(status, contentType, null, headers, { etag, gzip: body })
      : new CachedBody(status, contentType, body, headers, { etag });
  }

  /** The body as sent to a client that takes no compression. */
  get identity(): Buffer {
    this.plain ??= gunzipSync(this.gz!);
    return this.plain;
  }

  /** The body as the page store keeps it: gzip when it is worth compressing, otherwise identity. */
  forStore(): { encoding: 'gzip' | 'identity'; bytes: Buffer } {
    if (this.size < 1024) return { encoding: 'identity', bytes: this.identity };
    this.gz ??= gzipSync(this.identity, { level: GZIP_LEVEL });
    return { encoding: 'gzip', bytes: this.gz };
  }

  private get brotliOptions(): BrotliOptions {
    return { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: this.size } };
  }

  /**
   * The body in the given encoding; tiny bodies are not worth compressing. `gzipWillDo`: the client
   * accepts gzip too, so brotli may wait (see the class comment).
   */
  body(encoding: Encoding, gzipWillDo = false): { encoding: Encoding; bytes: Buffer } {
    this.served++;
    if (encoding === 'identity' || this.size < 1024) return { encoding: 'identity', bytes: this.identity };
    if (encoding === 'br' && !this.br && gzipWillDo) {
      if (this.served > 1) this.startBrotli();
      encoding = 'gzip';
    }
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.identity, this.brotliOptions);
      return { encoding, bytes: this.br };
    }
    this.gz ??= gzipSync(this.identity, { level: GZIP_LEVEL });
    return { encoding, bytes: this.gz };
  }

  private startBrotli(): void {
    if (this.brotliStarted) return;
    this.brotliStarted = true;
    brotliCompress(this.identity, this.brotliOptions, (error, bytes) => {
      if (!error) this.br ??= bytes;
    });
  }

  /** Bytes to budget for this entry: the identity body plus room for its compressed forms. */
  get cost(): number {
    return this.size * 2;
  }
}

const OFFERED: Encoding[] = ['br', 'gzip', 'identity'];
const negotiated = new Map<string, { best: Encoding; gzip: boolean }>();

/**
 * The best encoding a client accepts, and whether it accepts gzip, remembered per distinct
 * Accept-Encoding header.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): { best: Encoding; gzip: boolean } {
  if (!acceptEncoding) return { best: 'identity', gzip: false };
  let choice = negotiated.get(acceptEncoding);
  if (!choice) {
    const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } });
    choice = { best: (negotiator.encoding(OFFERED) as Encoding | undefined) ?? 'identity', gzip: negotiator.encoding(['gzip']) === 'gzip' };
    if (negotiated.size < 256) negotiated.set(acceptEncoding, choice);
  }
  return choice;
}

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

export interface CacheEntry {
  body: CachedBody;
  /** What the response was built from; announcing any of them drops the entry. */
  keys: readonly ChangeKey[];
}

/** Announcements remembered so that a response rendered while one was made is not stored (see set()). */
const RECENT_ANNOUNCEMENTS = 1000;

/**
 * A least-recently-used map of rendered responses, bounded by entry count and bytes, with an index
 * from each change key to the entries that recorded it.
 */
export class PageCache {
  private entries = new Map<string, CacheEntry>();
  private dependents = new Map<ChangeKey, Set<string>>();
  private bytes = 0;
  /** Announcements heard so far, and the latest ones with their keys. */
  private readonly announcements = new HeardAnnouncements(RECENT_ANNOUNCEMENTS);
  private readonly unsubscribe: () => void;

  constructor(
    private readonly changes: Pick<ChangeFeed, 'current' | 'subscribe'>,
    private readonly maxEntries = 2000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {
    this.unsubscribe = changes.subscribe((keys) => this.drop(keys));
  }

  /** Stops listening to the change feed. */
  close(): void {
    this.unsubscribe();
  }

  /** The cached response for a URL key, if nothing it was built from changed since it was stored. */
  get(url: string): CacheEntry | undefined {
    // Asking the feed is also what brings in other processes' changes on engines that are polled.
    this.changes.current();
    const hit = this.entries.get(url);
    if (hit) {
      // Re-insert to mark as most recently used.
      this.entries.delete(url);
      this.entries.set(url, hit);
    }
    return hit;
  }

  /**
   * A mark taken before rendering, for set(): changes heard after it may not be in the rendered bytes.
   * Taken right after get(), which asked the feed: it does not ask again (decision 0040).
   */
  mark(): number {
    return this.announcements.heard;
  }

  /**
   * Stores a response built from the given keys, unless one of them (or `*`) was announced since
   * `since` (a mark() taken before rendering began): the bytes may then predate the change, and no
   * later announcement would drop them. Returns whether it was stored. It does not ask the feed for
   * other processes' changes: one it has not heard of yet drops the entry when it is heard, which
   * happens before any read, as get() asks first.
   */
  set(url: string, body: CachedBody, keys: readonly ChangeKey[], since: number): boolean {
    if (this.announcements.changedSince(since, keys)) return false;
    this.delete(url);
    const unique = [...new Set(keys)];
    this.entries.set(url, { body, keys: unique });
    this.bytes += body.cost;
    for (const k of unique) {
      let urls = this.dependents.get(k);
      if (!urls) this.dependents.set(k, (urls = new Set()));
      urls.add(url);
    }
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return this.entries.has(url);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets every entry (as a restart would): the page store, if on, still holds what was stored. */
  clear(): void {
    this.entries.clear();
    this.dependents.clear();
    this.bytes = 0;
  }

  /** The URL keys held, least recently used first. */
  urls(): string[] {
    return [...this.entries.keys()];
  }

  /** The URL keys of the entries that recorded a change key. */
  dependentsOf(key: ChangeKey): string[] {
    return [...(this.dependents.get(key) ?? [])];
  }

  /** How many distinct change keys the index holds (each with at least one entry). */
  get indexedKeys(): number {
    return this.dependents.size;
  }

  private delete(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.entries.delete(url);
    this.bytes -= entry.body.cost;
    for (const k of entry.keys) {
      const urls = this.dependents.get(k);
      urls?.delete(url);
      if (urls?.size === 0) this.dependents.delete(k);
    }
  }

  private drop(keys: readonly ChangeKey[]): void {
    this.announcements.record(keys);
    if (keys.includes(EVERYTHING)) {
      this.entries.clear();
      this.dependents.clear();
      this.bytes = 0;
      return;
    }
    for (const k of keys) for (const url of this.dependentsOf(k)) this.delete(url);
  }
}
