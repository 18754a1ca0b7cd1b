import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SemiJoinOp } from '../../src/engine/ops/semijoin.js';
import type { Row } from '../../src/engine/batch.js';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import { checkProperty, smallInt, plain } from './harness.js';

const row2 = (rand: () => number): Row => [smallInt(rand, 4, 0.15), smallInt(rand, 3, 0)];
const keyEq = (l: Row, r: Row): boolean => l[0] !== null && r[0] !== null && l[0] === r[0];
const residual = (l: Row, r: Row): boolean => (l[1] as number) >= (r[1] as number);

/** x NOT IN (set) is true only when every comparison x = y is false (not NULL). */
function notIn(l: Row, set: Row[]): boolean {
  return set.every((r) => l[0] !== null && r[0] !== null && l[0] !== r[0]);
}

for (const withResidual of [false, true]) {
  const cond = withResidual ? (l: Row, r: Row) => keyEq(l, r) && residual(l, r) : keyEq;
  const suffix = withResidual ? ' with a residual' : '';
  const spec = { leftKey: (r: Row) => [r[0]], rightKey: (r: Row) => [r[0]], ...(withResidual ? { residual } : {}) };

  test(`semi-join (EXISTS / IN)${suffix} keeps left rows with a match`, () => {
    checkProperty({
      name: `semi${suffix}`,
      make: () => new SemiJoinOp({ anti: false, ...spec }),
      rows: [row2, row2],
      reference: ([l, r]) => l.filter((a) => r.some((b) => cond(a, b))),
    });
  });

  test(`anti-join (NOT EXISTS)${suffix} keeps left rows without a match`, () => {
    checkProperty({
      name: `anti${suffix}`,
      make: () => new SemiJoinOp({ anti: true, ...spec }),
      rows: [row2, row2],
      reference: ([l, r]) => l.filter((a) => !r.some((b) => cond(a, b))),
    });
  });

  test(`NOT IN${suffix} follows SQL's three-valued logic with NULLs`, () => {
    checkProperty({
      name: `not in${suffix}`,
      make: () => new SemiJoinOp({ anti: true, nullAwareNotIn: true, ...spec }),
      rows: [row2, row2],
      reference: ([l, r]) => l.filter((a) => notIn(a, withResidual ? r.filter((b) => residual(a, b)) : r)),
    });
  });
}

test('NOT IN: a NULL on the right blocks every row; a NULL on the left passes only over an empty right side', () => {
  const op = new SemiJoinOp({ anti: true, nullAwareNotIn: true, leftKey: (r) => [r[0]], rightKey: (r) => [r[0]] });
  const out = op.step([[{ row: [1], diff: 1 }, { row: [null], diff: 1 }], []]);
  assert.equal(out.length, 2, 'both pass over an empty subquery');
  const afterTwo = op.step([[], [{ row: [2], diff: 1 }]]);
  assert.deepEqual(plain(afterTwo), [{ row: [null], diff: -1 }], 'NULL NOT IN (2) is unknown');
  const afterNull = op.step([[], [{ row: [null], diff: 1 }]]);
  assert.deepEqual(plain(afterNull), [{ row: [1], diff: -1 }], '1 NOT IN (2, NULL) is unknown');
  const cleared = op.step([[], [{ row: [null], diff: -1 }, { row: [2], diff: -1 }]]);
  assert.equal(cleared.length, 2, 'both pass again once the subquery is empty');
});

test('a key expression that raises makes the row a row error instead of failing the operator', () => {
  const key = (r: Row) => {
    if (r[1] === 0) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
    return [(r[0] as number) / (r[1] as number)];
  };
  const op = new SemiJoinOp({ anti: false, leftKey: key, rightKey: (r) => [r[0]] });
  const out = plain(op.step([[{ row: [4, 2], diff: 1 }, { row: [1, 0], diff: 1 }], [{ row: [2], diff: 1 }]]));
  assert.deepEqual(out, [{ row: [4, 2], diff: 1 }]);
  assert.equal(op.currentError()?.code, SQLSTATE.divisionByZero);
  op.step([[{ row: [1, 0], diff: -1 }], []]);
  assert.equal(op.currentError(), null);
});
