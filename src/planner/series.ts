/**
 * generate_series(start, stop [, step]) in FROM: integers, numerics and timestamps. Its
 * arguments are constants or parameters, so the rows are generated once when the dataflow is
 * built (with the statement's parameter values) and never change.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { T, type SqlType, type Value } from '../types/types.js';
import { compareValues } from '../types/compare.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { bindOperator, coerce, commonType } from './bind-expr.js';
import { compileExpr } from './compile-expr.js';
import { column } from './expr-utils.js';
import type { Row } from '../engine/batch.js';
import { interruptPoint } from '../engine/interrupt.js';

export interface Series {
  start: Expr;
  stop: Expr;
  step: Expr;
  /** start + step, over a one-column row holding the current value. */
  next: Expr;
  type: SqlType;
}

const NUMERIC_RESULT = new Map<number, SqlType>([
  [T.int2.oid, T.int4],
  [T.int4.oid, T.int4],
  [T.int8.oid, T.int8],
  [T.numeric.oid, T.numeric],
]);

/** Types the (bound) arguments; 42883 for combinations PostgreSQL has no generate_series for. */
export function bindSeries(args: Expr[], location: number): Series {
  const fail = () =>
    new SqlError(SQLSTATE.undefinedFunction, `function generate_series(${args.map((a) => a.type.name).join(', ')}) does not exist`, {
      position: location + 1,
    });
  if (args.length < 2 || args.length > 3) throw fail();
  const bounds = commonType(args.slice(0, 2), 'generate_series');
  const timestamp = bounds.oid === T.timestamp.oid || bounds.oid === T.timestamptz.oid;
  const type = timestamp ? bounds : NUMERIC_RESULT.get(commonType(args, 'generate_series').oid);
  if (!type) throw fail();
  if (timestamp && args.length !== 3) throw fail();
  const stepType = timestamp ? T.interval : type;
  const step = args[2] ? coerce(args[2], stepType) : coerce({ kind: 'const', value: '1', type: T.unknown }, type);
  return {
    start: coerce(args[0]!, type),
    stop: coerce(args[1]!, type),
    step,
    next: bindOperator('+', [column(0, type), step]),
    type,
  };
}

/** The series' rows, evaluated with the statement's parameters. */
export function seriesRows(s: Series, env: EvalEnv): Row[] {
  const value = (e: Expr): Value => compileExpr(e)([], env);
  const start = value(s.start);
  const stop = value(s.stop);
  if (start === null || stop === null || value(s.step) === null) return [];
  const next = compileExpr(s.next);
  const direction = compareValues(next([start], env)!, start);
  if (direction === 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'step size cannot equal zero');
  const rows: Row[] = [];
  for (let cur: Value = start; direction > 0 ? compareValues(cur, stop) <= 0 : compareValues(cur, stop) >= 0; cur = next([cur], env)!) {
    interruptPoint();
    rows.push([cur]);
  }
  return rows;
}
