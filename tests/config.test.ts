// Configuration: every variable's bad values are refused at start with a message naming it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { tempDir } from './helpers/server.ts';
import { problemsOf } from './helpers/config.ts';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.database.kind, 'sqlite');
    assert.equal(config.database.file, path.resolve('data/gazette.db'));
    assert.equal(config.logLevel, 'info');
    assert.ok(Object.isFrozen(config));
  });

  it('reads every variable', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', PUBLIC_URL: 'https://news.example.org/', DATABASE_URL: 'file:/tmp/x.db', LOG_LEVEL: 'warn' });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.publicUrl, 'https://news.example.org');
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/tmp/x.db', cacheMb: 16 });
    assert.equal(config.logLevel, 'warn');
  });

  it('pages comments by 50 threads, oldest first, unless told otherwise', () => {
    assert.deepEqual([loadConfig({}).comments.perPage, loadConfig({}).comments.order], [50, 'oldest-first']);
    const set = loadConfig({ COMMENTS_PER_PAGE: '20', COMMENTS_ORDER: 'newest-first' }).comments;
    assert.deepEqual([set.perPage, set.order], [20, 'newest-first']);
  });

  const bad: [string, string, RegExp][] = [
    ['PORT', 'eighty', /PORT: expected a whole number from 0 to 65535 \(got "eighty"\)/],
    ['PORT', '70000', /PORT: expected a whole number from 0 to 65535/],
    ['PORT', '-1', /PORT: expected a whole number/],
    ['HOST', 'not a host!', /HOST: expected a host name or IP address/],
    ['PUBLIC_URL', 'news.example.org', /PUBLIC_URL: expected an absolute http\(s\) URL/],
    ['PUBLIC_URL', 'ftp://news.example.org', /PUBLIC_URL: expected an http or https URL/],
    ['PUBLIC_URL', 'https://news.example.org/?a=1', /PUBLIC_URL: expected a URL without a query string/],
    ['DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/', /DATABASE_URL: expected a database name in postgres:\/\//],
    ['DATABASE_URL', 'postgres://u:pw@db.example/news?sslmode=sometimes', /DATABASE_URL: expected sslmode to be one of disable, .*\(got "postgres:\/\/u:\*\*\*@db.example\/news\?sslmode=sometimes"\)/],
    ['DATABASE_URL', 'mysql://localhost/db', /DATABASE_URL: expected file:<path.* or postgres:\/\//],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE: expected a whole number from 1 to 1000/],
    ['SQLITE_CACHE_MB', '0', /SQLITE_CACHE_MB: expected a whole number from 1 to 4096 \(got "0"\)/],
    ['SQLITE_CACHE_MB', '16MB', /SQLITE_CACHE_MB: expected a whole number from 1 to 4096/],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'soon', /DATABASE_STATEMENT_TIMEOUT_MS: expected a whole number/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    ['DEMO_CONTENT', 'maybe', /DEMO_CONTENT: expected true or false/],
    ['SITE_LANGUAGE', 'English', /SITE_LANGUAGE: expected a language tag/],
    ['COMMENTS_PER_PAGE', '0', /COMMENTS_PER_PAGE: expected a whole number from 1 to 1000 \(got "0"\)/],
    ['COMMENTS_PER_PAGE', 'fifty', /COMMENTS_PER_PAGE: expected a whole number from 1 to 1000/],
    ['COMMENTS_PER_PAGE', '1001', /COMMENTS_PER_PAGE: expected a whole number from 1 to 1000/],
    ['COMMENTS_ORDER', 'newest', /COMMENTS_ORDER: expected oldest-first or newest-first \(got "newest"\)/],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}=${value}`, () => {
      const problems = problemsOf({ [name]: value });
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0]!, message);
    });
  }

  it('reads a PostgreSQL URL with its pool size and statement timeout', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://editor:pw@db.example:5433/news?sslmode=require', DATABASE_POOL_SIZE: '4', DATABASE_STATEMENT_TIMEOUT_MS: '2500' });
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://editor:pw@db.example:5433/news?sslmode=require', poolSize: 4, statementTimeoutMs: 2500 });
  });

  it('never echoes a database password', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://editor:s3cret@db.example/' });
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0]!, /s3cret/);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'y' });
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith('PORT:')));
    assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL:')));
  });
});

describe('gazette serve with an unreachable database', () => {
  it('exits 69 naming DATABASE_URL and the reason, never the password', () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = spawnSync(process.execPath, ['bin/gazette.mjs', 'serve'], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://editor:s3cret-pw@127.0.0.1:1/news', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 69, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.match(result.stderr, /DATABASE_URL: cannot connect to postgres:\/\/127\.0\.0\.1:1\/news: .*ECONNREFUSED/);
    assert.doesNotMatch(result.stderr, /s3cret|editor/);
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });
});

describe('gazette serve with bad configuration', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /PORT: expected a whole number/],
    [{ DATABASE_URL: 'postgresql://postgres:hunter2@127.0.0.1:5432' }, /DATABASE_URL: expected a database name/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL: expected one of/],
    [{ PUBLIC_URL: '/relative' }, /PUBLIC_URL: expected an absolute http\(s\) URL/],
    [{ HOST: '' , PORT: '99999' }, /PORT: expected a whole number from 0 to 65535/],
  ];
  for (const [env, message] of cases) {
    it(`exits non-zero naming the variable for ${JSON.stringify(env)}`, () => {
      const tmp = tempDir();
      try {
        const result = spawnSync(process.execPath, ['bin/gazette.mjs', 'serve'], {
          env: { PATH: process.env.PATH, DATABASE_URL: `file:${path.join(tmp.dir, 'g.db')}`, ...env },
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.equal(result.status, 78, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
        assert.match(result.stderr, /Invalid configuration/);
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace for a configuration error');
      } finally {
        tmp.remove();
      }
    });
  }
});
