/**
 * Lowers a join the planner gave an index probe (index-joins.ts) to an IndexJoinOp over the other
 * side, when the index can still answer for the snapshot being read: not when it has been dropped
 * since planning (a prepared statement), nor when a transaction block has written the indexed
 * table (the index holds committed rows only). Then the caller lowers the hash join instead.
 */
import { Decimal } from 'decimal.js';
import type { Row } from '../engine/batch.js';
import type { Node } from '../engine/dataflow.js';
import { IndexJoinOp } from '../engine/ops/index-join.js';
import { rowKey } from '../types/compare.js';
import type { SqlType, Value } from '../types/types.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { compileExpr } from './compile-expr.js';
import { probedRead } from './index-joins.js';
import type { IndexProbe, LogicalPlan } from './logical.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = { int2: [-32768, 32767], int4: [-2147483648, 2147483647] };
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** The operator and the input it reads (the join's other side), or null to hash-join instead. */
export function indexJoinOperator(plan: Join, probe: IndexProbe, env: EvalEnv): { op: IndexJoinOp; outer: LogicalPlan } | null {
  const probed = probe.side === 'left' ? plan.left : plan.right;
  const outer = probe.side === 'left' ? plan.right : plan.left;
  const get = probedRead(probed)!;
  if (probe.index.size() === null || env.blockRows?.(get.node as Node)) return null;
  const fn = (e: Expr) => {
    const f = compileExpr(e);
    return (row: Row) => f(row, env);
  };
  const outerKeys = (probe.side === 'left' ? plan.rightKey : plan.leftKey).map(fn);
  const innerKeys = (probe.side === 'left' ? plan.leftKey : plan.rightKey).map(fn);
  const indexKey = probe.keys.map((k, j) => {
    const key = outerKeys[k]!;
    const to = probe.narrow[j];
    return to ? (row: Row) => narrowed(to, key(row)) : key;
  });
  // Join keys beyond the index's columns: checked on each row the index gives (NULL never matches).
  const extra = outerKeys.map((_, k) => k).filter((k) => !probe.keys.includes(k));
  const sameExtra = (outerRow: Row, inner: Row) => {
    const a = extra.map((k) => outerKeys[k]!(outerRow));
    const b = extra.map((k) => innerKeys[k]!(inner));
    return !a.some((v) => v === null) && !b.some((v) => v === null) && rowKey(a) === rowKey(b);
  };
  const residualFn = plan.residual ? fn(plan.residual) : null;
  const outerIsLeft = probe.side === 'right';
  const residual =
    extra.length === 0 && residualFn === null
      ? undefined
      : (l: Row, r: Row) => {
          const [o, i] = outerIsLeft ? [l, r] : [r, l];
          return (extra.length === 0 || sameExtra(o, i)) && (residualFn === null || residualFn([...l, ...r]) === true);
        };
  const filter = probed.op === 'filter' ? fn(probed.predicate) : null;
  const op = new IndexJoinOp({
    outerKey: (row) => indexKey.map((k) => k(row)),
    probe: (key) => probe.index.lookup(key) ?? [],
    innerFilter: filter ? (row) => filter(row) === true : undefined,
    residual,
    outerIsLeft,
    preserveOuter: plan.kind !== 'inner',
    innerWidth: probed.columns.length,
    indexName: probe.index.name,
  });
  return { op, outer };
}

/**
 * A widened key's value in the column's own type, or null when no value of that type equals it
 * (out of range, a fraction, NaN): the row then matches nothing, as the comparison would find.
 */
function narrowed(to: SqlType, v: Value): Value {
  if (v === null) return null;
  if (to.typname === 'int8') {
    const d = v as Decimal;
    if (!d.isFinite() || !d.isInteger()) return null;
    const b = BigInt(d.toFixed());
    return b >= INT8_MIN && b <= INT8_MAX ? b : null;
  }
  const [lo, hi] = INT_RANGES[to.typname]!;
  let n: number;
  if (typeof v === 'bigint') {
    if (v < BigInt(lo) || v > BigInt(hi)) return null;
    n = Number(v);
  } else if (typeof v === 'number') n = v;
  else {
    const d = v as Decimal;
    if (!d.isFinite() || !d.isInteger()) return null;
    n = d.toNumber();
  }
  // -0 (a numeric -0) is the integer 0
  return n >= lo && n <= hi ? n + 0 : null;
}
