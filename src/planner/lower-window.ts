/**
 * Lowering a window node: the engine's WindowOp reads columns, so the partition and order keys,
 * arguments, FILTER conditions and RANGE bounds that are not plain input columns are computed
 * into the row first (a Map), and dropped again after the window values are appended. Constant
 * counts (lag's offset, ntile's buckets, frame offsets) are evaluated here, with PostgreSQL's
 * checks.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../engine/batch.js';
import type { Operator } from '../engine/operator.js';
import { MapOp } from '../engine/ops/basic.js';
import { WindowOp, type Frame, type FrameBound, type WindowFunction } from '../engine/ops/window.js';
import { Decimal } from 'decimal.js';
import { Interval, type Value } from '../types/types.js';
import { compareValues } from '../types/compare.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { compileExpr } from './compile-expr.js';
import { exprEquals } from './expr-utils.js';
import { argKind } from './aggregates.js';
import type { LogicalPlan, WindowBound, WindowFnCall, WindowFrame } from './logical.js';

type WindowPlan = Extract<LogicalPlan, { op: 'window' }>;

/** The operators of a window node, bottom up (the caller stacks them on the lowered input). */
export function windowOperators(plan: WindowPlan, env: EvalEnv): Operator[] {
  const width = plan.input.columns.length;
  const extra: Expr[] = [];
  const col = (e: Expr): number => {
    if (e.kind === 'column' && e.index < width) return e.index;
    const i = extra.findIndex((x) => exprEquals(x, e));
    if (i >= 0) return width + i;
    extra.push(e);
    return width + extra.length - 1;
  };
  const constant = (e: Expr): Value => compileExpr(e)([], env);
  const window = new WindowOp({
    partition: plan.partition.map(col),
    order: plan.order.map((k) => ({ column: col(k.expr), desc: k.desc, nullsFirst: k.nullsFirst })),
    functions: plan.functions.map((f) => engineFunction(f, col, constant)),
  });
  if (extra.length === 0) return [window];
  const compiled = extra.map((e) => compileExpr(e));
  const widen = new MapOp((row: Row) => [...row, ...compiled.map((f) => f(row, env))], 'Map window arguments');
  const added = extra.length;
  const narrow = new MapOp((row: Row) => [...row.slice(0, width), ...row.slice(width + added)], 'Map window values');
  return [widen, window, narrow];
}

function engineFunction(f: WindowFnCall, col: (e: Expr) => number, constant: (e: Expr) => Value): WindowFunction {
  const count = (): number | null => {
    const v = f.count ? constant(f.count) : null;
    return v === null ? null : Number(v);
  };
  switch (f.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'percent_rank':
    case 'cume_dist':
      return { fn: f.fn };
    case 'ntile': {
      const buckets = count();
      if (buckets !== null && buckets <= 0) throw new SqlError(SQLSTATE.invalidArgumentForNtile, 'argument of ntile must be greater than zero');
      return { fn: 'ntile', buckets };
    }
    case 'lag':
    case 'lead':
      return { fn: f.fn, value: col(f.args[0]!), offset: count(), default: f.args[1] ? col(f.args[1]) : null };
    case 'first_value':
    case 'last_value':
      return { fn: f.fn, value: col(f.args[0]!), frame: engineFrame(f.frame, col, constant) };
    case 'nth_value': {
      const n = count();
      if (n !== null && n <= 0) throw new SqlError(SQLSTATE.invalidArgumentForNthValue, 'argument of nth_value must be greater than zero');
      return { fn: 'nth_value', value: col(f.args[0]!), n, frame: engineFrame(f.frame, col, constant) };
    }
    case 'aggregate': {
      const a = f.aggregate!;
      return {
        fn: 'aggregate',
        aggregate: {
          fn: a.name === 'count' && a.args.length === 0 ? 'count_star' : a.name,
          args: a.args.map(col),
          filter: a.filter ? col(a.filter) : null,
          argKind: argKind(a.args[0]?.type),
        },
        frame: engineFrame(f.frame, col, constant),
      };
    }
  }
}

function engineFrame(frame: WindowFrame, col: (e: Expr) => number, constant: (e: Expr) => Value): Frame {
  const bound = (b: WindowBound, which: 'starting' | 'ending'): FrameBound => {
    if (b.offset === null) return { kind: b.kind, offset: 0, column: -1 };
    const v = constant(b.offset);
    if (v === null) throw new SqlError(SQLSTATE.nullValueNotAllowed, `frame ${which} offset must not be null`);
    if (frame.unit === 'range') {
      if (isNegative(v)) throw new SqlError(SQLSTATE.invalidPrecedingOrFollowingSize, 'invalid preceding or following size in window function');
      return { kind: b.kind, offset: 0, column: col(b.value!) };
    }
    if (isNegative(v)) throw new SqlError(SQLSTATE.invalidPrecedingOrFollowingSize, `frame ${which} offset must not be negative`);
    return { kind: b.kind, offset: Number(v), column: -1 };
  };
  return {
    unit: frame.unit,
    start: bound(frame.start, 'starting'),
    end: bound(frame.end, 'ending'),
    exclude: frame.exclude,
    rangeValue: frame.rangeValue ? col(frame.rangeValue) : -1,
  };
}

function isNegative(v: Value): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return v < 0;
  if (v instanceof Decimal) return v.isNegative() && !v.isZero();
  if (v instanceof Interval) return compareValues(v, new Interval(0, 0, 0)) < 0;
  return false;
}
