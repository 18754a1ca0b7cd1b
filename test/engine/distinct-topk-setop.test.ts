import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistinctOnOp, DistinctOp } from '../../src/engine/ops/distinct.js';
import { TopKOp } from '../../src/engine/ops/topk.js';
import { SetOp } from '../../src/engine/ops/setop.js';
import { FilterOp, MapOp, NegateOp, UnionAllOp } from '../../src/engine/ops/basic.js';
import type { Row } from '../../src/engine/batch.js';
import type { InputKind } from '../../src/engine/operator.js';
import { compareNullable, rowKey } from '../../src/types/compare.js';
import { checkProperty, Multiset, rng, smallInt } from './harness.js';

const row2 = (rand: () => number): Row => [smallInt(rand, 3, 0.1), smallInt(rand, 4, 0.1)];
const byKey = (rows: Row[], key: (r: Row) => Row): Map<string, Row[]> => {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = rowKey(key(r));
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(r);
  }
  return m;
};
const uniq = (rows: Row[]): Row[] => [...byKey(rows, (r) => r).values()].map((g) => g[0]);
/** ORDER BY second column DESC NULLS LAST. */
const order = (a: Row, b: Row): number => -compareNullable(a[1], b[1], true);

for (const input of ['general', 'append', 'stream'] as const satisfies readonly InputKind[]) {
  const source = (rows: Row[], ever: Row[]) => (input === 'stream' ? ever : rows);

  test(`DISTINCT over a ${input} input`, () => {
    checkProperty({
      name: `distinct ${input}`,
      make: () => new DistinctOp({ input }),
      rows: [row2],
      modes: [input],
      reference: ([rows], [ever]) => uniq(source(rows, ever)),
    });
  });

  test(`DISTINCT ON without ORDER BY keeps the latest arrived row per key (${input})`, () => {
    checkProperty({
      name: `distinct on latest ${input}`,
      make: () => new DistinctOnOp({ key: (r) => [r[0]], input }),
      rows: [row2],
      modes: [input],
      reference: ([rows], [ever]) => [...byKey(source(rows, ever), (r) => [r[0]]).values()].map((g) => g[g.length - 1]),
    });
  });

  test(`DISTINCT ON with ORDER BY keeps the first row by the order, ties to the earliest (${input})`, () => {
    checkProperty({
      name: `distinct on ordered ${input}`,
      make: () => new DistinctOnOp({ key: (r) => [r[0]], order, input }),
      rows: [(rand) => [smallInt(rand, 3, 0.1), smallInt(rand, 4, 0.1), smallInt(rand, 100, 0)]],
      modes: [input],
      reference: ([rows], [ever]) =>
        [...byKey(source(rows, ever), (r) => [r[0]]).values()].map((g) => g.reduce((best, r) => (order(r, best) < 0 ? r : best))),
    });
  });
}

for (const [limit, offset] of [[3, 0], [2, 1], [null, 2], [0, 0]] as const) {
  for (const grouped of [false, true]) {
    for (const input of ['general', 'append'] as const) {
      test(`top-K LIMIT ${limit ?? 'ALL'} OFFSET ${offset}${grouped ? ' per group' : ''} over ${input}`, () => {
        const total = (a: Row, b: Row) => order(a, b) || (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0);
        const window = (rows: Row[]) => rows.slice().sort(total).slice(offset, limit === null ? undefined : offset + limit);
        checkProperty({
          name: `topk ${limit} ${offset} ${grouped} ${input}`,
          make: () => new TopKOp({ compare: order, limit, offset, input, ...(grouped ? { groupKey: (r: Row) => [r[0]] } : {}) }),
          rows: [row2],
          modes: [input],
          reference: ([rows]) => (grouped ? [...byKey(rows, (r) => [r[0]]).values()].flatMap(window) : window(rows)),
          runs: 12,
        });
      });
    }
  }
}

const count = (rows: Row[], r: Row): number => rows.filter((x) => rowKey(x) === rowKey(r)).length;
for (const op of ['union', 'intersect', 'except'] as const) {
  for (const all of [false, true]) {
    test(`${op}${all ? ' all' : ''} follows SQL's multiplicity rules`, () => {
      checkProperty({
        name: `${op} ${all}`,
        make: () => new SetOp({ op, all }),
        rows: [row2, row2],
        reference: ([l, r]) => {
          if (op === 'union') return all ? [...l, ...r] : uniq([...l, ...r]);
          if (!all) return uniq(l).filter((x) => (op === 'intersect') === count(r, x) > 0);
          // ALL: remove one left copy per right copy (except) or keep matched copies (intersect).
          const rest = r.slice();
          const kept: Row[] = [];
          for (const x of l) {
            const at = rest.findIndex((y) => rowKey(y) === rowKey(x));
            if (at >= 0) rest.splice(at, 1);
            if ((at >= 0) === (op === 'intersect')) kept.push(x);
          }
          return kept;
        },
      });
    });
  }
}

test('filter, map, union all and negate', () => {
  checkProperty({
    name: 'filter',
    make: () => new FilterOp((r) => r[1] !== null && (r[1] as number) > 1),
    rows: [row2],
    reference: ([rows]) => rows.filter((r) => r[1] !== null && (r[1] as number) > 1),
  });
  checkProperty({
    name: 'map',
    make: () => new MapOp((r) => [r[0]]),
    rows: [row2],
    reference: ([rows]) => rows.map((r) => [r[0]]),
  });
  checkProperty({
    name: 'union all',
    make: () => new UnionAllOp(2),
    rows: [row2, row2],
    reference: ([a, b]) => [...a, ...b],
  });
  assert.deepEqual(new NegateOp().step([[{ row: [1], diff: 2 }]]), [{ row: [1], diff: -2 }]);
});

test('top-K over an append input keeps its window right through batches far larger than the window', () => {
  const rand = rng(5);
  const op = new TopKOp({ compare: (a, b) => (a[0] as number) - (b[0] as number), limit: 5, offset: 3, input: 'append' });
  const all: Row[] = [];
  const output = new Multiset();
  for (let step = 0; step < 4; step++) {
    const rows = Array.from({ length: 3000 }, (_, i) => [Math.floor(rand() * 100_000), step * 3000 + i]);
    all.push(...rows);
    output.apply(op.step([rows.map((row) => ({ row, diff: 1 }))]));
    const expected = all.slice().sort((a, b) => (a[0] as number) - (b[0] as number) || (rowKey(a) < rowKey(b) ? -1 : 1)).slice(3, 8);
    assert.deepEqual(output.listing(), Multiset.of(expected).listing(), `step ${step}`);
  }
});
