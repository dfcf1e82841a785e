// The announcements a cache has heard, numbered, with the latest ones' keys: what the memory page cache
// (web/page-cache.ts) and the page store (db/page-store.ts) ask before keeping a page rendered while
// changes were being announced.
import { EVERYTHING, type ChangeKey } from './store.ts';

export class HeardAnnouncements {
  private count = 0;
  private recent: { at: number; keys: readonly ChangeKey[] }[] = [];

  /** `keep`: how many of the latest announcements are remembered with their keys. */
  constructor(private readonly keep: number) {}

  /** How many announcements were heard: a mark to give changedSince() later. */
  get heard(): number {
    return this.count;
  }

  record(keys: readonly ChangeKey[]): void {
    this.count++;
    this.recent.push({ at: this.count, keys });
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
  }

  /** True when an announcement heard after the mark `since` named one of `keys` (or everything). */
  changedSince(since: number, keys: readonly ChangeKey[]): boolean {
    if (since === this.count) return false;
    const oldest = this.recent[0]?.at ?? this.count + 1;
    // Announcements made since then are no longer remembered: assume one of them mattered.
    if (since + 1 < oldest) return true;
    const mine = new Set(keys);
    return this.recent.some((r) => r.at > since && r.keys.some((k) => k === EVERYTHING || mine.has(k)));
  }
}
