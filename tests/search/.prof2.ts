import { openStore } from '../../src/db/database.ts';
import { sql } from 'kysely';
const store = openStore({ kind: 'sqlite', file: '/tmp/gazette-bench-corpus/corpus-100000-seed1-2026-11-25.db' });
await sql`create table if not exists article_search_facets (article_id integer primary key, section_id integer not null, language text not null, published_at text not null)`.execute(store.db);
await store.close();
