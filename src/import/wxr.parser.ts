// Reading a WordPress export (WXR 1.0, 1.1 or 1.2) as a stream: the file is fed to a strict SAX parser in
// chunks and only the parts Gazette imports are kept. readWxr hands on the parts each 256 KiB of the file
// completed (the head first: site, authors and terms; then items), so memory holds that much and one
// unfinished item, whatever the size of the file (decisions 0029 and 0049). A file that is not well-formed XML, declares a DOCTYPE (entities are
// never expanded: no billion laughs, no external entities), or is not WXR is refused with a WxrError naming
// the file, line and column, possibly after earlier parts were handed on: the consumer must be able to undo
// them (the importer writes in one transaction).
import { createReadStream, promises as fsp } from 'node:fs';
import sax from 'sax';

export const WXR_VERSIONS = ['1.0', '1.1', '1.2'] as const;
export type WxrVersion = (typeof WXR_VERSIONS)[number];

export interface WxrAuthor {
  id: string;
  login: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
}

export interface WxrTerm {
  id: string;
  taxonomy: 'category' | 'post_tag' | string;
  slug: string;
  name: string;
  parent: string;
  description: string;
}

export interface WxrComment {
  id: string;
  author: string;
  authorEmail: string;
  authorUrl: string;
  date: string;
  dateGmt: string;
  content: string;
  approved: string;
  type: string;
  parent: string;
}

export interface WxrItem {
  title: string;
  link: string;
  creator: string;
  guid: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  commentStatus: string;
  postName: string;
  status: string;
  postParent: string;
  postType: string;
  postPassword: string;
  /** The file's address, for an attachment (wp:attachment_url). */
  attachmentUrl: string;
  /** <wp:is_sticky>: '1' for a post stuck to the front page. */
  isSticky: string;
  terms: { domain: string; slug: string; name: string }[];
  postmeta: { key: string; value: string }[];
  comments: WxrComment[];
}

/** The channel's own fields, as known when the first item begins (or at the end of a file without items). */
export interface WxrHead {
  /** '' when <wp:wxr_version> comes after the first item (checked at the end of the file). */
  version: WxrVersion | '';
  title: string;
  siteUrl: string;
  blogUrl: string;
}

/** One part of the export, in the order the file gives them. */
export type WxrPart =
  | { kind: 'head'; head: WxrHead; authors: WxrAuthor[]; terms: WxrTerm[] }
  | { kind: 'author'; author: WxrAuthor }
  | { kind: 'term'; term: WxrTerm }
  | { kind: 'item'; item: WxrItem };

/** The parts one hand-over's reads of the file completed (HANDOVER_BYTES), and how far into the file the reader is. */
export interface WxrChunk {
  parts: WxrPart[];
  /** The WXR version as far as known (the last chunk always has it). */
  version: WxrVersion | '';
  bytesRead: number;
  totalBytes: number;
}

/** A whole export in memory (parseWxrFile): for tests and small files; the importer streams. */
export interface WxrDocument {
  version: WxrVersion;
  title: string;
  siteUrl: string;
  blogUrl: string;
  authors: WxrAuthor[];
  terms: WxrTerm[];
  items: WxrItem[];
}

/** A refused file: where (1-based line and column) and what is wrong. */
export class WxrError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
  }
}

const WP_NAMESPACE = /^https?:\/\/wordpress\.org\/export\/(1\.[012])\/$/;

function emptyItem(): WxrItem {
  return { title: '', link: '', creator: '', guid: '', content: '', excerpt: '', postId: '', postDate: '', postDateGmt: '', commentStatus: '', postName: '', status: '', postParent: '', postType: '', postPassword: '', attachmentUrl: '', isSticky: '', terms: [], postmeta: [], comments: [] };
}

function emptyComment(): WxrComment {
  return { id: '', author: '', authorEmail: '', authorUrl: '', date: '', dateGmt: '', content: '', approved: '', type: '', parent: '' };
}

const AUTHOR_FIELDS: Record<string, keyof WxrAuthor> = {
  'wp:author_id': 'id', 'wp:author_login': 'login', 'wp:author_email': 'email', 'wp:author_display_name': 'displayName', 'wp:author_first_name': 'firstName', 'wp:author_last_name': 'lastName',
};
const TERM_FIELDS: Record<string, keyof WxrTerm> = {
  'wp:term_id': 'id', 'wp:category_nicename': 'slug', 'wp:category_parent': 'parent', 'wp:cat_name': 'name', 'wp:category_description': 'description',
  'wp:tag_slug': 'slug', 'wp:tag_name': 'name', 'wp:tag_description': 'description',
  'wp:term_taxonomy': 'taxonomy', 'wp:term_slug': 'slug', 'wp:term_parent': 'parent', 'wp:term_name': 'name', 'wp:term_description': 'description',
};
const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title', link: 'link', 'dc:creator': 'creator', guid: 'guid', 'content:encoded': 'content', 'excerpt:encoded': 'excerpt',
  'wp:post_id': 'postId', 'wp:post_date': 'postDate', 'wp:post_date_gmt': 'postDateGmt', 'wp:comment_status': 'commentStatus',
  'wp:post_name': 'postName', 'wp:status': 'status', 'wp:post_parent': 'postParent', 'wp:post_type': 'postType', 'wp:post_password': 'postPassword', 'wp:attachment_url': 'attachmentUrl',
  'wp:is_sticky': 'isSticky',
};
const COMMENT_FIELDS: Record<string, keyof WxrComment> = {
  'wp:comment_id': 'id', 'wp:comment_author': 'author', 'wp:comment_author_email': 'authorEmail', 'wp:comment_author_url': 'authorUrl',
  'wp:comment_date': 'date', 'wp:comment_date_gmt': 'dateGmt', 'wp:comment_content': 'content', 'wp:comment_approved': 'approved',
  'wp:comment_type': 'type', 'wp:comment_parent': 'parent',
};

/**
 * Collects the parts of a WXR file from SAX events. Authors and terms met before the first item are held
 * as the head; after it, every completed part goes to `ready` and is taken by the reader after each chunk.
 */
class WxrCollector {
  readonly path: string[] = [];
  text = '';
  version = '';
  namespaceVersion = '';
  sawRss = false;
  sawChannel = false;
  title = '';
  siteUrl = '';
  blogUrl = '';
  headAuthors: WxrAuthor[] = [];
  headTerms: WxrTerm[] = [];
  headSent = false;
  ready: WxrPart[] = [];
  author: WxrAuthor | null = null;
  term: WxrTerm | null = null;
  item: WxrItem | null = null;
  comment: WxrComment | null = null;
  meta: { key: string; value: string } | null = null;
  itemTerm: { domain: string; slug: string } | null = null;

  open(name: string, attributes: Record<string, string>, fail: (problem: string) => never): void {
    const depth = this.path.length;
    if (depth === 0) {
      if (name !== 'rss') fail(`this is not a WordPress export: the document is <${name}>, not <rss>`);
      this.sawRss = true;
      const wp = attributes['xmlns:wp'];
      const match = wp ? WP_NAMESPACE.exec(wp) : null;
      if (wp && !match) fail(`unknown WordPress export namespace "${wp}" (WXR 1.0, 1.1 and 1.2 are read)`);
      this.namespaceVersion = match?.[1] ?? '';
    }
    if (depth === 1 && name === 'channel') this.sawChannel = true;
    this.path.push(name);
    this.text = '';
    const parent = this.path[depth - 1];
    if (parent === 'channel') {
      if (name === 'wp:author') this.author = { id: '', login: '', email: '', displayName: '', firstName: '', lastName: '' };
      else if (name === 'wp:category') this.term = { id: '', taxonomy: 'category', slug: '', name: '', parent: '', description: '' };
      else if (name === 'wp:tag') this.term = { id: '', taxonomy: 'post_tag', slug: '', name: '', parent: '', description: '' };
      else if (name === 'wp:term') this.term = { id: '', taxonomy: '', slug: '', name: '', parent: '', description: '' };
      else if (name === 'item') {
        this.sendHead();
        this.item = emptyItem();
      }
    } else if (this.item && parent === 'item') {
      if (name === 'wp:comment') this.comment = emptyComment();
      else if (name === 'wp:postmeta') this.meta = { key: '', value: '' };
      // WXR 1.0 repeats each term without its slug (plain RSS): as in WordPress, only one with a nicename counts.
      else if (name === 'category' && attributes.domain && attributes.nicename !== undefined) this.itemTerm = { domain: attributes.domain, slug: attributes.nicename };
    }
  }

  /** The head is complete when the first item begins (or the file ends). */
  sendHead(): void {
    if (this.headSent) return;
    this.headSent = true;
    this.ready.push({ kind: 'head', head: { version: knownVersion(this), title: this.title, siteUrl: this.siteUrl, blogUrl: this.blogUrl || this.siteUrl }, authors: this.headAuthors, terms: this.headTerms });
    this.headAuthors = [];
    this.headTerms = [];
  }

  /** The parts completed since the last call. */
  take(): WxrPart[] {
    const parts = this.ready;
    this.ready = [];
    return parts;
  }

  close(name: string): void {
    const text = this.text;
    this.path.pop();
    const parent = this.path[this.path.length - 1];
    this.text = '';
    if (name === 'wp:wxr_version') this.version = text.trim();
    if (parent === 'channel') this.closeChannelChild(name, text);
    else if (this.author && parent === 'wp:author') assign(this.author, AUTHOR_FIELDS[name], text);
    else if (this.term && (parent === 'wp:category' || parent === 'wp:tag' || parent === 'wp:term')) assign(this.term, TERM_FIELDS[name], text);
    else if (this.item && parent === 'item') this.closeItemChild(name, text);
    else if (this.comment && parent === 'wp:comment') assign(this.comment, COMMENT_FIELDS[name], text);
    else if (this.meta && parent === 'wp:postmeta') {
      if (name === 'wp:meta_key') this.meta.key = text;
      else if (name === 'wp:meta_value') this.meta.value = text;
    }
  }

  private closeChannelChild(name: string, text: string): void {
    if (name === 'title') this.title = text;
    else if (name === 'wp:base_site_url') this.siteUrl = text.trim();
    else if (name === 'wp:base_blog_url') this.blogUrl = text.trim();
    else if (name === 'wp:author' && this.author) {
      if (this.headSent) this.ready.push({ kind: 'author', author: this.author });
      else this.headAuthors.push(this.author);
      this.author = null;
    } else if ((name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') && this.term) {
      if (this.headSent) this.ready.push({ kind: 'term', term: this.term });
      else this.headTerms.push(this.term);
      this.term = null;
    } else if (name === 'item' && this.item) {
      this.ready.push({ kind: 'item', item: this.item });
      this.item = null;
    }
  }

  private closeItemChild(name: string, text: string): void {
    const item = this.item!;
    if (name === 'wp:comment' && this.comment) {
      item.comments.push(this.comment);
      this.comment = null;
    } else if (name === 'wp:postmeta' && this.meta) {
      item.postmeta.push(this.meta);
      this.meta = null;
    } else if (name === 'category' && this.itemTerm) {
      item.terms.push({ domain: this.itemTerm.domain, slug: this.itemTerm.slug, name: text });
      this.itemTerm = null;
    } else assign(item, ITEM_FIELDS[name], text);
  }
}

function assign<T>(target: T, key: keyof T | undefined, text: string): void {
  if (key) (target as Record<keyof T, unknown>)[key] = text;
}

/** Lines and columns from sax are counted from 0. */
function where(parser: sax.SAXParser): { line: number; column: number } {
  return { line: parser.line + 1, column: parser.column + 1 };
}

/** The problem sax describes, without the position lines it appends. */
function problemOf(error: Error): string {
  return error.message.split('\n')[0] ?? 'not well-formed XML';
}

/** 64 KiB read at a time: decoding larger reads as UTF-8 cost Node twice as much (decision 0049). */
const CHUNK_BYTES = 64 * 1024;
/**
 * The parts of about this much of the file are handed on together: the importer writes each hand-over's
 * new posts in one batch, and a batch of some 35 generated posts costs less a post than one of nine
 * (decision 0049), while memory still holds only a few hundred KiB of parts.
 */
const HANDOVER_BYTES = 256 * 1024;

function unreadable(file: string, error: unknown): never {
  if (error instanceof WxrError) throw error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new WxrError(file, 0, 0, `cannot read the file (${code})`);
  throw error;
}

/**
 * Reads `file` as WXR, one chunk at a time: after each chunk, the parts it completed (the head before any
 * item, then items, and authors or terms listed after items). The next chunk is read only when the
 * consumer asks, so a slow consumer holds the file back rather than piling parts up. Throws WxrError at
 * the first problem, and at the end for a file that turned out not to be a complete WXR export.
 */
export async function* readWxr(file: string): AsyncGenerator<WxrChunk> {
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: true });
  const collector = new WxrCollector();
  let failure: WxrError | null = null;
  /** How many parts were complete when the problem was met: sax reads on, but what follows is not trusted. */
  let soundParts = 0;
  let endOfDocument = { line: 1, column: 1 };
  const fail = (problem: string): never => {
    const at = where(parser);
    throw new WxrError(file, at.line, at.column, problem);
  };
  parser.onerror = (error) => {
    if (!failure) {
      const at = where(parser);
      failure = new WxrError(file, at.line, at.column, `not well-formed XML: ${problemOf(error)}`);
      soundParts = collector.ready.length;
    }
  };
  parser.ondoctype = () => fail('a DOCTYPE is not accepted in a WordPress export (entities are never expanded)');
  parser.onopentag = (node) => collector.open(node.name, node.attributes as Record<string, string>, fail);
  parser.onclosetag = (name) => {
    collector.close(name);
    if (collector.path.length === 0) endOfDocument = where(parser);
    if (name === 'wp:wxr_version' && !(WXR_VERSIONS as readonly string[]).includes(collector.version)) fail(`unknown WXR version "${collector.version}" (1.0, 1.1 and 1.2 are read)`);
  };
  parser.ontext = (text) => (collector.text += text);
  parser.oncdata = (text) => (collector.text += text);
  parser.onprocessinginstruction = (pi) => {
    if (pi.name.toLowerCase() !== 'xml') fail(`processing instruction <?${pi.name}?> is not accepted`);
  };

  let totalBytes = 0;
  let stream;
  try {
    totalBytes = (await fsp.stat(file)).size;
    stream = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  } catch (error) {
    unreadable(file, error);
  }
  try {
    const chunks = stream[Symbol.asyncIterator]();
    let handedOver = 0;
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch (error) {
        unreadable(file, error);
      }
      if (next.done) break;
      parser.write(next.value as string);
      if (failure) {
        // The parts before the problem are handed on first, as they would be had it been in a later chunk.
        const sound = collector.take().slice(0, soundParts);
        if (sound.length) yield { parts: sound, version: knownVersion(collector), bytesRead: stream.bytesRead, totalBytes };
        throw failure;
      }
      if (stream.bytesRead - handedOver < HANDOVER_BYTES) continue;
      handedOver = stream.bytesRead;
      const parts = collector.take();
      if (parts.length) yield { parts, version: knownVersion(collector), bytesRead: stream.bytesRead, totalBytes };
    }
    // What the last reads completed and was not handed on yet.
    const rest = collector.take();
    if (rest.length) yield { parts: rest, version: knownVersion(collector), bytesRead: stream.bytesRead, totalBytes };
    parser.close();
    if (failure) throw failure;
  } finally {
    stream.destroy();
  }
  const version = finish(file, endOfDocument, collector);
  collector.sendHead();
  yield { parts: collector.take(), version, bytesRead: totalBytes, totalBytes };
}

/** Parse the whole of `file` into memory. Rejects with WxrError for anything Gazette does not import. */
export async function parseWxrFile(file: string): Promise<WxrDocument> {
  const doc: WxrDocument = { version: '1.2', title: '', siteUrl: '', blogUrl: '', authors: [], terms: [], items: [] };
  for await (const chunk of readWxr(file)) {
    if (chunk.version) doc.version = chunk.version;
    for (const part of chunk.parts) {
      if (part.kind === 'head') {
        Object.assign(doc, { title: part.head.title, siteUrl: part.head.siteUrl, blogUrl: part.head.blogUrl });
        doc.authors.push(...part.authors);
        doc.terms.push(...part.terms);
      } else if (part.kind === 'author') doc.authors.push(part.author);
      else if (part.kind === 'term') doc.terms.push(part.term);
      else doc.items.push(part.item);
    }
  }
  return doc;
}

function knownVersion(c: WxrCollector): WxrVersion | '' {
  return (WXR_VERSIONS as readonly string[]).includes(c.version) ? (c.version as WxrVersion) : '';
}

/** The checks only the end of the file can make. */
function finish(file: string, at: { line: number; column: number }, c: WxrCollector): WxrVersion {
  if (!c.sawRss) throw new WxrError(file, at.line, at.column, 'the file is empty: no XML document in it');
  if (!c.sawChannel) throw new WxrError(file, at.line, at.column, 'this is not a WordPress export: <rss> has no <channel>');
  if (!c.version) throw new WxrError(file, at.line, at.column, 'this is not a WordPress export: <wp:wxr_version> is missing');
  if (!(WXR_VERSIONS as readonly string[]).includes(c.version)) throw new WxrError(file, at.line, at.column, `unknown WXR version "${c.version}" (1.0, 1.1 and 1.2 are read)`);
  return c.version as WxrVersion;
}
