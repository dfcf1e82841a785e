// Queries over comments and mail opt-outs (the articles they hang on are asked of src/articles/). Public reads select a fixed list
// of columns that leaves out the address, IP and user agent; only the editor queries at the end read them.
import { sql, type Expression } from 'kysely';
import type { Db } from '../db/store.ts';
import type { CommentStatus, NewCommentRow } from '../db/schema.ts';
import { reusableListQuery, reusableQuery } from '../db/reusable-query.ts';

// staff_account_id is read only to mark a staff reply as staff; the account behind it is not shown.
const PUBLIC_COLUMNS = ['id', 'article_id', 'parent_id', 'root_id', 'depth', 'author_name', 'author_url', 'avatar_key', 'body', 'created_at', 'staff_account_id'] as const;

/** Newest approved comments of an article first, at most `limit`, without any private column (the comment feed). */
export function newestApproved(db: Db, articleId: number, limit: number) {
  return db.selectFrom('comments').select(PUBLIC_COLUMNS).where('article_id', '=', articleId).where('status', '=', 'approved').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export type PublicCommentRow = Awaited<ReturnType<typeof newestApproved>>[number];

/**
 * An article's approved comment count and thread count as columns of a query on another row
 * (`articleId`, e.g. the reference `a.id`): null when the article has no row in comment_counts (none).
 * The article page's row carries them (decision 0078), and every card row its count (decision 0079),
 * so neither a page not in the cache nor a list of cards reads counts of its own; the SQL over
 * comment_counts stays here.
 */
export function approvedTotalsColumns(db: Db, articleId: Expression<number>) {
  const one = (column: 'comments' | 'threads') => db.selectFrom('comment_counts as cc').select(`cc.${column}`).where('cc.article_id', '=', articleId);
  return { comments: one('comments'), threads: one('threads') };
}

/**
 * How many approved comments an article has, and in how many threads (a thread is everything under one
 * top-level comment, counted while any of it is approved). Read from comment_counts, which triggers keep
 * on every write of comments (migration 029, decision 0062): one row by its key, whatever the article's size.
 */
export async function approvedTotals(db: Db, articleId: number): Promise<{ comments: number; threads: number }> {
  const [row] = await totalsRow(db, articleId);
  return { comments: Number(row?.comments ?? 0), threads: Number(row?.threads ?? 0) };
}

const totalsRow = reusableQuery((db, articleId: number) => db.selectFrom('comment_counts').select(['comments', 'threads']).where('article_id', '=', articleId));

/**
 * The approved comments of a slice of an article's threads, threads ordered by their top-level comment's
 * id (oldest first), each thread's comments in the order they were written: one comment page.
 */
export function approvedThreadSlice(db: Db, articleId: number, offset: number, limit: number) {
  return threadSliceRows(db, articleId, offset, limit);
}

const threadSliceRows = reusableQuery((db, articleId: number, offset: number, limit: number) => threadSliceQuery(db, articleId, offset, limit));

function threadSliceQuery(db: Db, articleId: number, offset: number, limit: number) {
  // The slice is a run of consecutive thread ids, so the page is every approved comment whose thread id
  // lies between the run's first and last. Both ends are uncorrelated scalar subqueries, which both
  // engines run once. (`root_id in (… limit …)` or a join with it is run again for every comment by
  // PostgreSQL when a fresh table has no statistics yet: 22 s for 4,836 comments.)
  const slice = () =>
    db
      .selectFrom('comments')
      .select('root_id')
      .distinct()
      .where('article_id', '=', articleId)
      .where('status', '=', 'approved')
      .orderBy('root_id')
      .limit(limit)
      .offset(offset)
      .as('slice');
  return db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('root_id', '>=', (eb) => eb.selectFrom(slice()).select((s) => s.fn.min('slice.root_id').as('first')))
    .where('root_id', '<=', (eb) => eb.selectFrom(slice()).select((s) => s.fn.max('slice.root_id').as('last')))
    .orderBy('root_id')
    .orderBy('created_at')
    .orderBy('id');
}

/**
 * Where an approved comment stands among its article's approved threads: its article, how many threads
 * come before its own and how many there are; undefined when it is not an approved comment. The total is
 * comment_counts' and the threads before are the total less those from its own on, a range of
 * comment_live_threads' key (migration 029, decision 0062): the cost grows with the threads started after
 * the comment's own (none or a few for a new comment), not with the article.
 */
export async function approvedPlace(db: Db, id: number): Promise<{ articleId: number; before: number; threads: number } | undefined> {
  const [row] = await placeRows(db, id);
  return row && { articleId: row.article_id, before: Number(row.threads) - Number(row.from_own), threads: Number(row.threads) };
}

const placeRows = reusableQuery((db, id: number) =>
  db
    .selectFrom('comments as c')
    .innerJoin('comment_counts as t', 't.article_id', 'c.article_id')
    .select((eb) => [
      'c.article_id',
      't.threads',
      eb
        .selectFrom('comment_live_threads as l')
        .select((l) => l.fn.countAll<number | string>().as('n'))
        .whereRef('l.article_id', '=', 'c.article_id')
        .where('l.root_id', '>=', eb.fn.coalesce('c.root_id', 'c.id'))
        .as('from_own'),
    ])
    .where('c.id', '=', id)
    .where('c.status', '=', 'approved'),
);

/**
 * approvedPlace for a comment said to be on article `articleId` (a reader's post, which has just found
 * it): undefined when it is not an approved comment of that article. One statement of three scalar
 * subqueries, each on a key: the comment's row by its id (the article and status are checked in the
 * answer), the article's counts, and the article's threads from the comment's own on.
 */
export async function approvedPlaceOn(db: Db, id: number, articleId: number): Promise<{ before: number; threads: number } | undefined> {
  const [row] = await placeOnRows(db, id, articleId);
  if (!row || row.root === null) return undefined;
  const threads = Number(row.threads ?? 0);
  return { before: threads - Number(row.from_own), threads };
}

const placeOnRows = reusableQuery((db, id: number, articleId: number) => placeOnQuery(db, id, articleId));

/** approvedPlaceOn's statement (exported for the test of its plan). */
export function placeOnQuery(db: Db, id: number, articleId: number) {
  return db.selectNoFrom((eb) => {
    const own = () => eb.selectFrom('comments as c').where('c.id', '=', id);
    return [
      own()
        .select((c) =>
          c
            .case()
            .when(c.and([c('c.article_id', '=', articleId), c('c.status', '=', 'approved')]))
            .then(c.fn.coalesce('c.root_id', 'c.id'))
            .end()
            .as('root'),
        )
        .as('root'),
      eb.selectFrom('comment_counts as t').select('t.threads').where('t.article_id', '=', articleId).as('threads'),
      eb
        .selectFrom('comment_live_threads as l')
        .select((l) => l.fn.countAll<number | string>().as('n'))
        .where('l.article_id', '=', articleId)
        .where('l.root_id', '>=', own().select((c) => c.fn.coalesce('c.root_id', 'c.id').as('r')))
        .as('from_own'),
    ];
  });
}

/** One approved comment, without any private column. */
export function findApproved(db: Db, id: number) {
  return db.selectFrom('comments').select(PUBLIC_COLUMNS).where('id', '=', id).where('status', '=', 'approved').executeTakeFirst();
}

/**
 * Stores a comment with the thread it belongs to (root_id: its parent's, or its own id when it is
 * top-level). Run it in a transaction: a top-level comment takes a second statement.
 */
export async function insertComment(db: Db, row: Omit<NewCommentRow, 'root_id'>): Promise<number> {
  const parentId = row.parent_id ?? null;
  const inserted = await db
    .insertInto('comments')
    .values((eb) => ({ ...row, root_id: parentId === null ? null : eb.selectFrom('comments as p').select('p.root_id').where('p.id', '=', parentId) }))
    .returning('id')
    .executeTakeFirstOrThrow();
  if (parentId === null) await startThread(db, inserted.id);
  return inserted.id;
}

/** A top-level comment is its own thread's root: compiled once, a named statement on PostgreSQL (decision 0057). */
const startThread = reusableQuery((db, id: number) => db.updateTable('comments').set({ root_id: id }).where('id', '=', id));

/** Rows per multi-row insert of comments: 17 values a row stays far below both engines' parameter limits. */
const INSERT_CHUNK = 500;

/**
 * Stores many new comments in a few statements (an import). Each row names its thread: `root_id` is its
 * parent's thread, or null for a comment that starts one (it then becomes its own id). Parents must be in
 * an earlier call or earlier in `rows`' chunks. Returns the ids in the order of `rows`.
 */
export async function insertComments(db: Db, rows: readonly NewCommentRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const made = await db.insertInto('comments').values(chunk).returning('id').execute();
    if (made.length !== chunk.length) throw new Error(`insertComments: ${chunk.length} rows sent, ${made.length} stored`);
    // RETURNING promises no order, but the ids themselves do: the rows of one VALUES list are inserted in
    // order and each takes a larger id than the one before (SQLite: one more than the largest rowid;
    // PostgreSQL: the next value of the column's sequence), so the sorted ids line up with the rows.
    ids.push(...made.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  const starters = ids.filter((_, i) => rows[i]!.root_id == null);
  for (let i = 0; i < starters.length; i += INSERT_CHUNK) {
    await db.updateTable('comments').set((eb) => ({ root_id: eb.ref('id') })).where('id', 'in', starters.slice(i, i + INSERT_CHUNK)).execute();
  }
  return ids;
}

/** True when the site holds at least one comment, whatever its status. */
export async function hasAnyComment(db: Db): Promise<boolean> {
  return (await db.selectFrom('comments').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** True when this address already has an approved comment anywhere on the site. */
export async function hasApprovedFrom(db: Db, emailLower: string): Promise<boolean> {
  const row = await db.selectFrom('comments').select('id').where('author_email_lower', '=', emailLower).where('status', '=', 'approved').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The characters of a comment's text that comments_article_prefix_idx holds (migration 028: substr(body, 1, 64)). */
const TEXT_PREFIX_CHARS = 64;

/**
 * True when the article has a comment with exactly this text that is approved (public facts only), or
 * that is one of `browserIds` (the comments a browser sent) and not in the trash: the duplicate rule, in
 * one statement that reads the article's comments with this text, whatever their status, and judges
 * each in its answer.
 */
export async function isRepeat(db: Db, articleId: number, body: string, browserIds: readonly number[]): Promise<boolean> {
  const [row] = browserIds.length <= MAX_REUSED_BROWSER_IDS ? await repeatRows(browserIds.length)(db, articleId, body, ...browserIds) : await repeatQuery(db, articleId, body, browserIds).execute();
  // 1 or 0, or null when the article has no comment with this text.
  return row !== undefined && Number(row.repeat) === 1;
}

/** Browsers naming more comments than this (a cookie holds at most 20) have the rule's statement built for their call. */
const MAX_REUSED_BROWSER_IDS = 8;

/** isRepeat's statement for each number of the browser's comments: compiled once, a named statement on PostgreSQL (decision 0057). */
const repeatByCount = new Map<number, (db: Db, articleId: number, body: string, ...browserIds: number[]) => Promise<{ repeat: number | null }[]>>();

function repeatRows(count: number) {
  let rows = repeatByCount.get(count);
  if (!rows) repeatByCount.set(count, (rows = reusableQuery((db, articleId: number, body: string, ...browserIds: number[]) => repeatQuery(db, articleId, body, browserIds))));
  return rows;
}

/** isRepeat's statement (exported for the test of its plan): one row, `repeat`. */
export function repeatQuery(db: Db, articleId: number, body: string, browserIds: readonly number[]) {
  // The text's prefix names comments_article_prefix_idx's expression (migration 028): the rule reads the
  // comments of the article that begin alike. The status is judged in the answer, not in the conditions:
  // the article's other indexes begin (article_id, status), and without planner statistics PostgreSQL
  // estimates any two equalities at one row, so a condition on the status made them cost the same as
  // this index, and it took the thread index and read every approved comment (decision 0057).
  const prefix = (text: Expression<string>) => sql<string>`substr(${text}, 1, ${sql.lit(TEXT_PREFIX_CHARS)})`;
  return db
    .selectFrom('comments')
    .select((eb) => {
      const approved = eb('status', '=', 'approved');
      const counts = browserIds.length ? eb.or([approved, eb.and([eb('id', 'in', browserIds), eb('status', '!=', 'trash')])]) : approved;
      return eb.fn.max(eb.case().when(counts).then(1).else(0).end()).as('repeat');
    })
    .where('article_id', '=', articleId)
    .where((eb) => eb(prefix(eb.ref('body')), '=', prefix(eb.val(body))))
    .where('body', '=', body);
}

/** Who wrote these comments (the ones a browser sent) and where they stand. */
export function authorsOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return authorRows(db, ids);
}

/** Read for every comment a returning browser posts: compiled once per number of ids, a named statement on PostgreSQL (decision 0057). */
const authorRows = reusableListQuery((db, ids) => db.selectFrom('comments').select(['id', 'status', 'author_name', 'author_email_lower']).where('id', 'in', ids));

// ---- editors ------------------------------------------------------------------------------------

/** A comment with every column, for editors, the mailer and tests. */
export function findComment(db: Db, id: number) {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface QueueFilter {
  status?: CommentStatus;
  articleId?: number;
  limit: number;
}

/** Comments for the moderation queue, newest first, with their article's address. */
export function listForEditors(db: Db, filter: QueueFilter) {
  let q = db
    .selectFrom('comments as c')
    .selectAll('c');
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.articleId !== undefined) q = q.where('c.article_id', '=', filter.articleId);
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
}

export async function setStatus(db: Db, id: number, status: CommentStatus, now: string): Promise<void> {
  await db
    .updateTable('comments')
    .set((eb) => ({
      status,
      updated_at: now,
      approved_at: status === 'approved' ? eb.fn.coalesce('approved_at', eb.val(now)) : eb.ref('approved_at'),
    }))
    .where('id', '=', id)
    .execute();
}

export async function setBody(db: Db, id: number, body: string, now: string): Promise<void> {
  await db.updateTable('comments').set({ body, updated_at: now }).where('id', '=', id).execute();
}

/** A staff correction: the text, the name shown and the website. */
export async function setShownFields(db: Db, id: number, fields: { body: string; authorName: string; authorUrl: string | null }, now: string): Promise<void> {
  await db.updateTable('comments').set({ body: fields.body, author_name: fields.authorName, author_url: fields.authorUrl, updated_at: now }).where('id', '=', id).execute();
}

/** How many comments stand in each queue state, on one article or on all. */
export async function statusCounts(db: Db, articleId?: number): Promise<Map<CommentStatus, number>> {
  let q = db.selectFrom('comments').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]);
  if (articleId !== undefined) q = q.where('article_id', '=', articleId);
  const rows = await q.groupBy('status').execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** How many comments wait for moderation on the whole site. */
export async function pendingTotal(db: Db): Promise<number> {
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of a queue state, newest first (every column: this is for staff). */
export function queueSlice(db: Db, filter: { status: CommentStatus; articleId?: number; offset: number; limit: number }) {
  let q = db.selectFrom('comments').selectAll().where('status', '=', filter.status);
  if (filter.articleId !== undefined) q = q.where('article_id', '=', filter.articleId);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

/** Articles that have comments, with how many, most commented first: the queue's article filter. */
export async function commentedArticles(db: Db, limit: number): Promise<{ articleId: number; comments: number }[]> {
  const rows = await db
    .selectFrom('comments')
    .select(['article_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('article_id')
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .orderBy('article_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ articleId: r.article_id, comments: Number(r.n) }));
}

/** The comments with these ids (every column, for staff), in any order; unknown ids are left out. */
export function findComments(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
}

export async function insertOptout(db: Db, key: string, now: string): Promise<void> {
  await db.insertInto('mail_optouts').values({ key, created_at: now }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function hasOptout(db: Db, key: string): Promise<boolean> {
  return (await db.selectFrom('mail_optouts').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
}

// ---- the server secret --------------------------------------------------------------------------

export async function readState(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('site_state').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Stores a value unless the key exists (another process may have raced us); returns the stored value. */
export async function insertStateOnce(db: Db, key: string, value: string): Promise<string> {
  await db.insertInto('site_state').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await readState(db, key)) ?? value;
}
