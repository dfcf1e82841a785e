// Where uploaded files live, behind a small interface so that object storage can take the place of the
// local folder when several app nodes share one library. Keys are relative, '/'-separated names made by
// Gazette itself (never a name a user typed); anything that could leave the folder is refused.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  stream(): Readable;
}

export interface MediaStorage {
  /** A fresh local path for scratch work (uploads stream here before they are judged). */
  scratchPath(suffix?: string): Promise<string>;
  /** Moves a local file into place under the key, replacing what was there. */
  putFile(key: string, localPath: string): Promise<void>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  /** The stored object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** The whole object's bytes (for the image library to read an original). */
  read(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Removes the key, and every key under it when it names a folder. Missing keys are not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** Refuses keys that are not Gazette's own shape (no '..', no absolute paths, no odd characters). */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..' || part.includes('..'))) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}

/** Whether a string is a key this storage could hold (for addresses readers send). */
export function isKey(key: string): boolean {
  return KEY.test(key) && !key.includes('..');
}

/** Files under one folder on this machine (MEDIA_DIR). */
export function localStorage(dir: string): MediaStorage {
  const root = path.resolve(dir);
  const full = (key: string) => {
    const p = path.resolve(root, checkKey(key));
    if (!p.startsWith(root + path.sep)) throw new Error(`storage key escapes the folder: ${key}`);
    return p;
  };
  return {
    async scratchPath(suffix = '.part') {
      const tmp = path.join(root, 'tmp');
      await fs.promises.mkdir(tmp, { recursive: true });
      return path.join(tmp, `${randomUUID()}${suffix}`);
    },
    async putFile(key, localPath) {
      const target = full(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(localPath, target);
    },
    async putBytes(key, bytes) {
      const target = full(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // Written beside the target and renamed, so a reader never sees half a file.
      const part = `${target}.${randomUUID()}.part`;
      await fs.promises.writeFile(part, bytes, { flag: 'wx' });
      await fs.promises.rename(part, target);
    },
    async get(key) {
      const p = full(key);
      const stat = await fs.promises.stat(p).catch(() => null);
      if (!stat?.isFile()) return null;
      return { size: stat.size, stream: () => fs.createReadStream(p) };
    },
    read: (key) => fs.promises.readFile(full(key)),
    exists: async (key) => (await fs.promises.stat(full(key)).catch(() => null))?.isFile() ?? false,
    async remove(key) {
      await fs.promises.rm(full(key), { recursive: true, force: true });
    },
  };
}
