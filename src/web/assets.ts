// The theme's static files, read once at start, fingerprinted by content so they can be cached for a year.
// Served by plugins/assets.ts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CachedBody } from './page-cache.ts';

export interface Asset {
  path: string;
  body: CachedBody;
}

export interface Assets {
  readonly stylesheetPath: string;
  readonly iconPath: string;
  /** The comment form's script (fingerprinted). */
  readonly commentScriptPath: string;
  /** Asset by its public path, or undefined. */
  get(path: string): Asset | undefined;
}

function load(dir: string, file: string, contentType: string, fingerprint: boolean): Asset {
  const bytes = fs.readFileSync(path.join(dir, file));
  const [stem, ext] = [file.slice(0, file.lastIndexOf('.')), file.slice(file.lastIndexOf('.'))];
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const publicPath = fingerprint ? `/assets/${stem}.${hash}${ext}` : `/assets/${file}`;
  return { path: publicPath, body: new CachedBody(200, contentType, bytes) };
}

/** Loads a theme's assets from its folder: gazette.css and comments.js (fingerprinted) and logo.svg. */
export function loadAssets(dir: string): Assets {
  const css = load(dir, 'gazette.css', 'text/css; charset=utf-8', true);
  const icon = load(dir, 'logo.svg', 'image/svg+xml', false);
  const script = load(dir, 'comments.js', 'text/javascript; charset=utf-8', true);
  const byPath = new Map([css, icon, script].map((a) => [a.path, a]));
  return { stylesheetPath: css.path, iconPath: icon.path, commentScriptPath: script.path, get: (p) => byPath.get(p) };
}
