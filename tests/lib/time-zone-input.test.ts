// Scheduling reads "Publish at" in the site's time zone: wall-clock times to instants and back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utcToZonedInput, zonedTimeToUtc } from '../../src/lib/time-zone.ts';

describe('wall-clock times in a time zone', () => {
  it('turns a datetime-local value into the instant it names there', () => {
    assert.equal(zonedTimeToUtc('2026-07-01T12:00', 'Europe/Paris')?.toISOString(), '2026-07-01T10:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-01-15T12:00', 'Europe/Paris')?.toISOString(), '2026-01-15T11:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-01-15T12:00', 'Asia/Tehran')?.toISOString(), '2026-01-15T08:30:00.000Z');
    assert.equal(zonedTimeToUtc('2026-01-15T12:00', 'UTC')?.toISOString(), '2026-01-15T12:00:00.000Z');
    assert.equal(zonedTimeToUtc('2026-01-15T12:00', 'America/New_York')?.toISOString(), '2026-01-15T17:00:00.000Z');
  });

  it('takes the first of a repeated hour and moves a skipped one past the gap', () => {
    // Paris: clocks go back at 03:00 on 25 October 2026 (02:30 happens twice) and forward at 02:00 on 29 March 2026.
    assert.equal(zonedTimeToUtc('2026-10-25T02:30', 'Europe/Paris')?.toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(zonedTimeToUtc('2026-03-29T02:30', 'Europe/Paris')?.toISOString(), '2026-03-29T01:30:00.000Z');
  });

  it('refuses what is not a date and time, and goes back to the wall clock', () => {
    for (const bad of ['', 'tomorrow', '2026-02-30T10:00', '2026-01-15 12:00']) assert.equal(zonedTimeToUtc(bad, 'UTC'), null, bad);
    assert.equal(utcToZonedInput('2026-07-01T10:00:00.000Z', 'Europe/Paris'), '2026-07-01T12:00');
    assert.equal(utcToZonedInput('2026-01-15T08:30:00.000Z', 'Asia/Tehran'), '2026-01-15T12:00');
  });
});
