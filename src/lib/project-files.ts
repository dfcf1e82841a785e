// Files shipped with the project (seed page, theme assets) are found from the project root, not from the
// importing module: the same code then works from src/ under tsx and from the bundle in dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

/** The folder holding Gazette's package.json. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a file shipped with the project, given relative to its root. */
export function projectFile(...parts: string[]): string {
  return path.join(projectRoot, ...parts);
}
