// What loadConfig refuses in an environment: the problems its ConfigError lists.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The problems loadConfig reports for this environment; fails the test when it is accepted. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, 'expected a ConfigError');
    return [...error.problems];
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}
