import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalLog, SortedArray, SortedCounts } from '../../src/engine/ordered.js';
import { rng } from './harness.js';

test('SortedArray matches a sorted reference through thousands of inserts, removals, shifts and truncations', () => {
  const rand = rng(77);
  const list = new SortedArray<number>((a, b) => a - b);
  let reference: number[] = [];
  for (let step = 0; step < 20_000; step++) {
    const r = rand();
    const x = Math.floor(rand() * 5000);
    if (r < 0.6) {
      if (list.find(x) === undefined) {
        list.insert(x);
        reference.push(x);
        reference.sort((a, b) => a - b);
      }
    } else if (r < 0.9) {
      const had = reference.includes(x);
      assert.equal(list.remove(x), had);
      if (had) reference.splice(reference.indexOf(x), 1);
    } else if (r < 0.98) {
      assert.equal(list.shift(), reference.shift());
    } else {
      const n = Math.floor(rand() * (reference.length + 10));
      list.truncate(n);
      reference = reference.slice(0, n);
    }
    assert.equal(list.size, reference.length);
    assert.equal(list.first(), reference[0]);
    assert.equal(list.last(), reference[reference.length - 1]);
    if (step % 500 === 0) assert.deepEqual([...list], reference, `step ${step}`);
  }
  assert.deepEqual([...list], reference);
});

test('SortedCounts keeps min and max under retractions', () => {
  const rand = rng(78);
  const counts = new SortedCounts<number>((a, b) => a - b);
  const reference = new Map<number, number>();
  for (let step = 0; step < 5000; step++) {
    const x = Math.floor(rand() * 2000);
    const diff = rand() < 0.6 || !reference.has(x) ? 1 : -1;
    counts.add(x, diff);
    const n = (reference.get(x) ?? 0) + diff;
    if (n === 0) reference.delete(x);
    else reference.set(x, n);
    const present = [...reference.keys()];
    assert.equal(counts.min(), present.length ? Math.min(...present) : undefined);
    assert.equal(counts.max(), present.length ? Math.max(...present) : undefined);
  }
});

test('ArrivalLog: first and last of what is present, removals take the earliest copy', () => {
  const rand = rng(79);
  const log = new ArrivalLog<string>();
  const reference: { id: string; value: string }[] = [];
  for (let step = 0; step < 5000; step++) {
    const id = `r${Math.floor(rand() * 30)}`;
    if (rand() < 0.55) {
      const value = `${id}@${step}`;
      log.add(id, value, step);
      reference.push({ id, value });
    } else {
      const at = reference.findIndex((e) => e.id === id);
      assert.equal(log.remove(id), at >= 0 ? 1 : 0);
      if (at >= 0) reference.splice(at, 1);
    }
    assert.equal(log.size, reference.length);
    assert.equal(log.first(), reference[0]?.value);
    assert.equal(log.last(), reference[reference.length - 1]?.value);
  }
  assert.deepEqual([...log.entries()].map(([v]) => v), reference.map((e) => e.value));
});
