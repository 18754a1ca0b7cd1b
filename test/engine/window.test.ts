/**
 * WindowOp: maintained through random inserts and deletes (duplicates included), its output must
 * equal the same operator computed from scratch over the current rows, for every function and
 * frame kind; what each function computes is checked against PostgreSQL in the differential suite
 * (test/differential/queries/windows.ts). RankedList's positions are checked against a sorted array.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowOp, type Frame, type FrameBound, type WindowFunction } from '../../src/engine/ops/window.js';
import { RankedList } from '../../src/engine/ranked.js';
import { consolidate } from '../../src/engine/batch-builder.js';
import type { Row } from '../../src/engine/batch.js';
import { checkProperty, rng } from './harness.js';

const bound = (kind: FrameBound['kind'], offset = 0, column = -1): FrameBound => ({ kind, offset, column });
const frame = (unit: Frame['unit'], start: FrameBound, end: FrameBound, exclude: Frame['exclude'] = 'no others', rangeValue = -1): Frame => ({
  unit,
  start,
  end,
  exclude,
  rangeValue,
});
const sum = (f: Frame): WindowFunction => ({ fn: 'aggregate', aggregate: { fn: 'sum', args: [2], filter: null, argKind: 'int' }, frame: f });

// Rows: [partition, order key (may be NULL), value, order key - 2, order key + 1]; the last two
// are RANGE 2 PRECEDING / 1 FOLLOWING bounds, as the planner computes them into the row.
const makeRow = (rand: () => number): Row => {
  const o = rand() < 0.1 ? null : Math.floor(rand() * 12);
  return [Math.floor(rand() * 3), o, rand() < 0.1 ? null : Math.floor(rand() * 20), o === null ? null : o - 2, o === null ? null : o + 1];
};

const cases: [string, WindowFunction[]][] = [
  ['ranking and size-dependent functions', [{ fn: 'row_number' }, { fn: 'rank' }, { fn: 'dense_rank' }, { fn: 'percent_rank' }, { fn: 'cume_dist' }, { fn: 'ntile', buckets: 3 }]],
  ['offset functions', [{ fn: 'lag', value: 2, offset: 1, default: null }, { fn: 'lead', value: 2, offset: 2, default: 0 }, { fn: 'lag', value: 2, offset: -1, default: 1 }]],
  // Alone, so that no other function's recomputed rows cover for the rows a far offset must redo.
  ['a far lead alone', [{ fn: 'lead', value: 2, offset: 3, default: null }]],
  ['a far negative lag alone', [{ fn: 'lag', value: 2, offset: -3, default: 0 }]],
  ['a far lag alone', [{ fn: 'lag', value: 2, offset: 3, default: 0 }]],
  [
    'value functions over frames',
    [
      { fn: 'first_value', value: 2, frame: frame('rows', bound('preceding', 1), bound('following', 2), 'current row') },
      { fn: 'last_value', value: 2, frame: frame('groups', bound('current'), bound('following', 1), 'ties') },
      { fn: 'nth_value', value: 2, n: 2, frame: frame('range', bound('unbounded'), bound('current')) },
    ],
  ],
  [
    'aggregates over ROWS frames',
    [
      sum(frame('rows', bound('unbounded'), bound('current'))),
      sum(frame('rows', bound('preceding', 2), bound('following', 1), 'group')),
      sum(frame('rows', bound('following', 1), bound('following', 3))),
      sum(frame('rows', bound('unbounded'), bound('unbounded'), 'current row')),
    ],
  ],
  [
    'aggregates over RANGE and GROUPS frames',
    [
      sum(frame('range', bound('unbounded'), bound('current'))),
      sum(frame('range', bound('preceding', 0, 3), bound('following', 0, 4), 'no others', 1)),
      sum(frame('groups', bound('preceding', 1), bound('current'), 'ties')),
      { fn: 'aggregate', aggregate: { fn: 'max', args: [2], filter: null, argKind: 'int' }, frame: frame('range', bound('current'), bound('unbounded'), 'group') },
      { fn: 'aggregate', aggregate: { fn: 'string_agg', args: [2, 1], filter: null, argKind: 'other' }, frame: frame('rows', bound('preceding', 1), bound('following', 1), 'current row') },
    ],
  ],
];

for (const [name, functions] of cases) {
  test(`WindowOp ${name}: maintained equals recomputed`, () => {
    const make = () => new WindowOp({ partition: [0], order: [{ column: 1, desc: false, nullsFirst: false }], functions });
    // string_agg needs text; the others read integers
    const rows = name.includes('RANGE')
      ? (rand: () => number) => {
          const r = makeRow(rand);
          return [r[0], r[1], r[2] === null ? null : r[2], r[3], r[4]];
        }
      : makeRow;
    checkProperty({
      name,
      make,
      rows: [rows],
      reference: ([current]) => {
        const out: Row[] = [];
        for (const { row, diff } of make().step([consolidate(current!.map((row) => ({ row, diff: 1 })))])) for (let i = 0; i < diff; i++) out.push(row);
        return out;
      },
      normalize: (row) => row.map((v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v)),
      steps: 30,
      runs: 20,
    });
  });
}

test('RankedList gives positions and items by position as a sorted array does, with multiplicities', () => {
  const rand = rng(5);
  type Item = { value: number; count: number };
  const list = new RankedList<Item>((a, b) => a.value - b.value);
  const ref = new Map<number, number>();
  for (let step = 0; step < 20_000; step++) {
    const value = Math.floor(rand() * 3000);
    const present = list.find({ value, count: 0 });
    const r = rand();
    if (present === undefined) {
      const count = 1 + Math.floor(rand() * 3);
      list.insert({ value, count });
      ref.set(value, count);
    } else if (r < 0.3) {
      list.remove(present);
      ref.delete(value);
    } else {
      list.reweigh(present, 1);
      ref.set(value, ref.get(value)! + 1);
    }
    if (step % 1000 !== 0 && step !== 19_999) continue;
    const sorted = [...ref.entries()].sort((a, b) => a[0] - b[0]);
    let position = 0;
    sorted.forEach(([v, count], index) => {
      const place = list.search((x) => x.value >= v)!;
      assert.deepEqual([place.item.value, place.position, place.index], [v, position, index]);
      assert.equal(list.at(position + count - 1).item.value, v);
      assert.equal(list.itemAt(index).item.value, v);
      position += count;
    });
    assert.equal(list.total, position);
    assert.deepEqual([...list.from(0)].map((p) => p.item.value), sorted.map(([v]) => v));
  }
});
