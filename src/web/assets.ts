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
  /** The public path this build gives a fingerprinted asset asked for by another fingerprint (see withoutFingerprint). */
  renamed(path: string): string | undefined;
}

/**
 * `/assets/gazette.3f2a9c0d1e4b.css` → `/assets/gazette.css`; undefined for a path with no fingerprint.
 * A page rendered by another build names its assets by that build's fingerprints: a page from before an
 * upgrade (a reader's open tab, a browser's back button), or, while nodes are upgraded one at a time, a
 * page from one node whose stylesheet is asked of another. Those are sent on to this build's file
 * (decision 0076) rather than answered with 404, which would leave the page unstyled or its script dead.
 */
export function withoutFingerprint(publicPath: string): string | undefined {
  const m = /^(.*\/[^/.]+)\.[0-9a-f]{12}(\.[a-z0-9]+)$/.exec(publicPath);
  return m ? m[1]! + m[2]! : undefined;
}

/** Finds, for a path with a fingerprint this build does not have, the same file's path in this build. */
export function renamedAmong(fingerprinted: readonly Asset[]): (publicPath: string) => string | undefined {
  const byName = new Map(fingerprinted.map((a) => [withoutFingerprint(a.path), a.path]));
  return (publicPath) => {
    const name = withoutFingerprint(publicPath);
    return name === undefined ? undefined : byName.get(name);
  };
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
  return { stylesheetPath: css.path, iconPath: icon.path, commentScriptPath: script.path, get: (p) => byPath.get(p), renamed: renamedAmong([css, script]) };
}
