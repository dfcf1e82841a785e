// Reading a WordPress export (WXR 1.0, 1.1 or 1.2) as a stream: the file is fed to a strict SAX parser in
// chunks and only the parts Gazette imports are kept. A file that is not well-formed XML, declares a DOCTYPE
// (entities are never expanded: no billion laughs, no external entities), or is not WXR is refused with a
// WxrError naming the file, line and column.
import { createReadStream } from 'node:fs';
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
  /** <wp:is_sticky>: '1' for a post stuck to the front page. */
  isSticky: string;
  terms: { domain: string; slug: string; name: string }[];
  postmeta: { key: string; value: string }[];
  comments: WxrComment[];
}

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
  return { title: '', link: '', creator: '', guid: '', content: '', excerpt: '', postId: '', postDate: '', postDateGmt: '', commentStatus: '', postName: '', status: '', postParent: '', postType: '', postPassword: '', isSticky: '', terms: [], postmeta: [], comments: [] };
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
  'wp:post_name': 'postName', 'wp:status': 'status', 'wp:post_parent': 'postParent', 'wp:post_type': 'postType', 'wp:post_password': 'postPassword',
  'wp:is_sticky': 'isSticky',
};
const COMMENT_FIELDS: Record<string, keyof WxrComment> = {
  'wp:comment_id': 'id', 'wp:comment_author': 'author', 'wp:comment_author_email': 'authorEmail', 'wp:comment_author_url': 'authorUrl',
  'wp:comment_date': 'date', 'wp:comment_date_gmt': 'dateGmt', 'wp:comment_content': 'content', 'wp:comment_approved': 'approved',
  'wp:comment_type': 'type', 'wp:comment_parent': 'parent',
};

/** Collects the parts of a WXR file from SAX events. */
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
  authors: WxrAuthor[] = [];
  terms: WxrTerm[] = [];
  items: WxrItem[] = [];
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
      else if (name === 'item') this.item = emptyItem();
    } else if (this.item && parent === 'item') {
      if (name === 'wp:comment') this.comment = emptyComment();
      else if (name === 'wp:postmeta') this.meta = { key: '', value: '' };
      // WXR 1.0 repeats each term without its slug (plain RSS): as in WordPress, only one with a nicename counts.
      else if (name === 'category' && attributes.domain && attributes.nicename !== undefined) this.itemTerm = { domain: attributes.domain, slug: attributes.nicename };
    }
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
      this.authors.push(this.author);
      this.author = null;
    } else if ((name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') && this.term) {
      this.terms.push(this.term);
      this.term = null;
    } else if (name === 'item' && this.item) {
      this.items.push(this.item);
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

/** Parse `file` as WXR. Rejects with WxrError for anything Gazette does not import. */
export async function parseWxrFile(file: string): Promise<WxrDocument> {
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: true });
  const collector = new WxrCollector();
  let failure: WxrError | null = null;
  let endOfDocument = { line: 1, column: 1 };
  const fail = (problem: string): never => {
    const at = where(parser);
    throw new WxrError(file, at.line, at.column, problem);
  };
  parser.onerror = (error) => {
    if (!failure) {
      const at = where(parser);
      failure = new WxrError(file, at.line, at.column, `not well-formed XML: ${problemOf(error)}`);
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

  try {
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (failure) break;
    }
    if (!failure) parser.close();
  } catch (error) {
    if (error instanceof WxrError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new WxrError(file, 0, 0, `cannot read the file (${code})`);
    throw error;
  }
  if (failure) throw failure;
  return finish(file, endOfDocument, collector);
}

function finish(file: string, at: { line: number; column: number }, c: WxrCollector): WxrDocument {
  if (!c.sawRss) throw new WxrError(file, at.line, at.column, 'the file is empty: no XML document in it');
  if (!c.sawChannel) throw new WxrError(file, at.line, at.column, 'this is not a WordPress export: <rss> has no <channel>');
  if (!c.version) throw new WxrError(file, at.line, at.column, 'this is not a WordPress export: <wp:wxr_version> is missing');
  if (!(WXR_VERSIONS as readonly string[]).includes(c.version)) throw new WxrError(file, at.line, at.column, `unknown WXR version "${c.version}" (1.0, 1.1 and 1.2 are read)`);
  return { version: c.version as WxrVersion, title: c.title, siteUrl: c.siteUrl, blogUrl: c.blogUrl || c.siteUrl, authors: c.authors, terms: c.terms, items: c.items };
}
