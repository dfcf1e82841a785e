// The pg driver, loaded when this folder is: only openStore imports it, and only for a postgres:// URL
// (decision 0053). Taken through require, not an import statement, because the server's bundle hoists
// every package import to its top and would load pg on SQLite too; pg is a CommonJS package, so this is
// the same module an `import pg from 'pg'` elsewhere (tests, benches) gets.
import { createRequire } from 'node:module';
import type PgModule from 'pg';

export const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
