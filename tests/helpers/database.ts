// The database each test runs on. `npm test` runs the whole suite twice: on SQLite (a file in a temp
// folder per test server), then on PostgreSQL with GAZETTE_TEST_ENGINE=postgres, where every test
// server gets a database of its own on the server named by TEST_DATABASE_URL, dropped afterwards.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type Engine = 'sqlite' | 'postgres';

/** The engine this run of the suite tests. */
export const ENGINE: Engine = process.env.GAZETTE_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** DATABASE_URL for the server and the CLI. */
  url: string;
  /** Removes the database and everything in it. */
  drop(): Promise<void>;
}

/** The PostgreSQL server tests use; the PostgreSQL pass refuses to start without one. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('GAZETTE_TEST_ENGINE=postgres needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  return url;
}

/** A new, empty database for one test: a file in a temp folder, or a new PostgreSQL database. */
export async function freshDatabase(dir?: string): Promise<TestDatabase> {
  if (ENGINE === 'sqlite') {
    const own = dir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-db-'));
    const file = path.join(dir ?? own!, 'gazette.db');
    return {
      url: `file:${file}`,
      async drop() {
        if (own) fs.rmSync(own, { recursive: true, force: true });
      },
    };
  }
  return freshPostgresDatabase();
}

/** A new, empty database on the PostgreSQL test server, whichever engine the pass tests (copy tests need both). */
export async function freshPostgresDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `gazette_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(server, `drop database if exists ${name} with (force)`),
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
