// A store whose statements are counted as its services run them through Kysely (decision 0052's tests).
import type { KyselyPlugin } from 'kysely';
import type { Store } from '../../src/db/store.ts';

/** The store with every statement run through its Kysely instance counted, in write transactions too. */
export function countingStatements(store: Store): { store: Store; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      n++;
      return args.result;
    },
  };
  const counted = {
    ...store,
    db: store.db.withPlugin(plugin),
    writeTransaction: <T>(work: (trx: Store['db']) => Promise<T>, announces?: readonly string[]) => store.writeTransaction((trx) => work(trx.withPlugin(plugin)), announces),
  } as Store;
  return { store: counted, count: () => n };
}
