// Starts the baseline server (bare-server.child.mjs) as a child process answering every request with
// the given bytes; the bytes go through a temp file because they can be larger than a command line.
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './cleanup.ts';
import { spawnServer, type ServerProcess } from './child-server.ts';
import { freePort } from './ports.ts';

const CHILD = path.join(import.meta.dirname, 'bare-server.child.mjs');

/** A bare node:http server that answers 200 with `body` and `contentType` to every request. */
export async function startBareServer(body: Buffer, contentType: string): Promise<ServerProcess> {
  const { dir, remove } = tempDir('gazette-bare-');
  const file = path.join(dir, 'body');
  fs.writeFileSync(file, body);
  try {
    const port = await freePort();
    const server = await spawnServer({
      label: 'Bare server',
      args: [CHILD, file, contentType, String(port), '127.0.0.1'],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      url: `http://127.0.0.1:${port}`,
    });
    return {
      ...server,
      async stop() {
        await server.stop();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}
