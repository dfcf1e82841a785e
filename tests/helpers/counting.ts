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

/**
 * The store with its statements counted and grouped in rounds: a round is the statements the services
 * sent before any of them answered, and a new one starts with the first statement sent after an answer
 * (on PostgreSQL, each round is at least one round trip, whatever its statements are; decision 0077).
 * A statement is seen as it is handed to the executor, and as it answers (the plugin's transformResult).
 */
export function countingRounds(store: Store): { store: Store; statements: () => number; rounds: () => number; reset(): void } {
  let statements = 0;
  let rounds = 0;
  let answeredSinceLastSent = true;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      answeredSinceLastSent = true;
      return args.result;
    },
  };
  const db = store.db.withPlugin(plugin);
  // The executor this instance's builders and executeQuery hand their compiled statements to.
  const executor = db.getExecutor();
  const executeQuery = executor.executeQuery.bind(executor);
  executor.executeQuery = ((...args: Parameters<typeof executeQuery>) => {
    statements++;
    if (answeredSinceLastSent) rounds++;
    answeredSinceLastSent = false;
    return executeQuery(...args);
  }) as typeof executor.executeQuery;
  return {
    store: { ...store, db } as Store,
    statements: () => statements,
    rounds: () => rounds,
    reset() {
      statements = 0;
      rounds = 0;
      answeredSinceLastSent = true;
    },
  };
}
