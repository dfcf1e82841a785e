// A bench result names the code its servers and commands ran, not the checkout when the run began: a
// run that loads a large corpus first may build its server half an hour later, after main has moved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measuredCode, renderScenario, type ResultFile } from '../../bench/lib/results.ts';

const A = { commit: 'aaaaaaa', dirty: false };
const B = { commit: 'bbbbbbb', dirty: false };
const C = { commit: 'ccccccc', dirty: false };

function resultWith(git: ResultFile['git']): ResultFile {
  return {
    scenario: 'probe',
    startedAt: '2026-12-02T00:00:00.000Z',
    finishedAt: '2026-12-02T00:01:00.000Z',
    settings: { durationSec: 10, warmupSec: 2, connections: 32, rounds: 1 },
    machine: { node: 'v20', platform: 'linux', cpus: 2, cpuModel: 'x', loadAverageBefore: [0, 0, 0], loadAverageAfter: [0, 0, 0] },
    git,
    loads: [],
    figures: [],
    checks: [],
    notes: [],
  };
}

describe('the commit a bench result names', () => {
  it('is the first build’s when the checkout moved before it', () => {
    const git = measuredCode(A, [B, B]);
    assert.deepEqual(git, { ...B, atStart: A });
    const line = renderScenario(resultWith(git));
    assert.match(line, /commit bbbbbbb \(the run began at aaaaaaa\)/);
  });

  it('is the checkout at the start when the builds ran it, with nothing more said', () => {
    assert.deepEqual(measuredCode(A, [A, A]), A);
    assert.match(renderScenario(resultWith(measuredCode(A, [A]))), /; commit aaaaaaa\.$/m);
  });

  it('lists, once each, the other checkouts later builds or commands ran', () => {
    const git = measuredCode(A, [A, B, A, C, B]);
    assert.deepEqual(git, { ...A, laterStarts: [B, C] });
    assert.match(renderScenario(resultWith(git)), /later servers or commands ran bbbbbbb, ccccccc/);
  });

  it('tells uncommitted changes apart from the commit they sit on', () => {
    const dirty = { ...A, dirty: true };
    assert.deepEqual(measuredCode(A, [dirty]), { ...dirty, atStart: A });
    assert.match(renderScenario(resultWith(measuredCode(A, [dirty]))), /commit aaaaaaa with uncommitted changes in src\/ or bin\/ \(the run began at aaaaaaa\)/);
  });

  it('is the checkout at the start when the run built nothing and ran no command', () => {
    assert.deepEqual(measuredCode(A, []), A);
  });
});
