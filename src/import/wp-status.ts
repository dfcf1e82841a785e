// What a WordPress post status becomes in Gazette (issue 14, decision 0028). WordPress's editorial states
// map onto Gazette's workflow (decision 0020) where it has them: `pending` (waiting for an editor) is
// "review", `future` is "scheduled" at its date. What WordPress shows only to some readers has no
// equivalent here: Gazette has no per-reader visibility and no post passwords, so `private` and
// password-protected posts become drafts, which no public page, feed, sitemap, search or API shows.
import type { WxrItem } from './wxr.parser.ts';

/** Where an imported post lands, and why when it is not simply what WordPress had. */
export type ArticleState =
  | { status: 'published' }
  | { status: 'draft'; why: string }
  | { status: 'review'; why: string }
  | { status: 'scheduled'; at: string; why: string };

/** Where an imported page lands: static pages have no review or schedule, only draft or published. */
export type PageState = { status: 'published' } | { status: 'draft'; why: string };

/** "2030-01-01 19:00:18" (GMT) as ISO-8601; undefined for WordPress's zero date or anything else. */
export function wordpressDate(gmt: string, local = ''): string | undefined {
  for (const value of [gmt, local]) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
    if (m && m[1] !== '0000') {
      const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
  }
  return undefined;
}

function hidden(item: WxrItem): string | null {
  if (item.postPassword.trim()) return 'password-protected (Gazette has no post passwords)';
  if (item.status === 'private') return 'private (Gazette has no private posts)';
  return null;
}

/** The state of an imported post at `now`. */
export function articleStateFor(item: WxrItem, now: Date): ArticleState {
  const secret = hidden(item);
  if (secret) return { status: 'draft', why: `${secret}: imported as a draft` };
  switch (item.status) {
    case 'publish':
      return { status: 'published' };
    case 'pending':
      return { status: 'review', why: 'pending review: imported in review' };
    case 'future': {
      const at = wordpressDate(item.postDateGmt, item.postDate);
      if (at && Date.parse(at) > now.getTime()) return { status: 'scheduled', at, why: `scheduled: imported scheduled for ${at}` };
      // WordPress's "missed schedule": not published there, so not here either until an editor decides.
      return { status: 'draft', why: at ? `scheduled for ${at}, a time that has passed: imported as a draft` : 'scheduled without a date: imported as a draft' };
    }
    default:
      return { status: 'draft', why: `${item.status || 'no status'}: imported as a draft` };
  }
}

/** The state of an imported page. */
export function pageStateFor(item: WxrItem): PageState {
  const secret = hidden(item);
  if (secret) return { status: 'draft', why: `${secret}: imported as a draft` };
  if (item.status === 'publish') return { status: 'published' };
  return { status: 'draft', why: `${item.status || 'no status'}: imported as a draft (static pages have no review or schedule)` };
}
