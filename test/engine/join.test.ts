import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinOp, type JoinKind } from '../../src/engine/ops/join.js';
import type { Row } from '../../src/engine/batch.js';
import { checkProperty, smallInt, plain } from './harness.js';

/** Nested-loop join with SQL's ON semantics: NULL keys never match; outer sides keep unmatched rows. */
function referenceJoin(kind: JoinKind, left: Row[], right: Row[], on: (l: Row, r: Row) => boolean): Row[] {
  const out: Row[] = [];
  const rightMatched = new Array(right.length).fill(false);
  for (const l of left) {
    let matched = false;
    right.forEach((r, j) => {
      if (on(l, r)) {
        out.push([...l, ...r]);
        matched = true;
        rightMatched[j] = true;
      }
    });
    if (!matched && (kind === 'left' || kind === 'full')) out.push([...l, null, null]);
  }
  if (kind === 'right' || kind === 'full') right.forEach((r, j) => rightMatched[j] || out.push([null, null, ...r]));
  return out;
}

const row2 = (rand: () => number): Row => [smallInt(rand), smallInt(rand, 3, 0)];

for (const kind of ['inner', 'left', 'right', 'full'] as const) {
  test(`${kind} join equals a nested-loop join after every batch`, () => {
    checkProperty({
      name: `${kind} join`,
      make: () => new JoinOp({ kind, leftKey: (r) => [r[0]], rightKey: (r) => [r[0]], leftWidth: 2, rightWidth: 2 }),
      rows: [row2, row2],
      reference: ([l, r]) => referenceJoin(kind, l, r, (a, b) => a[0] !== null && a[0] === b[0]),
    });
  });

  test(`${kind} join with a residual ON condition decides matching by key and residual`, () => {
    const residual = (l: Row, r: Row): boolean => (l[1] as number) <= (r[1] as number);
    checkProperty({
      name: `${kind} join residual`,
      make: () => new JoinOp({ kind, leftKey: (r) => [r[0]], rightKey: (r) => [r[0]], residual, leftWidth: 2, rightWidth: 2 }),
      rows: [row2, row2],
      reference: ([l, r]) => referenceJoin(kind, l, r, (a, b) => a[0] !== null && a[0] === b[0] && residual(a, b)),
    });
  });
}

test('cross join (empty key) pairs every row with every row', () => {
  checkProperty({
    name: 'cross join',
    make: () => new JoinOp({ kind: 'inner', leftKey: () => [], rightKey: () => [], leftWidth: 2, rightWidth: 2 }),
    rows: [row2, row2],
    reference: ([l, r]) => referenceJoin('inner', l, r, () => true),
    runs: 10,
  });
});

test('left join: the NULL-extended row flips out when a match arrives and back when it leaves', () => {
  const op = new JoinOp({ kind: 'left', leftKey: (r) => [r[0]], rightKey: (r) => [r[0]], leftWidth: 2, rightWidth: 1 });
  assert.deepEqual(plain(op.step([[{ row: [1, 'a'], diff: 1 }], []])), [{ row: [1, 'a', null], diff: 1 }]);
  const gained = op.step([[], [{ row: [1], diff: 1 }]]);
  assert.deepEqual(new Set(plain(gained).map((c) => JSON.stringify(c))), new Set([
    JSON.stringify({ row: [1, 'a', 1], diff: 1 }),
    JSON.stringify({ row: [1, 'a', null], diff: -1 }),
  ]));
  const lost = op.step([[], [{ row: [1], diff: -1 }]]);
  assert.deepEqual(new Set(plain(lost).map((c) => JSON.stringify(c))), new Set([
    JSON.stringify({ row: [1, 'a', 1], diff: -1 }),
    JSON.stringify({ row: [1, 'a', null], diff: 1 }),
  ]));
  // A NULL key never matches, even a NULL on the other side, but the row survives NULL-extended.
  assert.deepEqual(plain(op.step([[{ row: [null, 'b'], diff: 1 }], [{ row: [null], diff: 1 }]])), [{ row: [null, 'b', null], diff: 1 }]);
});
