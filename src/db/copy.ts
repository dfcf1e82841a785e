// Moving a whole site between stores (SQLite <-> PostgreSQL), and a canonical export that reads the
// same from either engine, so a copy can be checked byte for byte. Only content tables are copied: the
// search index is each engine's own and is rebuilt from the copied articles; the change log and the
// migration bookkeeping belong to the store they are in.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Store } from './store.ts';
import { forJsonLine } from '../lib/terminal-text.ts';

interface TableSpec {
  name: string;
  /** Primary key columns, integers unless textKey. */
  key: string[];
  /** The key is text: read in any order, sorted in code for the export (engines collate text differently). */
  textKey?: boolean;
  /** A column pointing at another row of the same table, possibly a later one: filled in after the rows. */
  selfRef?: string;
  /** Columns shown in the export only as a digest: readers' addresses and the like never leave the store. */
  private?: string[];
}

/** Every content table, parents before children. A test checks that no table of the schema is missing. */
export const CONTENT_TABLES: readonly TableSpec[] = [
  { name: 'sections', key: ['id'] },
  { name: 'people', key: ['id'] },
  // Staff accounts move with the site; their secrets are exported only as digests.
  { name: 'users', key: ['id'], private: ['email', 'email_lower', 'password_hash', 'totp_secret', 'recovery_codes', 'totp_last_step'] },
  // API tokens move with the accounts they act as; only their digests exist, exported as digests again.
  { name: 'api_tokens', key: ['id'], private: ['token_hash'] },
  { name: 'tags', key: ['id'] },
  // Webhook endpoints move with the site; their secrets, and URLs (which often carry a token), are exported only as digests.
  { name: 'webhooks', key: ['id'], private: ['url', 'secret', 'previous_secret'] },
  { name: 'section_redirects', key: ['old_slug'], textKey: true },
  { name: 'pages', key: ['id'] },
  { name: 'site_settings', key: ['key'], textKey: true },
  { name: 'documents', key: ['id'] },
  { name: 'media_images', key: ['id'] },
  { name: 'articles', key: ['id'], selfRef: 'translation_of' },
  { name: 'article_authors', key: ['article_id', 'person_id'] },
  { name: 'article_tags', key: ['article_id', 'tag_id'] },
  { name: 'article_images', key: ['article_id', 'image_id'] },
  { name: 'sources', key: ['id'] },
  { name: 'related_pins', key: ['article_id', 'related_article_id'] },
  { name: 'related_articles', key: ['article_id', 'related_article_id'] },
  { name: 'related_lists', key: ['article_id'] },
  { name: 'article_revisions', key: ['id'] },
  { name: 'article_notes', key: ['id'] },
  { name: 'article_old_addresses', key: ['section_slug', 'slug'], textKey: true },
  { name: 'comments', key: ['id'], selfRef: 'parent_id', private: ['author_email', 'author_email_lower', 'ip', 'user_agent'] },
  { name: 'mail_optouts', key: ['key'], textKey: true },
  // Holds the generated server secret: exported as a digest.
  { name: 'site_state', key: ['key'], textKey: true, private: ['value'] },
  { name: 'audit_log', key: ['id'] },
  // What each imported WordPress object became, so importing the same export again updates it.
  { name: 'import_map', key: ['site', 'kind', 'wp_id'], textKey: true },
  // Old WordPress addresses and what they became, answered 301 (decision 0031).
  { name: 'legacy_links', key: ['path'], textKey: true },
];

/**
 * Tables a store keeps for itself, never copied: the engine's search index, its change log, migrations,
 * and what is short-lived about signing in (sessions, pending invitation and reset links, failed
 * attempts), webhooks' outbox and delivery log, and stored rendered pages (decision 0038): after a copy,
 * staff sign in again. The comment counts (migration 029) are filled by the target's own triggers as the
 * comments are copied.
 */
export const STORE_TABLES = /^(article_search.*|comment_counts|comment_live_threads|change_log|stored_pages|stored_page_keys|kysely_migration.*|sqlite_.*|sessions|account_tokens|signin_failures|webhook_events|webhook_deliveries|webhook_attempts)$/;

type Row = Record<string, unknown>;
type AnyDb = Kysely<Record<string, Row>>;

const BATCH = 500;

const anyDb = (store: Store) => store.db as unknown as AnyDb;

/** The columns of each content table, in the order the schema declares them. */
async function columnsOf(store: Store): Promise<Map<string, string[]>> {
  const tables = await store.db.introspection.getTables();
  return new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/** Reads a table in key order, a batch at a time (keyset paging on the key columns). */
async function* readTable(db: AnyDb, spec: TableSpec, columns: string[]): AsyncGenerator<Row[]> {
  let last: Row | null = null;
  for (;;) {
    let q = db.selectFrom(spec.name).select(columns);
    if (last) {
      const after = last;
      // (k1, k2, …) > (v1, v2, …), spelled out so that both engines use the primary key.
      q = q.where((eb) =>
        eb.or(
          spec.key.map((_, i) =>
            eb.and([...spec.key.slice(0, i).map((k) => eb(k, '=', after[k] as never)), eb(spec.key[i]!, '>', after[spec.key[i]!] as never)]),
          ),
        ),
      );
    }
    for (const k of spec.key) q = q.orderBy(k);
    const rows = (await q.limit(BATCH).execute()) as Row[];
    if (!rows.length) return;
    yield rows;
    last = rows[rows.length - 1]!;
    if (rows.length < BATCH) return;
  }
}

/** Rows in each content table, for the progress bar and the emptiness check. */
export async function countRows(store: Store): Promise<Map<string, number>> {
  const db = anyDb(store);
  const out = new Map<string, number>();
  for (const spec of CONTENT_TABLES) {
    const row = await db.selectFrom(spec.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out.set(spec.name, Number(row.n));
  }
  return out;
}

/** The schema has a table that neither CONTENT_TABLES nor STORE_TABLES accounts for (a migration added it). */
export async function unaccountedTables(store: Store): Promise<string[]> {
  const known = new Set(CONTENT_TABLES.map((t) => t.name));
  return [...(await columnsOf(store)).keys()].filter((t) => !known.has(t) && !STORE_TABLES.test(t)).sort();
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

/**
 * Copies every content row from one migrated store into another, in one transaction on the target:
 * a failure leaves the target as it was. The target must hold no content. Ids are kept, so addresses,
 * pins and comment threads stay as they were; identity counters are moved past them afterwards.
 * onProgress receives (table, rows done in it, rows in it).
 */
export async function copyContent(from: Store, to: Store, onProgress: (table: string, done: number, total: number) => void = () => {}): Promise<number> {
  const sourceColumns = await columnsOf(from);
  const targetColumns = await columnsOf(to);
  for (const spec of CONTENT_TABLES) {
    const a = sourceColumns.get(spec.name)?.slice().sort().join(',');
    const b = targetColumns.get(spec.name)?.slice().sort().join(',');
    if (a !== b) throw new CopyRefused(`The table ${spec.name} differs between the two databases (${a ?? 'missing'} / ${b ?? 'missing'}); migrate both to the same version first.`);
  }
  const present = [...(await countRows(to)).entries()].filter(([, n]) => n > 0);
  if (present.length) throw new CopyRefused(`The target database is not empty (${present.map(([t, n]) => `${t}: ${n} rows`).join(', ')}); copy into a new database.`);
  const totals = await countRows(from);
  let copied = 0;
  await to.writeTransaction(async (trx) => {
    const target = trx as unknown as AnyDb;
    for (const spec of CONTENT_TABLES) {
      const columns = sourceColumns.get(spec.name)!;
      const forward: Row[] = [];
      let done = 0;
      onProgress(spec.name, 0, totals.get(spec.name) ?? 0);
      for await (const rows of readTable(anyDb(from), spec, columns)) {
        const values = rows.map((r) => {
          const row = { ...r };
          // A reference to a row not written yet is set once every row of the table is in.
          if (spec.selfRef && row[spec.selfRef] !== null && Number(row[spec.selfRef]) > Number(row.id)) {
            forward.push({ id: row.id, ref: row[spec.selfRef] });
            row[spec.selfRef] = null;
          }
          return row;
        });
        await target.insertInto(spec.name).values(values as never).execute();
        done += rows.length;
        copied += rows.length;
        onProgress(spec.name, done, totals.get(spec.name) ?? 0);
      }
      for (const f of forward)
        await target
          .updateTable(spec.name)
          .set({ [spec.selfRef!]: f.ref } as never)
          .where('id', '=', f.id as never)
          .execute();
      if (spec.key.length === 1 && spec.key[0] === 'id') await to.schema.moveIdentityPast(trx as unknown as Kysely<unknown>, spec.name);
    }
  });
  return copied;
}

/** A value as the export writes it: the same text whichever engine it was read from. */
function canonicalValue(value: unknown, isPrivate: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (isPrivate) return `sha256:${createHash('sha256').update(String(value)).digest('hex')}`;
  if (typeof value === 'number') {
    // SQLite keeps REAL as a double, PostgreSQL's real as a 4-byte float. Rounding the double to six
    // digits directly can land on the other side of a digit from the float (0.6721245 vs 0.67212445), so
    // both are first taken to the float PostgreSQL would store (Math.fround), then to six digits.
    return Number.isInteger(value) ? value : Number(Math.fround(value).toPrecision(6));
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * The site's content as JSON lines, one per row, tables in a fixed order, rows in key order, columns
 * sorted by name. Private columns (readers' addresses, IP addresses, the server secret) appear only as
 * SHA-256 digests, so the export can be compared or shared without revealing them.
 */
export async function* canonicalExport(store: Store): AsyncGenerator<string> {
  const columns = await columnsOf(store);
  for (const spec of CONTENT_TABLES) {
    const names = (columns.get(spec.name) ?? []).slice().sort();
    const privateColumns = new Set(spec.private ?? []);
    const lines: string[] = [];
    // Controls JSON.stringify leaves raw become \u escapes, so the export is safe to print to a terminal.
    const line = (r: Row) => forJsonLine(JSON.stringify({ table: spec.name, row: Object.fromEntries(names.map((c) => [c, canonicalValue(r[c], privateColumns.has(c))])) }));
    for await (const rows of readTable(anyDb(store), spec, names)) {
      if (spec.textKey) for (const r of rows) lines.push(line(r));
      else for (const r of rows) yield line(r);
    }
    // Text keys collate differently per engine: sorted here by code unit.
    if (spec.textKey) {
      const keyOf = (l: string) => String((JSON.parse(l) as { row: Row }).row[spec.key[0]!]);
      lines.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      yield* lines;
    }
  }
}

/** Reads the whole export into one string (tests, small sites). */
export async function exportText(store: Store): Promise<string> {
  let out = '';
  for await (const line of canonicalExport(store)) out += `${line}\n`;
  return out;
}

