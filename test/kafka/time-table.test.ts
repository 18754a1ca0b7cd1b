/**
 * The time table's timer on its own: rows (timestamp, tick) pushed in order at the computed
 * instants, catch-up from a START TIME in the past, stop, and the PERIOD arithmetic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Row } from '../../src/engine/batch.js';
import { SqlError } from '../../src/errors.js';
import type { TimeTableSourceSpec } from '../../src/kafka/source-spec.js';
import { periodMicros, startTimeTable } from '../../src/kafka/time-table.js';
import { Interval } from '../../src/types/types.js';
import { waitFor } from '../support/wait.js';

const MS = 1000;

function spec(period: Interval, startTime: number | null): TimeTableSourceSpec {
  return { kind: 'time-table', name: 'ticks', nameLocation: 14, ifNotExists: false, tableType: 'append', period, startTime };
}

/** Starts a time table that records every push with the wall-clock time it arrived at. */
function record(period: Interval, startTime: number | null) {
  const pushes: { at: number; rows: Row[] }[] = [];
  const runtime = startTimeTable(spec(period, startTime), (rows) => pushes.push({ at: Date.now() * MS, rows }));
  const rows = () => pushes.flatMap((p) => p.rows);
  return { pushes, rows, runtime };
}

/** Ticks must be 0, 1, 2, ... with timestamps start + tick * period. */
function assertSchedule(rows: Row[], start: number, period: number): void {
  rows.forEach(([timestamp, tick], i) => {
    assert.equal(tick, BigInt(i));
    assert.equal(timestamp, start + i * period);
  });
}

test('PERIOD 100 milliseconds: ticks in order, each at its computed instant and never early', async () => {
  const before = Date.now() * MS;
  const { pushes, rows, runtime } = record(new Interval(0, 0, 100 * MS), null);
  try {
    await waitFor(() => rows().length >= 8, { message: '8 ticks' });
    const all = rows();
    const start = all[0]![0] as number;
    assert.ok(start >= before && start <= Date.now() * MS, 'tick 0 is stamped with the start, which is now');
    assertSchedule(all, start, 100 * MS);
    for (const push of pushes) {
      for (const [timestamp] of push.rows) assert.ok(push.at >= (timestamp as number), 'no tick is pushed before it is due');
    }
    // On time, ticks come one per push; 8 ticks at 100 ms take at least 700 ms.
    assert.ok(pushes.at(-1)!.at - start >= 700 * MS);
  } finally {
    await runtime.stop();
  }
});

test('a START TIME in the past catches up with every tick since, in bounded batches, then keeps time', async () => {
  const period = 100 * MS;
  const start = Date.now() * MS - 3_600_000 * MS; // an hour ago: 36,000 ticks due at once
  const { pushes, rows, runtime } = record(new Interval(0, 0, period), start);
  try {
    await waitFor(() => rows().length >= 36_005, { message: 'the catch-up and 5 ticks beyond', timeoutMs: 15_000 });
    const all = rows();
    assertSchedule(all, start, period);
    assert.ok(pushes.every((p) => p.rows.length <= 10_000), 'catch-up comes in batches of at most 10,000 rows');
    assert.ok(pushes.length >= 4, 'the 36,000 due ticks came in several pushes');
    // Then it keeps time: no tick due and not pushed. Read when no tick is due, as one can fall due
    // between two reads on a busy machine (it was once seen with lag 1 while CI was loaded).
    await waitFor(
      () => {
        const status = runtime.status();
        return status.lag === 0 && status.messages === rows().length;
      },
      { message: 'the status to count every tick pushed, with none due', timeoutMs: 5_000 },
    );
  } finally {
    await runtime.stop();
  }
});

test('a START TIME in the future emits nothing until then', async () => {
  const start = Date.now() * MS + 400 * MS;
  const { pushes, rows, runtime } = record(new Interval(0, 0, 50 * MS), start);
  try {
    await waitFor(() => rows().length >= 1, { message: 'the first tick' });
    assert.equal(rows()[0]![0], start);
    assert.ok(pushes[0]!.at >= start);
  } finally {
    await runtime.stop();
  }
});

test('stop ends the ticks and reports the source stopped', async () => {
  const { rows, runtime } = record(new Interval(0, 0, 20 * MS), null);
  await waitFor(() => rows().length >= 3, { message: '3 ticks' });
  await runtime.stop();
  const count = rows().length;
  assert.equal(runtime.status().status, 'stopped');
  // Well past several periods: a timer left running would have pushed more.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(rows().length, count);
});

test('PERIOD counts days as 24 hours and months as 30 days, and must be positive', () => {
  assert.equal(periodMicros(new Interval(0, 0, 1500)), 1500);
  assert.equal(periodMicros(new Interval(1, 2, 3)), 32 * 86_400_000_000 + 3);
  for (const bad of [new Interval(0, 0, 0), new Interval(0, 1, -86_400_000_000), new Interval(0, 0, -5)]) {
    assert.throws(() => periodMicros(bad), (error: unknown) => error instanceof SqlError && error.code === '22023');
  }
});
