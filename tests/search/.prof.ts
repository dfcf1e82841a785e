import { openStore } from '../../src/db/database.ts';
import { search } from '../../src/search/search.service.ts';
const store = openStore({ kind: 'sqlite', file: '/tmp/gazette-bench-corpus/corpus-100000-seed1-2026-11-25.db' });
for (const r of [{ q: 'baghdad', section: 'news' }, { q: 'troops', language: 'en', from: '2025-01-01', to: '2025-12-31' }, { q: 'baghdad' }, { q: 'baghdad', section: 'news' }, { q: 'troops', language: 'en', from: '2025-01-01', to: '2025-12-31' }]) {
  const a = performance.now();
  const o = await search(store.db, r);
  console.log(JSON.stringify(r), (performance.now() - a).toFixed(1), o.total, o.results.length);
}
await store.close();
