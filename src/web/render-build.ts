// Which build renders this process's pages (decision 0073). A stored rendered page outlives the process
// that made it; after an upgrade, or a change of the settings from the environment that a page shows, it
// would name a stylesheet the server no longer has or show what the server no longer writes. The page
// store keeps each page's build and serves a page only to a process of the same build.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { projectFile } from '../lib/project-files.ts';

let sources: string | null = null;

/**
 * A hash of the code that renders pages: every file under src/ (the theme's templates and assets among
 * them; tests left out) and the locked package versions. The same from the sources under tsx (the
 * `gazette` command) and from the bundle `npm start` runs, which is built from them and reads the theme's
 * assets from src/ too; so `gazette pages prerender` stores pages the server reads. Once per process.
 */
export function sourceHash(): string {
  if (sources !== null) return sources;
  const hash = createHash('sha256');
  const root = projectFile('src');
  const files = fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(path.join(root, file))).update('\0');
  for (const lock of ['package-lock.json', 'package.json']) {
    const file = projectFile(lock);
    if (fs.existsSync(file)) {
      hash.update(`${lock}\0`).update(fs.readFileSync(file));
      break;
    }
  }
  return (sources = hash.digest('hex'));
}

/** The settings from the environment that show on a page (a secret or a database address never does). */
const shownSettings = (config: Config) => ({
  publicUrl: config.publicUrl,
  siteName: config.siteName,
  siteLanguage: config.siteLanguage,
  feedContent: config.feedContent,
  comments: config.comments,
  images: config.images,
});

/** This process's build: its code and the settings its pages show, as 16 hex digits. */
export function renderBuild(config: Config): string {
  return createHash('sha256').update(sourceHash()).update(JSON.stringify(shownSettings(config))).digest('hex').slice(0, 16);
}
