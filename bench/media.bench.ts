// Issue 12: pictures. (1) Time to ingest one 24-megapixel JPEG (6000×4000, photo-like: gradients, soft
// shapes, texture and grain, with a camera's EXIF and GPS position, as a phone or camera writes it)
// through the real media service: judged, stripped of location and serials, every rendition made, the
// row written. (2) Peak resident memory of the process while ten such uploads run at once (target
// < 400 MB; sharp's concurrency is bounded in src/media/image.pipeline.ts). (3) Bytes a reader's browser
// fetches: the rendition it picks at 1280 pixels (AVIF, else WebP, else the JPEG fallback) against the
// uploaded original, and against a plain 1280-pixel JPEG of it. (4) req/s of a served rendition
// (GET /media/…) on the real server against a bare node:http server answering the same bytes.
// Ingest is engine-independent (one row written), so it runs once, on SQLite, in a child process of its
// own (bench/lib/media-ingest.child.ts) whose memory is sampled; the served rendition is measured on
// every engine's server, like the article page.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { atExit, tempDir } from './lib/cleanup.ts';
import { compareWithBare } from './lib/compare.ts';
import type { Engine } from './lib/engines.ts';
import { noteCodeStart } from './lib/builds.ts';
import { REPO_ROOT, startGazette, type BenchDatabase } from './lib/gazette-server.ts';
import { sampleRss } from './lib/proc.ts';
import { addTo, below, emptyReport, onEngine, valid, type BenchContext, type ScenarioReport } from './lib/scenario.ts';

const PHOTO = { width: 6000, height: 4000 };
const MB = 1024 * 1024;
/** The display width whose rendition the bytes comparison takes: a desktop article column at 2x, or a full-width phone. */
const DISPLAY_WIDTH = 1280;
const CONCURRENT = 10;

/** A small seeded generator, so every run ingests the same picture. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
}

/**
 * A photo-like picture: smooth light across the frame, soft round shapes of many colours, fine texture and
 * sensor grain. Flat colour would let every encoder cheat; pure noise would make every encoder fail.
 */
async function writePhoto(file: string, width: number, height: number): Promise<number> {
  const random = seeded(12345);
  // Clamped, as a camera's values are: a Buffer would wrap 260 round to 4.
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const texture = 18 * Math.sin(x / 23) * Math.sin(y / 31) + 10 * Math.sin((x + y) / 7.3);
      const grain = (random() - 0.5) * 24;
      data[i] = 40 + (180 * x) / width + texture + grain;
      data[i + 1] = 60 + (150 * y) / height + texture + grain;
      data[i + 2] = 120 + 60 * Math.sin(x / 370 + y / 510) + texture + grain;
    }
  for (let n = 0; n < 40; n++) {
    const cx = random() * width;
    const cy = random() * height;
    const r = 80 + random() * 700;
    const colour = [random() * 255, random() * 255, random() * 255];
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, cx + r); x++) {
        const d = Math.hypot(x - cx, y - cy) / r;
        if (d >= 1) continue;
        const a = 0.7 * (1 - d * d);
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * (1 - a) + colour[c]! * a;
      }
  }
  const info = await sharp(Buffer.from(data.buffer), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'Camera', Model: 'Bench 24', Copyright: 'Gazette bench' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 53/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '35/1 30/1 0/1' },
    })
    .toFile(file);
  return info.size;
}

interface IngestOutput {
  ms: number;
  rssBeforeKb: number;
  peakKb: number;
  id: number;
  width: number;
  height: number;
  storedOriginal: { key: string; bytes: number };
  files: number;
  picture: { sources: { type: string; srcset: string }[]; src: string; srcset: string; width: number; height: number };
}

/** Runs the ingest child: `count` uploads of `photo` at once into the database and MEDIA_DIR given. */
function ingest(photo: string, count: number, database: string, mediaDir: string): Promise<IngestOutput & { sampledPeakBytes: number }> {
  return new Promise((resolve, reject) => {
    noteCodeStart();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib', 'media-ingest.child.ts'), photo, String(count)], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: database, MEDIA_DIR: mediaDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forget = atExit(() => child.kill('SIGKILL'));
    const rss = sampleRss(child.pid!, 50);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      forget();
      const sampledPeakBytes = rss.stop();
      if (code !== 0) return reject(new Error(`the ingest child exited with ${code}: ${stderr.trim() || stdout.trim()}`));
      resolve({ ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as IngestOutput), sampledPeakBytes });
    });
  });
}

/** The candidate a browser picks from a width srcset for a display this wide at 1x: the narrowest at least as wide. */
function pick(srcset: string, width: number): string {
  const candidates = srcset.split(', ').map((c) => ({ url: c.split(' ')[0]!, w: Number(/ (\d+)w$/.exec(c)![1]) }));
  return (candidates.find((c) => c.w >= width) ?? candidates.at(-1)!).url;
}

const fileOf = (mediaDir: string, url: string) => path.join(mediaDir, url.replace(/^\/media\//, ''));

async function ingestPart(ctx: BenchContext, dir: string, photo: string, photoBytes: number): Promise<ScenarioReport> {
  const report = emptyReport();
  ctx.log(`one upload of the ${PHOTO.width}×${PHOTO.height} JPEG (${(photoBytes / MB).toFixed(1)} MB) through the media service`);
  const oneDir = path.join(dir, 'one');
  fs.mkdirSync(oneDir);
  const one = await ingest(photo, 1, `file:${path.join(oneDir, 'gazette.db')}`, path.join(oneDir, 'media'));
  ctx.log(`${CONCURRENT} uploads of it at once`);
  const tenDir = path.join(dir, 'ten');
  fs.mkdirSync(tenDir);
  const ten = await ingest(photo, CONCURRENT, `file:${path.join(tenDir, 'gazette.db')}`, path.join(tenDir, 'media'));
  const peakTen = Math.max(ten.peakKb * 1024, ten.sampledPeakBytes) / MB;
  const peakOne = Math.max(one.peakKb * 1024, one.sampledPeakBytes) / MB;

  // Bytes: what a browser fetches at 1280 pixels, from the single upload's files.
  const mediaDir = path.join(oneDir, 'media');
  const avif = one.picture.sources.find((s) => s.type === 'image/avif');
  const webp = one.picture.sources.find((s) => s.type === 'image/webp');
  const size = (url: string) => fs.statSync(fileOf(mediaDir, url)).size;
  const avifUrl = avif ? pick(avif.srcset, DISPLAY_WIDTH) : '';
  const webpUrl = webp ? pick(webp.srcset, DISPLAY_WIDTH) : '';
  const jpegUrl = pick(one.picture.srcset, DISPLAY_WIDTH);
  const plain = await sharp(photo).resize({ width: DISPLAY_WIDTH }).jpeg().toBuffer();
  const figures = [
    { label: `ingest one ${PHOTO.width}×${PHOTO.height} JPEG, all ${one.files} renditions`, value: one.ms / 1000, unit: 's' },
    { label: `${CONCURRENT} such uploads at once: wall time`, value: ten.ms / 1000, unit: 's' },
    { label: `${CONCURRENT} uploads at once: peak RSS of the ingesting process`, value: peakTen, unit: 'MB' },
    { label: 'ingesting process RSS before the uploads (Node, tsx, sharp, the store)', value: ten.rssBeforeKb / 1024, unit: 'MB' },
    { label: `${CONCURRENT} uploads at once: peak RSS above that`, value: peakTen - ten.rssBeforeKb / 1024, unit: 'MB' },
    { label: 'one upload: peak RSS of the ingesting process', value: peakOne, unit: 'MB' },
    { label: 'uploaded JPEG', value: photoBytes / 1024, unit: 'KiB' },
    { label: 'stored original (location and serials removed, re-encoded)', value: one.storedOriginal.bytes / 1024, unit: 'KiB' },
    { label: `plain ${DISPLAY_WIDTH}px JPEG of the original (sharp's defaults, quality 80)`, value: plain.length / 1024, unit: 'KiB' },
  ];
  for (const [name, url] of [['AVIF', avifUrl], ['WebP', webpUrl], ['JPEG fallback', jpegUrl]] as const) {
    if (!url) continue;
    const bytes = size(url);
    figures.push(
      { label: `${name} rendition picked at ${DISPLAY_WIDTH}px (${path.basename(url)})`, value: bytes / 1024, unit: 'KiB' },
      { label: `${name} at ${DISPLAY_WIDTH}px / uploaded original bytes`, value: (bytes / photoBytes) * 100, unit: '%' },
      { label: `${name} at ${DISPLAY_WIDTH}px / plain ${DISPLAY_WIDTH}px JPEG bytes`, value: (bytes / plain.length) * 100, unit: '%' },
    );
  }
  report.figures.push(...figures);
  report.checks.push(
    valid('the upload made the full set of renditions', one.files > 15 && one.width === PHOTO.width && one.height === PHOTO.height, `${PHOTO.width}×${PHOTO.height}, > 15 files`, `${one.width}×${one.height}, ${one.files} files`),
    below(`peak RSS while ${CONCURRENT} 24-megapixel uploads run at once`, peakTen, 400, ' MB'),
  );
  report.notes.push(
    `Ingest runs in a process of its own (bench/lib/media-ingest.child.ts: the sources through tsx, the real store, storage and uploadImage), not in the bundled server: there is no upload route to post to yet. Its idle RSS (${(ten.rssBeforeKb / 1024).toFixed(0)} MB) is above the bundled server's (about 110 MB in the article scenario), so the peak the server would reach is about the "above that" figure plus the server's own.`,
    `The uploaded JPEG carries EXIF with a GPS position, so ingest includes writing the original again without it (IMAGE_KEEP_METADATA off, the default). ${CONCURRENT} uploads at once are worked on one at a time, by one libvips thread (image.pipeline.ts).`,
  );
  if (!avifUrl) report.checks.push(valid('an AVIF rendition exists', false, 'present', 'missing'));
  return report;
}

/** The server's part on one engine: a picture ingested into its database, then its 1280-pixel AVIF served. */
async function servePart(ctx: BenchContext, engine: Engine, dir: string, photo: string): Promise<ScenarioReport> {
  const mediaDir = path.join(dir, `served-${engine.kind}`);
  let rendition = '';
  const gazette = await startGazette({
    engine,
    env: { MEDIA_DIR: mediaDir },
    async prepare(database: BenchDatabase) {
      const out = await ingest(photo, 1, database.url, mediaDir);
      rendition = pick(out.picture.sources.find((s) => s.type === 'image/avif')!.srcset, DISPLAY_WIDTH);
    },
  });
  try {
    const { runs, ratio, cpuRatio, checks, notes } = await compareWithBare(ctx, gazette, { path: rendition });
    return {
      loads: runs,
      figures: [
        { label: `served ${DISPLAY_WIDTH}px AVIF: gazette / bare req/s`, value: ratio * 100, unit: '%' },
        ...(cpuRatio === undefined ? [] : [{ label: `served ${DISPLAY_WIDTH}px AVIF: gazette / bare requests per server CPU-second`, value: cpuRatio * 100, unit: '%' }]),
        { label: `served ${DISPLAY_WIDTH}px AVIF: gazette req/s`, value: runs.find((r) => r.label.startsWith('gazette'))?.requestsPerSec ?? 0, unit: 'req/s' },
      ],
      // The issue sets no target here: the figures are for comparing with the article page's.
      checks,
      notes: [
        ...notes,
        ...(cpuRatio === undefined
          ? []
          : [`Per server CPU-second Gazette serves the file at ${(cpuRatio * 100).toFixed(0)}% of the bare server's rate: the bare server holds the bytes in memory, Gazette opens, reads and closes the file on each request and runs its hooks (security headers).`]),
        `The rendition is read from MEDIA_DIR on every request (storage.get, a stream per request; no database query), with year-long cache headers: a browser or CDN asks once.`,
      ],
    };
  } finally {
    await gazette.stop();
  }
}

export default async function media(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  const { dir, remove } = tempDir('gazette-bench-media-');
  try {
    ctx.log(`making a photo-like ${PHOTO.width}×${PHOTO.height} JPEG`);
    const photo = path.join(dir, 'photo-24mp.jpg');
    const photoBytes = await writePhoto(photo, PHOTO.width, PHOTO.height);
    const small = path.join(dir, 'photo-small.jpg');
    await sharp(photo).resize({ width: 2400 }).jpeg({ quality: 90 }).toFile(small);

    addTo(report, await ingestPart(ctx, dir, photo, photoBytes));
    for (const engine of ctx.engines) {
      ctx.log(`— ${engine.label}: a served rendition`);
      addTo(report, onEngine(engine, await servePart(ctx, engine, dir, small)));
    }
    report.notes.push(
      `The served rendition is the ${DISPLAY_WIDTH}px AVIF of a 2400×1600 copy of the same photo, uploaded through the same service into each server's database before it starts.`,
    );
  } finally {
    remove();
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
