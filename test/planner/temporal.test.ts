import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T } from '../../src/types/types.js';
import { assertSameRows, env, TestCatalog } from './harness.js';

const MINUTE = 60_000;

test('now() in WHERE is a temporal filter: rows age out of and into a view', () => {
  const cat = new TestCatalog();
  const events = cat.table('events', [['ts', T.timestamptz], ['v', T.int4]]);
  const t0 = 1_800_000_000_000;
  const at = (ms: number) => ms * 1000;
  const recent = cat.maintain("SELECT v FROM events WHERE ts > now() - INTERVAL '5 minutes'");
  const due = cat.maintain('SELECT v FROM events WHERE now() >= ts AND v > 0');
  assert.match(recent.plan.explain(), /Temporal Filter until/);
  events.insert([
    [at(t0 - 4 * MINUTE), 1],
    [at(t0 - 6 * MINUTE), 2],
    [at(t0 + MINUTE / 2), 3],
  ]);
  cat.cycle(t0);
  assertSameRows(recent.arrangement.rows(), [[1], [3]]);
  assertSameRows(due.arrangement.rows(), [[1], [2]]);
  cat.cycle(t0 + MINUTE + 1);
  assertSameRows(recent.arrangement.rows(), [[3]]);
  assertSameRows(due.arrangement.rows(), [[1], [2], [3]]);
  // An ad-hoc read evaluates the same condition at the statement's time.
  const read = cat.plan("SELECT v FROM events WHERE ts > now() - INTERVAL '5 minutes'").read({ ...env(), now: at(t0) });
  assertSameRows(read, [[1], [3]]);
});

test('the clock elsewhere in a maintained query is refused, not frozen; ad-hoc reads may use it', () => {
  const cat = new TestCatalog();
  cat.table('events', [['ts', T.timestamptz], ['v', T.int4]]);
  assert.throws(() => cat.maintain('SELECT v, now() AS seen FROM events'), /now\(\)/);
  assert.throws(() => cat.maintain('SELECT v FROM events WHERE ts::date = current_date'), /now\(\)/);
  assert.deepEqual(cat.read('SELECT now() IS NOT NULL'), [[true]]);
});

test('random() is maintained only over append-only inputs', () => {
  const cat = new TestCatalog();
  cat.table('ticks', [['tick', T.int8]], 'append');
  cat.table('rows', [['x', T.int4]]);
  const { arrangement } = cat.maintain('SELECT tick, floor(random() * 5 + 1)::int AS x FROM ticks');
  assert.equal(arrangement.rows().length, 0);
  assert.throws(() => cat.maintain('SELECT x FROM rows WHERE random() < 0.5'), /volatile/);
});
