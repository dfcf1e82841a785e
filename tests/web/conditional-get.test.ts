// If-Modified-Since is honoured only when it holds one valid HTTP-date that is not in the future
// (RFC 9110 §13.1.3, §5.6.7); anything else is ignored and the full response is sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { notModifiedSince, parseHttpDate } from '../../src/web/conditional-get.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('parseHttpDate', () => {
  test('reads the three forms RFC 9110 names', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), expected);
  });

  for (const value of [
    'Sat, 13 Sep 275760 00:00:00 GMT',
    'garbage 2030',
    '2099-01-01',
    '2026-01-01T00:00:00Z',
    'Sun, 31 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
    '',
  ]) {
    test(`refuses ${JSON.stringify(value)}`, () => assert.equal(parseHttpDate(value), null));
  }
});

describe('If-Modified-Since', () => {
  const modified = '2026-01-01T12:00:00.000Z';
  test('a date at or after the last change: not modified', () => {
    assert.equal(notModifiedSince({ 'if-modified-since': 'Thu, 01 Jan 2026 12:00:00 GMT' }, modified), true);
  });
  test('a date in the future is ignored', () => {
    const future = new Date(Date.now() + 86_400_000).toUTCString();
    assert.equal(notModifiedSince({ 'if-modified-since': future }, modified), false);
  });

  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const value of ['Sat, 13 Sep 275760 00:00:00 GMT', 'Fri, 01 Jan 2100 00:00:00 GMT', 'garbage 2030', 'Tuesday 2099']) {
    test(`a feed asked with If-Modified-Since: ${value} answers 200 with the feed`, async () => {
      for (const path of ['/feed.xml', '/sitemap.xml']) {
        const response = await fetch(server.url + path, { headers: { 'if-modified-since': value } });
        assert.equal(response.status, 200, path);
        assert.ok((await response.text()).length > 0, path);
      }
    });
  }
});
