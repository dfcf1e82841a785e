// The content conversion an import can do before it knows what the site holds (decision 0051): the reading
// thread (wxr.thread.ts) converts each post's content, excerpt and comments as it reads them, and the
// importer takes those texts instead of converting again. The conversion of a body asks the media the
// import has taken so far (wp-content.ts, ContentMedia); the reading thread knows none, so it records
// what was asked, and the importer keeps the body only when the answers it has would not have changed it.
import { cleanedInThread } from '../lib/body-html.ts';
import { wordpressToHtml, wordpressToText, type ContentMedia, type ContentPicture } from './wp-content.ts';
import type { WxrChunk, WxrComment, WxrItem } from './wxr.parser.ts';

/** What the reading thread converted of one item. */
export interface PreparedItem {
  /** wordpressToText of the excerpt. */
  excerpt: string;
  /**
   * wordpressToHtml of the content, converted with media that knew nothing; null when the conversion asked
   * for an attachment or the post's own attachments (a gallery, a playlist): it is done again then.
   */
  html: string | null;
  /** The addresses the conversion asked about as pictures: `html` holds only while none is a library picture. */
  pictureUrls: string[];
}

/** A comment as the reading thread hands it on: its text converted. */
type PreparedComment = WxrComment & { text?: string };

/** What can be converted ahead for posts and attachments (pages are few, and converted to Markdown by the importer). */
export function prepareItem(item: WxrItem): void {
  const type = item.postType || 'post';
  if (type !== 'post' && type !== 'attachment') return;
  const prepared: PreparedItem = { excerpt: wordpressToText(item.excerpt), html: null, pictureUrls: [] };
  if (type === 'post') {
    let asked = false;
    const media: ContentMedia = {
      byUrl: (url) => void prepared.pictureUrls.push(url),
      byAttachment: () => void (asked = true),
      children: () => ((asked = true), []),
    };
    const html = wordpressToHtml(item.content, media);
    if (!asked) prepared.html = html;
    for (const c of item.comments as PreparedComment[]) c.text = wordpressToText(c.content);
  }
  (item as WxrItem & { prepared?: PreparedItem }).prepared = prepared;
}

/** Prepares every item of a chunk (in place). */
export function prepareChunk(chunk: WxrChunk): WxrChunk {
  for (const part of chunk.parts) if (part.kind === 'item') prepareItem(part.item);
  return chunk;
}

function preparedOf(item: WxrItem): PreparedItem | undefined {
  return (item as WxrItem & { prepared?: PreparedItem }).prepared;
}

/** The excerpt as text: converted ahead when the reading thread did. */
export function excerptText(item: WxrItem): string {
  return preparedOf(item)?.excerpt ?? wordpressToText(item.excerpt);
}

/** A comment's content as text: converted ahead when the reading thread did. */
export function commentText(c: WxrComment): string {
  return (c as PreparedComment).text ?? wordpressToText(c.content);
}

/**
 * The post's body as the reading thread converted it, when the media known now would give the same: it
 * asked about no attachment, and none of the addresses it asked about is a library picture (an unknown
 * address and a missing picture, id null, convert alike). Else undefined: convert it now.
 */
export function preparedHtml(item: WxrItem, pictureAt: (url: string) => ContentPicture | undefined): string | undefined {
  const prepared = preparedOf(item);
  if (prepared?.html == null) return undefined;
  if (prepared.pictureUrls.some((url) => (pictureAt(url)?.id ?? null) !== null)) return undefined;
  // Cleaned by cleanBodyHtml in the reading thread: the article service need not clean it again.
  return cleanedInThread(prepared.html);
}
