// Start-up: open and migrate the store, load the demo content into an empty database, build the app, listen.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { migrateToLatest, openStore, type Store } from './db/database.ts';
import { isEmptySite, loadDemo } from './demo/demo.service.ts';
import { buildApp } from './app.ts';
import { hasAccounts } from './accounts/account.service.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** The address actually bound (useful with PORT=0). */
  url: string;
  close(): Promise<void>;
}

/** Another process already listens on the configured port and host. */
export class AddressInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    options?: ErrorOptions,
  ) {
    super(`port ${port} on ${host} is already in use; set PORT to another port`, options);
    this.name = 'AddressInUseError';
  }
}

/** Opens the store, prepares it and serves the site until close() is called. */
export async function startServer(config: Config): Promise<RunningServer> {
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    if (config.demoContent && (await isEmptySite(store))) await loadDemo(store);
    const app = await buildApp(config, store);
    let address: string;
    try {
      address = await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new AddressInUseError(config.port, config.host, { cause: error });
      throw error;
    }
    if (!(await hasAccounts(store))) {
      app.log.info(`No staff account yet. Create the first administrator with: npx gazette user add --email you@example.com --name "Your Name" --role admin --password-stdin (then sign in at ${config.publicUrl}/admin)`);
    }
    return {
      app,
      store,
      url: address,
      async close() {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
