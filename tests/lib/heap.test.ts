// The heap ceiling of long streaming commands (src/lib/heap.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heapCeiling } from '../../src/lib/heap.ts';

describe('heapCeiling', () => {
  it('collects when the heap holds more than the ceiling, then raises a ceiling below what is kept', () => {
    const heap = heapCeiling(1);
    heap.check();
    assert.equal(heap.collections, 1, 'a heap above one byte was collected');
    heap.check();
    assert.equal(heap.collections, 1, 'the ceiling rose to half as much again as what is kept, so no second collection ran at once');
  });

  it('leaves a heap under the ceiling alone', () => {
    const heap = heapCeiling(64 * 1024 ** 3);
    for (let i = 0; i < 10; i++) heap.check();
    assert.equal(heap.collections, 0, 'nothing was collected under a 64 GiB ceiling');
  });
});
