// Media in a WordPress import (issue 14, decision 0030): attachments and the pictures content names are
// taken from a copy of wp-content/uploads (--uploads DIR) through the library's own pipeline; featured
// images become lead images; content pictures become library figures. A file that is not there is
// reported and recorded with its original address, which content keeps pointing at.
//
// One WpMedia lives for one import run. It keeps, in memory, a small record per attachment (address,
// text, parent) and per picture (its library id and address), so that references resolve in any order:
// featured images and galleries naming an attachment later in the file are resolved by finish(), at the
// end of the import, inside its transaction. Every storage key it writes is kept in `stored`, so a run
// that rolls back removes them again (removeStoredFiles).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { AppError } from '../errors.ts';
import { articleFacts } from '../articles/article.lookups.ts';
import { setLeadImageIn, updateArticleIn } from '../articles/article.service.ts';
import { checkImageFile, fillImageTextIn, imageViews, importImageFileIn, markDecorativeIn, type ImageFileDeps } from '../media/image.service.ts';
import { forgetMapping, withSavepoint, type MappedKind } from './import.repository.ts';
import { wordpressToHtml, wordpressToMarkdown, type ContentAttachment, type ContentMedia, type ContentPicture } from './wp-content.ts';
import type { WxrItem } from './wxr.parser.ts';
import { excerptText, preparedHtml } from './wxr.prepare.ts';

type Outcome = 'imported' | 'updated' | 'skipped' | 'failed';

/** What WpMedia needs of the import run (ImportRun in wordpress.import.ts has it). */
export interface MediaRun {
  readonly trx: Db;
  readonly stamp: string;
  readonly summary: { site: string; dryRun: boolean; notes: { kind: string; wpId: string; outcome: Outcome; reason: string }[] };
  readonly store: { search: SearchIndex };
  count(kind: string, outcome: Outcome, wpId?: string, reason?: string): void;
  mapOf(kind: MappedKind): Promise<Map<string, number>>;
  remember(kind: MappedKind, wpId: string, id: number): Promise<void>;
}

export interface MediaOptions {
  /** A copy of the site's wp-content/uploads; without it every file is reported missing. */
  uploads?: string;
  /** The library's storage and settings; without them nothing can be stored (as without --uploads). */
  library?: ImageFileDeps;
}

/** An attachment as the export describes it. */
interface Attachment {
  url: string;
  /** Its path under wp-content/uploads, as named (size suffix kept), or '' when there is none. */
  file: string;
  title: string;
  alt: string;
  caption: string;
  image: boolean;
}

const PICTURE_FILE = /\.(?:jpe?g|jpe|png|gif|webp|avif)$/i;
const UPLOADS = '/wp-content/uploads/';
/** Addresses of files under wp-content/uploads anywhere in content (src, srcset, href, bare). */
const UPLOAD_URLS = /(?:https?:\/\/[^\s"'<>()\\]+|\/)wp-content\/uploads\/[^\s"'<>()\\,\]]+/gi;

/** The path after /wp-content/uploads/ in an address (query and fragment left out), or null. */
export function uploadPath(url: string): string | null {
  const at = url.indexOf(UPLOADS);
  if (at < 0) return null;
  let rest = url.slice(at + UPLOADS.length).replace(/[?#].*$/, '');
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // An address with a stray % is taken as written.
  }
  const parts = rest.split('/');
  if (!rest || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) return null;
  return rest;
}

/**
 * An attachment's path under the uploads folder when its address is elsewhere: WordPress.com and older
 * multisite addresses end in /YYYY/MM/name (https://site.files.wordpress.com/2013/03/photo.jpg).
 */
function datedPath(url: string): string | null {
  const m = /^https?:\/\/[^/]+\/(?:[^?#]*\/)?(\d{4}\/\d{2}\/[^/?#]+)(?:[?#].*)?$/i.exec(url);
  return m ? uploadPath(`${UPLOADS}${m[1]}`) : null;
}

/** An address without query, fragment or size suffix, to match content to an attachment's address. */
const plainAddress = (url: string) => uploadKey(url.replace(/[?#].*$/, ''));

/** The key of an uploaded file: its path without WordPress's -WxH size suffix (2020/01/photo.jpg). */
export function uploadKey(file: string): string {
  return file.replace(/-\d+x\d+(?=\.[a-z0-9]+$)/i, '');
}

/** WordPress (5.3+) keeps a large original beside photo-scaled.jpg: both name one picture. */
const unscaled = (key: string) => key.replace(/-scaled(?=\.[a-z0-9]+$)/i, '');

function metaOf(item: WxrItem, key: string): string {
  return item.postmeta.find((m) => m.key === key)?.value.trim() ?? '';
}

export class WpMedia {
  /** Storage keys written in this run: removed again if the run rolls back. */
  readonly stored: string[] = [];
  private readonly attachments = new Map<string, Attachment>();
  private readonly childrenOf = new Map<string, string[]>();
  /** Pictures by upload key: in the library (id) or missing (id null, at their original address). */
  private readonly pictures = new Map<string, ContentPicture>();
  private readonly featured: { articleId: number; postId: string; thumbnail: string }[] = [];
  private readonly secondPass: { articleId: number; postId: string; content: string }[] = [];
  /** Posts whose content named an attachment not met yet (or a gallery of the post's own). */
  private readonly unresolved = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly whyMissing = new Map<string, string>();
  /** Files a dry run found acceptable (checked once each). */
  private readonly checked = new Set<string>();
  /** Attachments' addresses (plain) → their path, for content naming a file outside wp-content/uploads. */
  private readonly fileByAddress = new Map<string, string>();

  constructor(
    private readonly run: MediaRun,
    private readonly options: MediaOptions,
  ) {}

  private get dryRun(): boolean {
    return this.run.summary.dryRun;
  }

  // --- files ---------------------------------------------------------------------------------------

  /** The file for an upload path in --uploads: the full-size original first, then the size named. */
  private async locate(file: string): Promise<string | null> {
    const dir = this.options.uploads;
    if (!dir) return null;
    const root = path.resolve(dir);
    const key = uploadKey(file);
    for (const candidate of [...new Set([key, file, unscaled(key)])]) {
      const full = path.resolve(root, candidate);
      if (!full.startsWith(root + path.sep)) continue;
      const stat = await fs.promises.stat(full).catch(() => null);
      if (stat?.isFile()) return full;
    }
    return null;
  }

  private async pictureOf(id: number): Promise<ContentPicture | null> {
    const view = (await imageViews(this.run.trx, [{ id }])).get(id);
    return view ? { id, src: view.picture.src, alt: view.alt, caption: view.caption } : null;
  }

  /** Records upload keys (and the unscaled name of a -scaled file) → library picture, as the redirects read them. */
  private async rememberUpload(key: string, id: number): Promise<void> {
    for (const k of new Set([key, unscaled(key)])) await this.run.remember('upload', k, id);
  }

  /**
   * Why a file could not be taken, in the summary (an attachment each time, a file only content names
   * once), and its original address in import_map ('missing-media').
   */
  private async missing(kind: string, wpId: string, url: string, reason: string, attachmentId = 0): Promise<void> {
    if (kind !== 'attachment') {
      if (this.reported.has(wpId)) return;
      this.reported.add(wpId);
    }
    this.run.count(kind, 'skipped', wpId, `${url}: ${reason}; content keeps its original address`);
    if (!this.dryRun) await this.run.remember('missing-media', url, attachmentId);
  }

  /**
   * The library picture for an upload path: already imported (this run or an earlier one), else taken
   * from --uploads now. Null when the file is missing or refused (reported); 'checked' in a dry run for
   * a file that would be taken.
   */
  private async picture(file: string, url: string, text: { alt: string; caption: string }, report: { kind: string; wpId: string; attachmentId?: number }): Promise<ContentPicture | 'checked' | null> {
    const key = uploadKey(file);
    const known = this.pictures.get(key);
    if (known?.id === null) {
      // Content named the missing file first: the attachment is reported too, with the same reason.
      if (report.kind === 'attachment') await this.missing(report.kind, report.wpId, url, this.whyMissing.get(key) ?? 'not found', report.attachmentId);
      return null;
    }
    if (known) return known;
    const mapped = (await this.run.mapOf('upload')).get(key);
    const existing = mapped === undefined ? null : await this.pictureOf(mapped);
    if (existing) {
      this.pictures.set(key, existing);
      return existing;
    }
    const located = this.options.library ? await this.locate(file) : null;
    if (!located) {
      const why = !this.options.uploads || !this.options.library ? 'no --uploads folder was given' : `${file} is not in ${this.options.uploads}`;
      await this.missing(report.kind, report.wpId, url, why, report.attachmentId);
      this.whyMissing.set(key, why);
      this.pictures.set(key, { id: null, src: url, alt: text.alt, caption: text.caption });
      return null;
    }
    try {
      if (this.dryRun) {
        if (!this.checked.has(key)) await checkImageFile(this.options.library!, located, path.basename(located));
        this.checked.add(key);
        return 'checked';
      }
      const done = await importImageFileIn(this.run.trx, this.options.library!, located, path.basename(located), text, new Date(this.run.stamp));
      this.stored.push(...done.written);
      await this.rememberUpload(key, done.id);
      await forgetMapping(this.run.trx, this.run.summary.site, 'missing-media', url);
      const picture = (await this.pictureOf(done.id))!;
      this.pictures.set(key, picture);
      return picture;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = Object.values(error.fields ?? {})[0] ?? error.message;
      await this.missing(report.kind, report.wpId, url, `refused: ${reason}`, report.attachmentId);
      this.whyMissing.set(key, `refused: ${reason}`);
      this.pictures.set(key, { id: null, src: url, alt: text.alt, caption: text.caption });
      return null;
    }
  }

  // --- attachments ---------------------------------------------------------------------------------

  /** An attachment item: its picture into the library (or reported missing); other files are linked to. */
  async importAttachment(item: WxrItem): Promise<void> {
    const id = item.postId;
    const url = (item.attachmentUrl || item.guid).trim();
    const file = uploadPath(url) ?? (uploadPath(`${UPLOADS}${metaOf(item, '_wp_attached_file')}`) || datedPath(url) || '');
    if (file) this.fileByAddress.set(plainAddress(url), file);
    const a: Attachment = {
      url,
      file,
      title: item.title.trim(),
      alt: metaOf(item, '_wp_attachment_image_alt').slice(0, 500),
      caption: excerptText(item).slice(0, 1000),
      image: PICTURE_FILE.test(file || url),
    };
    this.attachments.set(id, a);
    if (item.postParent && item.postParent !== '0') this.childrenOf.set(item.postParent, [...(this.childrenOf.get(item.postParent) ?? []), id]);
    if (!a.image) return this.run.count('attachment', 'skipped', id, `${url || 'no address'}: not a picture (audio, video and documents stay at their original address, which content links to)`);
    if (!file) return this.missing('attachment', id, url || `attachment ${id}`, 'its address is not under wp-content/uploads', Number(id));
    const before = (await this.run.mapOf('attachment')).get(id);
    const picture = await this.picture(file, url, { alt: a.alt, caption: a.caption }, { kind: 'attachment', wpId: id, attachmentId: Number(id) });
    if (picture === 'checked') return this.run.count('attachment', 'imported');
    if (!picture) return;
    const pictureId = picture.id!;
    // The picture may have come in first through a post's content: the attachment's own text fills it.
    await fillImageTextIn(this.run.trx, pictureId, { alt: a.alt, caption: a.caption }, new Date(this.run.stamp));
    this.pictures.set(uploadKey(file), { ...picture, alt: picture.alt || a.alt, caption: picture.caption || a.caption });
    await this.run.remember('attachment', id, pictureId);
    this.run.count('attachment', before === pictureId ? 'updated' : 'imported');
  }

  // --- content -------------------------------------------------------------------------------------

  /**
   * Before a post or page is written: the pictures its content names under wp-content/uploads, taken into
   * the library now (each once). Runs outside the post's savepoint, so a refused post keeps none half-made.
   */
  async prepare(item: WxrItem): Promise<void> {
    const seen = new Set<string>();
    for (const match of item.content.matchAll(UPLOAD_URLS)) {
      const url = match[0];
      const file = uploadPath(url);
      if (!file || !PICTURE_FILE.test(file) || seen.has(uploadKey(file))) continue;
      seen.add(uploadKey(file));
      await this.picture(file, url, { alt: '', caption: '' }, { kind: 'content picture', wpId: uploadKey(file) });
    }
  }

  /** Answers the content conversion from what is known now; notes posts that name what is not. */
  private contentMedia(postId: string): ContentMedia {
    return {
      byUrl: (url) => {
        const file = uploadPath(url) ?? this.fileByAddress.get(plainAddress(url));
        return file ? this.pictures.get(uploadKey(file)) : undefined;
      },
      byAttachment: (id): ContentAttachment | undefined => {
        const a = this.attachments.get(id);
        if (!a) {
          this.unresolved.add(postId);
          return undefined;
        }
        if (!a.image) return { image: false, url: a.url, title: a.title };
        const p = a.file ? this.pictures.get(uploadKey(a.file)) : undefined;
        return { image: true, id: p?.id ?? null, src: p?.id ? p.src : a.url, alt: a.alt || p?.alt || '', caption: a.caption };
      },
      children: () => {
        // Attachments of this post may still follow in the file: look again at the end.
        this.unresolved.add(postId);
        return this.childrenOf.get(postId) ?? [];
      },
    };
  }

  /** A post's content as article HTML with library figures and embed links. */
  html(item: WxrItem): string {
    // Converted ahead by the reading thread, unless what this run has taken since would change it.
    const media = this.contentMedia(item.postId);
    return preparedHtml(item, media.byUrl) ?? wordpressToHtml(item.content, media);
  }

  /** A page's content as Markdown (library pictures shown at their current address). */
  markdown(item: WxrItem): string {
    return wordpressToMarkdown(item.content, this.contentMedia(item.postId));
  }

  /** After a post is written whole: its featured image, and its body again at the end if it named media not met yet. */
  afterPost(articleId: number, item: WxrItem): void {
    const thumbnail = metaOf(item, '_thumbnail_id');
    if (thumbnail && thumbnail !== '0') this.featured.push({ articleId, postId: item.postId, thumbnail });
    if (this.unresolved.delete(item.postId)) this.secondPass.push({ articleId, postId: item.postId, content: item.content });
  }

  // --- the end of the import -------------------------------------------------------------------------

  /** Resolves what waited for attachments later in the file: featured images, then bodies. */
  async finish(): Promise<void> {
    if (this.dryRun) return;
    for (const f of this.featured) await this.guarded('featured image', f.postId, () => this.setFeatured(f));
    for (const b of this.secondPass) await this.guarded('post', b.postId, () => this.rewriteBody(b));
  }

  /** One resolution in a savepoint: a refusal is a note, and the rest goes on. */
  private async guarded(kind: string, wpId: string, work: () => Promise<void>): Promise<void> {
    try {
      await withSavepoint(this.run.trx, work);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.run.count(kind, 'failed', wpId, error.message);
    }
  }

  private async setFeatured(f: { articleId: number; postId: string; thumbnail: string }): Promise<void> {
    if (!(await articleFacts(this.run.trx, f.articleId))) return;
    const imageId = (await this.run.mapOf('attachment')).get(f.thumbnail);
    const picture = imageId === undefined ? null : await this.pictureOf(imageId);
    const a = this.attachments.get(f.thumbnail);
    if (picture) {
      const view = (await imageViews(this.run.trx, [{ id: picture.id! }])).get(picture.id!)!;
      if (!view.alt.trim() && !view.decorative) {
        await markDecorativeIn(this.run.trx, picture.id!, new Date(this.run.stamp));
        this.note(f.postId, `featured image (attachment ${f.thumbnail}) has no alt text: marked decorative; describe it in the media library (picture ${picture.id})`);
      }
      const { changed } = await setLeadImageIn(this.run.trx, f.articleId, { imageId: picture.id! });
      return this.run.count('featured image', changed ? 'imported' : 'updated');
    }
    if (a?.url && /^https?:\/\//i.test(a.url)) {
      await setLeadImageIn(this.run.trx, f.articleId, { url: a.url, alt: a.alt });
      return this.run.count('featured image', 'skipped', f.postId, `attachment ${f.thumbnail} is not in the library: the lead image is its original address ${a.url}`);
    }
    this.run.count('featured image', 'skipped', f.postId, `attachment ${f.thumbnail} is not in the export`);
  }

  /** A remark on an imported featured image (printed under "Notes" in the summary). */
  private note(postId: string, reason: string): void {
    this.run.summary.notes.push({ kind: 'featured image', wpId: postId, outcome: 'imported', reason });
  }

  private async rewriteBody(b: { articleId: number; postId: string; content: string }): Promise<void> {
    if (!(await articleFacts(this.run.trx, b.articleId))) return;
    const body = wordpressToHtml(b.content, this.contentMedia(b.postId));
    this.unresolved.delete(b.postId);
    await updateArticleIn(this.run.trx, this.run.store.search, b.articleId, { body, bodyFormat: 'html' }, new Date(this.run.stamp), false);
  }

  // --- rolling back -----------------------------------------------------------------------------------

  /** Removes every file this run stored: call it when the import's transaction rolls back. */
  async removeStoredFiles(): Promise<void> {
    const storage = this.options.library?.storage;
    if (!storage) return;
    const keys = this.stored.splice(0);
    await Promise.all(keys.map((k) => storage.remove(k)));
  }
}
