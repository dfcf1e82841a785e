// Kysely table types. Dates are ISO-8601 UTC strings ("2022-01-10T09:30:00.000Z") in every dialect,
// so that ordering and comparison are plain string operations (see docs/decisions/0003-dates-as-iso-text.md).
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { BodyFormat } from '../articles/article.body.ts';

/** Where an article is in the newsroom's workflow; only 'published' is public (migration 011). */
export type ArticleStatus = 'draft' | 'review' | 'ready' | 'scheduled' | 'published' | 'unpublished';
export type SourceKind = 'outlet' | 'agency' | 'document' | 'person';
export type SourceRole = 'reported' | 'relayed' | 'quoted' | 'obtained';

export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  language: string;
  position: number;
}

export interface PersonTable {
  id: Generated<number>;
  slug: string;
  name: string;
  bio: string;
  url: string | null;
  /** Added by 014: a portrait's URL, links as JSON [{ label, url }], languages as comma-separated tags. */
  photo_url: Generated<string | null>;
  links: Generated<string>;
  languages: Generated<string>;
}

export interface TagTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ArticleTable {
  id: Generated<number>;
  section_id: number;
  slug: string;
  language: string;
  headline: string;
  subtitle: string;
  /** Optional hand-written summary; when empty the excerpt is cut from the body. */
  summary: string;
  /** The body: Markdown (raw HTML in it is never rendered) or cleaned HTML, as body_format says (012). */
  body: string;
  body_format: Generated<BodyFormat>;
  image_url: string | null;
  image_alt: string;
  /** The lead image from the media library and the crop used for this article, JSON in thousandths (016). */
  lead_image_id: Generated<number | null>;
  lead_image_crop: Generated<string | null>;
  status: ArticleStatus;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  comments_open: number;
  /** The article this one translates (hreflang alternates); null for originals. Added by 003_search. */
  translation_of: number | null;
  /** Derived from body when the article is written (006): the HTML shown, the plain text, the word count. */
  body_html: Generated<string>;
  body_text: Generated<string>;
  word_count: Generated<number>;
  /** The account that created it (011); null for demo and imported articles. */
  owner_user_id: Generated<number | null>;
  /** Bumped by every save; a save based on another version is refused (011). */
  version: Generated<number>;
  /** When a scheduled article is to be published (011). */
  scheduled_at: Generated<string | null>;
  /** The account editing it, and since when (011). */
  locked_by: Generated<number | null>;
  locked_at: Generated<string | null>;
  /** The page's <title> and its search and social description when an editor set them; '' for none (021). */
  seo_title: Generated<string>;
  seo_description: Generated<string>;
  /** 1 when an editor pinned it to the home page (021). */
  home_pinned: Generated<number>;
}

export interface ArticleAuthorTable {
  article_id: number;
  person_id: number;
  position: number;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
}

export interface DocumentTable {
  id: Generated<number>;
  title: string;
  /** Path of the held file under the media folder; null when the publication describes but does not hold it. */
  file_path: string | null;
  media_type: string | null;
  sha256: string | null;
  created_at: string;
  /** The file's name as uploaded (015); empty for documents described but not held. */
  file_name: Generated<string>;
  size_bytes: number | null;
  uploaded_by: number | null;
}

/** An image of the media library (016), owned by src/media/. */
export interface MediaImageTable {
  id: Generated<number>;
  file_name: string;
  media_type: string;
  width: number;
  height: number;
  size_bytes: number;
  sha256: string;
  original_path: string;
  renditions: string;
  alt: string;
  decorative: number;
  caption: string;
  credit: string;
  focal_x: number;
  focal_y: number;
  metadata_kept: number;
  uploaded_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A library image that an article's body shows (016), owned by src/articles/. */
export interface ArticleImageTable {
  article_id: number;
  image_id: number;
}

export interface SourceTable {
  id: Generated<number>;
  article_id: number;
  position: number;
  name: string;
  /** Who or what the source is, e.g. "Lebanese daily newspaper"; shown beside the name. */
  description: string;
  url: string | null;
  kind: SourceKind;
  role: SourceRole;
  document_id: number | null;
  /** Position of the source (same article) this one relays (011). */
  relays: Generated<number | null>;
}

export interface RelatedPinTable {
  article_id: number;
  related_article_id: number;
  position: number;
}

/** Monotonic counter bumped by every content change; the rendered-page cache keys on it. */
export interface SiteStateTable {
  key: string;
  value: string;
}

export type CommentStatus = 'pending' | 'approved' | 'spam' | 'trash';

export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  parent_id: number | null;
  /** 1 for a top-level comment, parent's depth + 1 for a reply. */
  depth: number;
  /**
   * The top-level comment of its thread (its own id when top-level), which decides the comment page it
   * is on. Set by insertComment in the inserting transaction; null in no committed row.
   */
  root_id: number | null;
  author_name: string;
  /** For editors only; no public query selects it. */
  author_email: string;
  /** The address in lower case, to recognise a returning commenter. */
  author_email_lower: string;
  /** HMAC of the address with the server secret; seeds the avatar so public reads never touch the address. */
  avatar_key: string;
  author_url: string | null;
  /** Plain text exactly as the reader sent it. */
  body: string;
  status: CommentStatus;
  /** Why the comment was held or marked spam, for editors. */
  moderation_note: string;
  /** 1 when the commenter asked to be told of replies. */
  notify: number;
  ip: string;
  user_agent: string;
  created_at: string;
  updated_at: string;
  /** First approval; reply notices go out once, at that moment. */
  approved_at: string | null;
  /** The staff account that wrote it in /admin (013); null for readers' comments. Shown only as a "staff" mark. */
  staff_account_id: Generated<number | null>;
}

/**
 * Per article, how many comments are approved and in how many threads (migration 029, decision 0062): kept
 * by triggers on comments in the transaction of every write, so no writer can forget it. Derived data,
 * never copied between stores (the target's triggers fill it). An article without a row has none.
 */
export interface CommentCountTable {
  article_id: number;
  comments: number;
  threads: number;
}

/** One row per thread with at least one approved comment (root_id not null), and how many (migration 029). */
export interface CommentLiveThreadTable {
  article_id: number;
  root_id: number;
  approved: number;
}

/** Addresses that asked for no more mail, stored as a keyed HMAC. */
export interface MailOptoutTable {
  key: string;
  created_at: string;
}

/** A computed "Check Also" candidate, best first; written by src/related/. */
export interface RelatedArticleTable {
  article_id: number;
  related_article_id: number;
  position: number;
  /** Similarity relative to the article's match with itself (0..1), with section and recency boosts. */
  score: number;
}

/** Articles whose related list has been computed (an empty list is a valid result). */
export interface RelatedListTable {
  article_id: number;
  computed_at: string;
}

/** An old slug of a renamed section: its addresses answer 301 to the section's current ones (014). */
export interface SectionRedirectTable {
  old_slug: string;
  section_id: number;
  created_at: string;
}

/** A static page at /<slug> (About, Contact…): Markdown body and its HTML rendered at write time (014). */
export interface PageTable {
  id: Generated<number>;
  slug: string;
  title: string;
  body: string;
  body_html: string;
  language: string;
  status: ArticleStatus;
  created_at: string;
  updated_at: string;
}

/** A site setting changed on screen, overriding the configured default; value is JSON (014). */
export interface SiteSettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export type Role = 'admin' | 'editor' | 'author' | 'contributor';

/** A staff account (decision 0019); owned by src/accounts/. Readers never have one. */
export interface UserTable {
  id: Generated<number>;
  email: string;
  email_lower: string;
  name: string;
  role: Role;
  /** argon2id PHC string; empty until an invited person chooses a password. */
  password_hash: string;
  disabled: Generated<number>;
  person_id: number | null;
  totp_secret: string | null;
  /** JSON list of SHA-256 digests of the unused recovery codes. */
  recovery_codes: Generated<string>;
  totp_last_step: Generated<number>;
  session_generation: Generated<number>;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
  /** 1 for the row an admin API token acts as when made without a person (018): it never signs in. */
  integration: Generated<number>;
}

/** A Content API key or an Admin API token (018); owned by src/accounts/. Only its digest is kept. */
export interface ApiTokenTable {
  id: Generated<number>;
  kind: 'content' | 'admin';
  name: string;
  token_hash: string;
  hint: string;
  user_id: number | null;
  role: Role | null;
  created_by: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie value. */
  id_hash: string;
  user_id: number;
  generation: number;
  csrf_token: string;
  pending_second_factor: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string;
  user_agent: string;
}

export interface AccountTokenTable {
  token_hash: string;
  kind: 'invite' | 'reset';
  user_id: number;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SigninFailureTable {
  id: Generated<number>;
  subject: string;
  at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  subject: string;
  /** JSON object. */
  details: string;
}

/** A saved state of an article: every field as JSON (011). */
export interface ArticleRevisionTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  saved_by: number | null;
  saved_at: string;
  /** 1 for an autosave; consecutive autosaves by one account share a revision. */
  autosave: number;
  snapshot: string;
}

/** Editors' private notes on an article (011). */
export interface ArticleNoteTable {
  id: Generated<number>;
  article_id: number;
  author_user_id: number | null;
  body: string;
  created_at: string;
}

/** An address a published article had before its slug or section changed; answers 301 (011). */
export interface ArticleOldAddressTable {
  section_slug: string;
  slug: string;
  article_id: number;
  created_at: string;
}

/** Which Gazette row an imported WordPress object became (src/import/, decision 0028). */
export interface ImportMapTable {
  site: string;
  kind: string;
  wp_id: string;
  gazette_id: number;
  imported_at: string;
}

/** An old WordPress address and what it became (src/import/, migration 022, decision 0031). */
export interface LegacyLinkTable {
  path: string;
  kind: string;
  target_id: number;
  site: string;
  imported_at: string;
}

export interface Database {
  sections: SectionTable;
  people: PersonTable;
  tags: TagTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_tags: ArticleTagTable;
  documents: DocumentTable;
  media_images: MediaImageTable;
  article_images: ArticleImageTable;
  sources: SourceTable;
  related_pins: RelatedPinTable;
  site_state: SiteStateTable;
  comments: CommentTable;
  comment_counts: CommentCountTable;
  comment_live_threads: CommentLiveThreadTable;
  mail_optouts: MailOptoutTable;
  related_articles: RelatedArticleTable;
  related_lists: RelatedListTable;
  users: UserTable;
  sessions: SessionTable;
  account_tokens: AccountTokenTable;
  api_tokens: ApiTokenTable;
  signin_failures: SigninFailureTable;
  audit_log: AuditLogTable;
  section_redirects: SectionRedirectTable;
  pages: PageTable;
  site_settings: SiteSettingTable;
  article_revisions: ArticleRevisionTable;
  article_notes: ArticleNoteTable;
  article_old_addresses: ArticleOldAddressTable;
  import_map: ImportMapTable;
  legacy_links: LegacyLinkTable;
  stored_pages: StoredPageTable;
  stored_page_keys: StoredPageKeyTable;
}

/** A rendered page kept for reads that miss the memory cache (migration 023, src/db/page-store.ts). */
export interface StoredPageTable {
  id: Generated<number>;
  url_key: string;
  status: number;
  content_type: string;
  headers: string;
  etag: string;
  encoding: 'gzip' | 'identity';
  body: Uint8Array;
  change_keys: string;
  size: number;
  stored_at: string;
  /** The build that rendered it (migration 032, decision 0073); '' for pages stored before. */
  build: Generated<string>;
}

export interface StoredPageKeyTable {
  change_key: string;
  page_id: number;
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleUpdate = Updateable<ArticleTable>;
export type SectionRow = Selectable<SectionTable>;
export type PersonRow = Selectable<PersonTable>;
export type TagRow = Selectable<TagTable>;
export type SourceRow = Selectable<SourceTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type CommentRow = Selectable<CommentTable>;
export type NewCommentRow = Insertable<CommentTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type PageRow = Selectable<PageTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
