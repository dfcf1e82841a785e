// A process that ingests pictures through the real media service (uploadImage: type by content,
// location and serials stripped, every rendition made, the row written), for bench/media.bench.ts.
// Run as `node --import tsx bench/lib/media-ingest.child.ts <file> <count>` with DATABASE_URL and
// MEDIA_DIR set: it uploads <file> <count> times at once (as that many editors would), then prints one
// line of JSON with the wall time, its own resident memory before the uploads and its high-water mark
// (VmHWM), and the first upload's renditions. The bench samples its memory from outside as well.
import fs from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore } from '../../src/db/database.ts';
import { createAccount } from '../../src/accounts/account.service.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { uploadImage, type MediaDeps } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { allKeys, parseRenditions } from '../../src/media/image.renditions.ts';

function statusKb(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : 0;
}

const [file, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 1);
if (!file || !Number.isInteger(count) || count < 1) {
  console.error('usage: media-ingest.child.ts <file> <count>');
  process.exit(64);
}

const config = loadConfig();
const store = await openStore(config.database);
try {
  await migrateToLatest(store);
  const deps: MediaDeps = { store, storage: localStorage(config.mediaDir), settings: config.images, usage: articleImageUsage };
  const actor = await createAccount(store, null, { email: `bench-${process.pid}@bench.test`, name: 'Bench', role: 'editor', password: 'a long bench password 1' });
  const rssBeforeKb = statusKb('VmRSS');
  const started = performance.now();
  const items = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      uploadImage(deps, actor, { fileName: `photo-${i + 1}.jpg`, stream: fs.createReadStream(file), truncated: () => false }, { alt: `Bench photo ${i + 1}` }),
    ),
  );
  const ms = performance.now() - started;
  const row = await store.db.selectFrom('media_images').select(['renditions', 'original_path', 'size_bytes']).where('id', '=', items[0]!.id).executeTakeFirstOrThrow();
  const plan = parseRenditions(row.renditions);
  console.log(
    JSON.stringify({
      ms,
      rssBeforeKb,
      peakKb: statusKb('VmHWM'),
      id: items[0]!.id,
      width: items[0]!.width,
      height: items[0]!.height,
      storedOriginal: { key: row.original_path, bytes: Number(row.size_bytes) },
      files: allKeys(plan).length,
      picture: items[0]!.picture,
    }),
  );
} finally {
  await store.close();
}
