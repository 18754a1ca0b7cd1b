import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataflow } from '../../src/engine/dataflow.js';
import { followChanges, type ChangeDelivery } from '../../src/engine/change-feed.js';
import { AggregateOp } from '../../src/engine/ops/aggregate.js';
import { MapOp } from '../../src/engine/ops/basic.js';
import type { Row } from '../../src/engine/batch.js';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import { rowKey } from '../../src/types/compare.js';

const countStar = { fn: 'count_star' as const, args: [], distinct: false, argKind: 'other' as const };

function recorder() {
  const deliveries: ChangeDelivery[] = [];
  const errors: SqlError[] = [];
  return { deliveries, errors, listener: { changes: (d: ChangeDelivery) => deliveries.push(d), ended: (e: SqlError) => errors.push(e) } };
}

const asText = (d: ChangeDelivery) => d.batch.map((c) => `${rowKey(c.row)}:${c.diff}`).sort();

test('a feed delivers the snapshot at the current cycle, then every closed cycle, empty ones included', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  t.insert([[1], [2], [2]]);
  flow.runCycle(1000);
  const r = recorder();
  const stop = followChanges(flow, t, r.listener, { snapshot: true });
  assert.equal(r.deliveries.length, 1, 'the snapshot arrives before followChanges returns');
  assert.deepEqual(r.deliveries[0], { time: 1000, cycle: 1, batch: r.deliveries[0]!.batch, snapshot: true });
  assert.deepEqual(asText(r.deliveries[0]!), [`${rowKey([1])}:1`, `${rowKey([2])}:2`]);

  t.push([{ row: [1], diff: -1 }, { row: [3], diff: 1 }]);
  flow.runCycle(2000);
  flow.runCycle(3000);
  assert.equal(r.deliveries.length, 3);
  assert.deepEqual({ ...r.deliveries[1], batch: asText(r.deliveries[1]!) }, { time: 2000, cycle: 2, batch: [`${rowKey([1])}:-1`, `${rowKey([3])}:1`].sort(), snapshot: false });
  assert.deepEqual({ ...r.deliveries[2] }, { time: 3000, cycle: 3, batch: [], snapshot: false });

  stop();
  t.insert([[4]]);
  flow.runCycle(4000);
  assert.equal(r.deliveries.length, 3, 'nothing after the unsubscribe');
  assert.equal(flow.cycleListenerCount, 0);
  assert.deepEqual(r.errors, []);
});

test('without a snapshot the first delivery is the next cycle; changes within a cycle are consolidated', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  t.insert([[1]]);
  flow.runCycle();
  const r = recorder();
  followChanges(flow, t, r.listener, { snapshot: false });
  assert.equal(r.deliveries.length, 0);
  t.push([{ row: [5], diff: 1 }]);
  t.push([{ row: [5], diff: -1 }]);
  flow.runCycle();
  assert.equal(r.deliveries.length, 1);
  assert.deepEqual(r.deliveries[0]!.batch, [], 'an insert and a delete of one row in one cycle cancel');
});

test('a node that has not run yet delivers its hydrating first cycle as the snapshot, or skips it', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  t.insert([['a'], ['b'], ['a']]);
  flow.runCycle();
  const counts = () => {
    const node = flow.add(new AggregateOp({ groupKey: (row: Row) => [row[0]], global: false, input: 'general', aggregates: [countStar] }), [t]);
    flow.materialize(node);
    return node;
  };
  const withSnapshot = recorder();
  const without = recorder();
  followChanges(flow, counts(), withSnapshot.listener, { snapshot: true });
  followChanges(flow, counts(), without.listener, { snapshot: false });
  assert.equal(withSnapshot.deliveries.length + without.deliveries.length, 0);
  flow.runCycle();
  assert.equal(withSnapshot.deliveries.length, 1);
  assert.equal(withSnapshot.deliveries[0]!.snapshot, true);
  assert.deepEqual(asText(withSnapshot.deliveries[0]!), [`${rowKey(['a', 2n])}:1`, `${rowKey(['b', 1n])}:1`].sort());
  assert.equal(without.deliveries.length, 0, 'the hydration is not a change');
  t.insert([['b']]);
  flow.runCycle();
  const expected = [`${rowKey(['b', 1n])}:-1`, `${rowKey(['b', 2n])}:1`].sort();
  assert.deepEqual(asText(withSnapshot.deliveries[1]!), expected);
  assert.deepEqual(asText(without.deliveries[0]!), expected);
});

test('a feed ends with the relation\'s error when it goes into error, and refuses to start on one in error', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const boom = new SqlError(SQLSTATE.divisionByZero, 'division by zero');
  const node = flow.add(new MapOp((row) => {
    if (row[0] === 0) throw boom;
    return [row[0]];
  }), [t]);
  flow.materialize(node);
  t.insert([[1]]);
  flow.runCycle();
  const r = recorder();
  followChanges(flow, node, r.listener, { snapshot: true });
  t.insert([[0]]);
  flow.runCycle();
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, SQLSTATE.divisionByZero);
  assert.equal(r.deliveries.length, 1, 'only the snapshot: the failing cycle delivers the error instead');
  assert.equal(flow.cycleListenerCount, 0, 'an ended feed detaches');
  assert.throws(() => followChanges(flow, node, recorder().listener, { snapshot: true }), /division by zero/);
});

test('dropping the followed relation, or one upstream of it, ends the feed and removes what was downstream', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const view = flow.add(new MapOp((row) => [row[0]]), [t]);
  flow.materialize(view);
  flow.runCycle();
  const onTable = recorder();
  const onView = recorder();
  followChanges(flow, t, onTable.listener, { snapshot: false });
  followChanges(flow, view, onView.listener, { snapshot: false });
  assert.equal(flow.nodeCount, 2);
  flow.removeWithDependents(t);
  assert.equal(flow.nodeCount, 0);
  assert.equal(onTable.errors.length, 1);
  assert.equal(onView.errors.length, 1);
  assert.equal(onView.errors[0]!.code, SQLSTATE.undefinedTable);
  assert.equal(flow.cycleListenerCount, 0);
});

test('a node without an arrangement cannot be followed', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const node = flow.add(new MapOp((row) => row), [t]);
  assert.throws(() => followChanges(flow, node, recorder().listener, { snapshot: false }), /no arrangement/);
});
