// The HTTP server's limits in the configuration (decision 0015): defaults, and bad values refused at
// start with a message naming the variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { addressList } from '../../src/web/connection-limits.ts';
import { problemsOf } from '../helpers/config.ts';

describe('HTTP limits in the configuration', () => {
  it('has defaults', () => {
    assert.deepEqual(loadConfig({}).http, { requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerAddress: 64, maxConnections: null, trustProxy: [] });
  });

  it('reads every variable; 0 turns a connection cap off', () => {
    const { http } = loadConfig({
      REQUEST_TIMEOUT_MS: '10000',
      KEEP_ALIVE_TIMEOUT_MS: '65000',
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      MAX_CONNECTIONS: '0',
      TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,2001:db8::/32',
    });
    assert.deepEqual(http, { requestTimeoutMs: 10_000, keepAliveTimeoutMs: 65_000, maxConnectionsPerAddress: 0, maxConnections: 0, trustProxy: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'] });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['REQUEST_TIMEOUT_MS', '0', /REQUEST_TIMEOUT_MS: expected a whole number from 100 to 3600000/],
    ['REQUEST_TIMEOUT_MS', '30s', /REQUEST_TIMEOUT_MS: expected a whole number/],
    ['KEEP_ALIVE_TIMEOUT_MS', '-1', /KEEP_ALIVE_TIMEOUT_MS: expected a whole number/],
    ['MAX_CONNECTIONS_PER_ADDRESS', 'many', /MAX_CONNECTIONS_PER_ADDRESS: expected a whole number/],
    ['MAX_CONNECTIONS', '1.5', /MAX_CONNECTIONS: expected a whole number/],
    ['TRUST_PROXY', 'true', /TRUST_PROXY: expected a comma-separated list of IP addresses or CIDR ranges/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY: expected a comma-separated list/],
    ['TRUST_PROXY', 'proxy.example.org', /TRUST_PROXY: expected a comma-separated list/],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}=${value}`, () => {
      const problems = problemsOf({ [name]: value });
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, message);
    });
  }

  it('matches trusted proxies by address and range, IPv4-mapped IPv6 included', () => {
    const list = addressList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
    assert.equal(list.check('10.1.2.3', 'ipv4'), true);
    assert.equal(list.check('192.0.2.7', 'ipv4'), true);
    assert.equal(list.check('192.0.2.8', 'ipv4'), false);
    assert.equal(list.check('2001:db8::1', 'ipv6'), true);
    assert.equal(list.check('::ffff:10.9.9.9', 'ipv6'), true);
  });
});
