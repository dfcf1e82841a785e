// Free TCP ports for the servers under test: bind port 0, read what the kernel gave, release it.
import net from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago (another process could still take it first). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
