import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataflow } from '../../src/engine/dataflow.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { TemporalFilterOp } from '../../src/engine/ops/temporal-filter.js';
import type { Row } from '../../src/engine/batch.js';
import { rowKey } from '../../src/types/compare.js';
import { Multiset, randomBatch, rng } from './harness.js';
import { waitFor } from '../support/wait.js';

const listing = (rows: Row[]) => Multiset.of(rows).listing();

test('ring n holds the last n rows pushed, whatever the batch sizes', () => {
  for (const n of [1, 3, 7]) {
    const rand = rng(n);
    const flow = new Dataflow();
    const ring = flow.input('r', { ring: n });
    const pushed: Row[] = [];
    const summed = new Multiset();
    ring.arrangement!.onChange((b) => summed.apply(b));
    for (let cycle = 0; cycle < 50; cycle++) {
      const size = Math.floor(rand() * (2 * n + 2));
      const rows = Array.from({ length: size }, () => [Math.floor(rand() * 4)]);
      ring.insert(rows);
      pushed.push(...rows);
      flow.runCycle();
      const expected = listing(pushed.slice(-n));
      assert.deepEqual(Multiset.of(ring.arrangement!.rows()).listing(), expected, `ring ${n} cycle ${cycle}`);
      assert.deepEqual(summed.listing(), expected, 'the emitted changes sum to the contents');
    }
  }
});

test('a stream holds exactly the rows of the latest cycle that ran (its previous rows leave in a cycle of their own)', () => {
  const rand = rng(3);
  const flow = new Dataflow();
  const s = flow.input('s', 'stream');
  const other = flow.input('t', 'general');
  const summed = new Multiset();
  s.arrangement!.onChange((b) => summed.apply(b));
  for (let cycle = 0; cycle < 40; cycle++) {
    const rows = randomBatch(rand, [], () => [Math.floor(rand() * 3)], 'append').flatMap(({ row, diff }) => Array.from({ length: diff }, () => row));
    if (rows.length > 0) s.insert(rows);
    else other.insert([[cycle]]);
    flow.runCycle();
    if (flow.hasPendingInput()) {
      assert.equal(s.arrangement!.count(), 0, 'a retraction-only cycle leaves the stream empty');
      flow.runCycle();
    }
    assert.ok(!flow.hasPendingInput());
    assert.deepEqual(Multiset.of(s.arrangement!.rows()).listing(), listing(rows), `cycle ${cycle}`);
    assert.deepEqual(summed.listing(), listing(rows));
  }
});

test('a temporal filter equals "from <= now < until" at every cycle as time moves', () => {
  const rand = rng(5);
  const flow = new Dataflow();
  const events = flow.input('events', 'general');
  const bounds = (r: Row) => (r[0] === null ? null : { from: r[0] as number, until: r[1] === null ? null : (r[1] as number) });
  const visible = flow.materialize(flow.add(new TemporalFilterOp(bounds), [events]));
  const present: Row[] = [];
  let now = 1_000_000; // ms
  for (let cycle = 0; cycle < 80; cycle++) {
    const gen = (): Row => {
      const from = now * 1000 + Math.floor((rand() - 0.3) * 20) * 1000_000;
      return [rand() < 0.05 ? null : from, rand() < 0.2 ? null : from + Math.floor(rand() * 15) * 1000_000];
    };
    const batch = randomBatch(rand, present, gen, 'general', 4);
    events.push(batch);
    for (const { row, diff } of batch) {
      if (diff > 0) for (let i = 0; i < diff; i++) present.push(row);
      else for (let i = 0; i < -diff; i++) present.splice(present.findIndex((x) => rowKey(x) === rowKey(row)), 1);
    }
    now += Math.floor(rand() * 4000);
    flow.runCycle(now);
    const expected = present.filter((r) => {
      const b = bounds(r);
      return b !== null && b.from <= now * 1000 && (b.until === null || now * 1000 < b.until);
    });
    assert.deepEqual(Multiset.of(visible.rows()).listing(), listing(expected), `cycle ${cycle} at ${now}`);
  }
});

test('the scheduler wakes up by itself when a temporal filter\'s row expires', async () => {
  const flow = new Dataflow();
  const events = flow.input('events', 'append');
  const start = Date.now();
  const visible = flow.materialize(flow.add(new TemporalFilterOp((r) => ({ from: null, until: (r[0] as number) * 1000 })), [events]));
  const scheduler = new Scheduler(flow);
  try {
    events.insert([[start + 150]]);
    await waitFor(() => visible.count() === 1, { timeoutMs: 5000, intervalMs: 5, message: 'the row to appear' });
    await waitFor(() => visible.count() === 0, { timeoutMs: 5000, intervalMs: 5, message: 'the row to expire without new input' });
    assert.ok(Date.now() >= start + 150, 'it expired no earlier than its until time');
  } finally {
    scheduler.stop();
  }
});
