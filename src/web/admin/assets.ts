// The admin's own static files (src/web/admin/assets/: its stylesheet and scripts, and what the build puts
// in dist/admin-assets/, such as the bundled body editor), read once at start and fingerprinted by content,
// served under /admin/assets/ for a year. Readers' pages never load them.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectFile } from '../../lib/project-files.ts';
import { CachedBody } from '../page-cache.ts';
import { renamedAmong, type Asset } from '../assets.ts';

export interface AdminAssets {
  /** The public path of a file by its name, e.g. path('admin.css') → /admin/assets/admin.3f2a….css. */
  path(name: string): string;
  get(publicPath: string): Asset | undefined;
  /** The public path this build gives a file asked for by another build's fingerprint (decision 0076). */
  renamed(publicPath: string): string | undefined;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The folders admin assets are read from: the sources' own and the build's output. */
export const ADMIN_ASSET_DIRS = [projectFile('src/web/admin/assets'), projectFile('dist/admin-assets')];

export function loadAdminAssets(dirs: readonly string[] = ADMIN_ASSET_DIRS): AdminAssets {
  const byName = new Map<string, Asset>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      const ext = path.extname(file);
      const type = TYPES[ext];
      if (!type || byName.has(file)) continue;
      const bytes = fs.readFileSync(path.join(dir, file));
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      byName.set(file, { path: `/admin/assets/${file.slice(0, -ext.length)}.${hash}${ext}`, body: new CachedBody(200, type, bytes) });
    }
  }
  const byPath = new Map([...byName.values()].map((a) => [a.path, a]));
  return {
    path(name) {
      const asset = byName.get(name);
      if (!asset) throw new Error(`No admin asset named ${name} (looked in ${dirs.join(', ')}).`);
      return asset.path;
    },
    get: (p) => byPath.get(p),
    renamed: renamedAmong([...byName.values()]),
  };
}
