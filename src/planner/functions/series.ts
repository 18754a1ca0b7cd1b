/**
 * generate_series(start, stop [, step]) over integers, bigints, numerics, and timestamps with an
 * interval step, as rows (a set-returning function): start, start + step, ... while not past stop.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType, type Value } from '../../types/types.js';
import { compareValues } from '../../types/compare.js';
import { interruptPoint } from '../../engine/interrupt.js';
import type { EvalEnv } from '../expr-ir.js';
import { implFor, register, srf, type FunctionDef, type Impl } from './registry.js';
import { resolveOverload } from './resolve.js';

/** cur + step, or undefined past the type's range: the series ends there, as PostgreSQL's does. */
function nextOrEnd(add: Impl, cur: Value, step: Value, env: EvalEnv): Value | undefined {
  try {
    return add([cur, step], env)!;
  } catch (err) {
    if (err instanceof SqlError && (err.code === SQLSTATE.numericValueOutOfRange || err.code === SQLSTATE.datetimeFieldOverflow)) return undefined;
    throw err;
  }
}

function series(type: SqlType, stepType: SqlType, withStep: boolean): FunctionDef {
  const r = resolveOverload('+', [type, stepType], true);
  if (!r || r === 'ambiguous') throw new Error(`generate_series: no + for ${type.name} and ${stepType.name}`);
  const add = implFor(r.def, r.targets);
  const one: Value = type.oid === T.int8.oid ? 1n : type.oid === T.numeric.oid ? new Decimal(1) : 1;
  const rows = ([start, stop, step]: Value[], env: EvalEnv): Value[][] => {
    const by = withStep ? step! : one;
    const direction = compareValues(add([start!, by], env)!, start!);
    if (direction === 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'step size cannot equal zero');
    const out: Value[][] = [];
    let cur: Value = start!;
    while (direction > 0 ? compareValues(cur, stop!) <= 0 : compareValues(cur, stop!) >= 0) {
      interruptPoint();
      out.push([cur]);
      const next = nextOrEnd(add, cur, by, env);
      if (next === undefined) break;
      cur = next;
    }
    return out;
  };
  return srf('generate_series', withStep ? [type, type, stepType] : [type, type], [{ type }], rows);
}

const NUMBERS = [T.int4, T.int8, T.numeric];
register(
  ...NUMBERS.flatMap((t) => [series(t, t, false), series(t, t, true)]),
  series(T.timestamp, T.interval, true),
  series(T.timestamptz, T.interval, true),
);
