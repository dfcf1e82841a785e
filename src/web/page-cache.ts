// Rendered responses kept in memory with their compressed forms and ETag, dropped as a whole when
// the store's change clock moves. Pure data structures: the Fastify wiring is in plugins/pages.ts.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One representation set of a response body: identity, and brotli/gzip made on first demand. */
export class CachedBody {
  readonly etag: string;
  private br?: Buffer;
  private gz?: Buffer;

  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly identity: Buffer,
  ) {
    this.etag = `W/"${createHash('sha1').update(identity).digest('base64url').slice(0, 22)}"`;
  }

  /** The body in the given encoding; tiny bodies are not worth compressing. */
  body(encoding: Encoding): { encoding: Encoding; bytes: Buffer } {
    if (encoding === 'identity' || this.identity.length < 1024) return { encoding: 'identity', bytes: this.identity };
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.identity, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: this.identity.length },
      });
      return { encoding, bytes: this.br };
    }
    this.gz ??= gzipSync(this.identity, { level: 9 });
    return { encoding, bytes: this.gz };
  }

  /** Bytes to budget for this entry: the identity body plus room for its compressed forms. */
  get cost(): number {
    return this.identity.length * 2;
  }
}

const OFFERED: Encoding[] = ['br', 'gzip', 'identity'];
const negotiated = new Map<string, Encoding>();

/** The best encoding a client accepts, remembered per distinct Accept-Encoding header. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  let choice = negotiated.get(acceptEncoding);
  if (!choice) {
    choice = (new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(OFFERED) as Encoding | undefined) ?? 'identity';
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

/** A least-recently-used map of rendered responses, bounded by entry count and bytes. */
export class PageCache {
  private entries = new Map<string, CachedBody>();
  private version = '';
  private bytes = 0;

  constructor(
    private readonly clock: { current(): string },
    private readonly maxEntries = 2000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The cached response for a key, if content has not changed since it was stored. */
  get(key: string): CachedBody | undefined {
    this.checkVersion();
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark as most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: CachedBody): void {
    this.checkVersion();
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.cost;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += value.cost;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= this.entries.get(oldest.value)?.cost ?? 0;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private checkVersion(): void {
    const now = this.clock.current();
    if (now !== this.version) {
      this.entries.clear();
      this.bytes = 0;
      this.version = now;
    }
  }
}
