import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RankedCounts } from '../../src/engine/ranked-counts.js';
import { rng } from './harness.js';

/** The reference: the multiset sorted out in full, and its mode by a walk. */
function expand(reference: Map<number, number>): number[] {
  return [...reference.keys()].sort((a, b) => a - b).flatMap((v) => Array<number>(reference.get(v)!).fill(v));
}
function modeOf(reference: Map<number, number>): number | undefined {
  let best: number | undefined;
  for (const v of [...reference.keys()].sort((a, b) => a - b)) if (best === undefined || reference.get(v)! > reference.get(best)!) best = v;
  return best;
}

test('RankedCounts answers the k-th value and the mode under inserts and retractions', () => {
  const rand = rng(91);
  const counts = new RankedCounts<number>((a, b) => a - b);
  const reference = new Map<number, number>();
  for (let step = 0; step < 4000; step++) {
    const x = Math.floor(rand() * 60);
    const have = reference.get(x) ?? 0;
    // several copies at once, and retractions of some or all of a value's copies
    const diff = have > 0 && rand() < 0.45 ? -Math.max(1, Math.floor(rand() * have)) : 1 + Math.floor(rand() * 3);
    counts.add(x, diff);
    if (have + diff === 0) reference.delete(x);
    else reference.set(x, have + diff);
    const sorted = expand(reference);
    assert.equal(counts.size, sorted.length);
    assert.equal(counts.mode(), modeOf(reference), `mode at step ${step}`);
    for (const k of [0, sorted.length >> 2, sorted.length >> 1, sorted.length - 1, sorted.length]) {
      assert.equal(counts.at(k), sorted[k], `at(${k}) at step ${step}`);
    }
  }
});

test('RankedCounts mode breaks ties by the first value in the order', () => {
  const counts = new RankedCounts<string>((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const v of ['c', 'a', 'b', 'c', 'a']) counts.add(v, 1);
  assert.equal(counts.mode(), 'a');
  counts.add('a', -1);
  assert.equal(counts.mode(), 'c');
  counts.add('c', -2);
  assert.equal(counts.mode(), 'a');
});
