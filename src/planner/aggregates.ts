/**
 * The aggregate functions the planner knows, and their result types as PostgreSQL defines them
 * (sum of integers is bigint or numeric, avg of integers is numeric, ...). Binding an aggregate
 * call's arguments is the query binder's job; this module only names and types them.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { T, arrayTypeOf, type SqlType } from '../types/types.js';
import type { AggName } from './logical.js';
import type { ArgKind } from '../engine/ops/accumulators.js';
import { isRegressionFn } from '../engine/ops/statistics.js';

const ALIASES: Record<string, AggName> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  bool_and: 'bool_and',
  every: 'bool_and',
  bool_or: 'bool_or',
  string_agg: 'string_agg',
  array_agg: 'array_agg',
  first: 'first',
  last: 'last',
  var_pop: 'var_pop',
  var_samp: 'var_samp',
  variance: 'var_samp',
  stddev_pop: 'stddev_pop',
  stddev_samp: 'stddev_samp',
  stddev: 'stddev_samp',
  corr: 'corr',
  covar_pop: 'covar_pop',
  covar_samp: 'covar_samp',
  regr_count: 'regr_count',
  regr_sxx: 'regr_sxx',
  regr_syy: 'regr_syy',
  regr_sxy: 'regr_sxy',
  regr_avgx: 'regr_avgx',
  regr_avgy: 'regr_avgy',
  regr_r2: 'regr_r2',
  regr_slope: 'regr_slope',
  regr_intercept: 'regr_intercept',
  percentile_cont: 'percentile_cont',
  percentile_disc: 'percentile_disc',
  mode: 'mode',
};

/** The ordered-set aggregates: called as f(direct args) WITHIN GROUP (ORDER BY x). */
export const ORDERED_SET = new Set<AggName>(['percentile_cont', 'percentile_disc', 'mode']);

/** Types that cast to float8 implicitly (the regressions' argument type). */
const NUMBERS = new Set([T.int2.oid, T.int4.oid, T.int8.oid, T.numeric.oid, T.float4.oid, T.float8.oid, T.unknown.oid]);

/** Other aggregates PostgreSQL has: recognised so they fail as unsupported rather than unknown. */
const UNSUPPORTED = new Set([
  'bit_and', 'bit_or', 'xmlagg', 'any_value',
]);

/** The aggregate a (folded, possibly pg_catalog-qualified) function name denotes, if any. */
export function aggregateName(funcname: string[], location: number): AggName | undefined {
  if (funcname.length > 2 || (funcname.length === 2 && funcname[0] !== 'pg_catalog')) return undefined;
  const name = funcname[funcname.length - 1]!;
  if (UNSUPPORTED.has(name)) {
    throw new SqlError(SQLSTATE.featureNotSupported, `aggregate function ${name} is not supported`, { position: location + 1 });
  }
  return ALIASES[name];
}

/** Types PostgreSQL has no min()/max() for. */
const NOT_ORDERED_BY_MIN_MAX = new Set([T.bool.oid, T.json.oid, T.jsonb.oid, T.bytea.oid]);

const INTEGER = new Set([T.int2.oid, T.int4.oid, T.int8.oid]);

export function noSuchAggregate(name: string, args: SqlType[], location: number): SqlError {
  return new SqlError(SQLSTATE.undefinedFunction, `function ${name}(${args.map((a) => a.name).join(', ')}) does not exist`, {
    position: location + 1,
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

/**
 * The argument types an aggregate takes for the given (bound) argument types — so the binder
 * can cast unknown literals — and its result type. Throws 42883 for combinations PostgreSQL has
 * no aggregate for.
 */
export function aggregateSignature(
  name: AggName,
  sqlName: string,
  args: SqlType[],
  location: number,
): { argTypes: SqlType[]; result: SqlType } {
  const fail = () => noSuchAggregate(sqlName, args, location);
  const arity = name === 'string_agg' || name === 'percentile_cont' || name === 'percentile_disc' || isRegressionFn(name) ? 2 : name === 'count' ? args.length : 1;
  if (args.length !== arity || (name === 'count' && args.length > 1)) throw fail();
  const a = args[0];
  // The two-argument aggregates over float8 pairs (Y, X).
  if (isRegressionFn(name)) {
    if (!NUMBERS.has(a!.oid) || !NUMBERS.has(args[1]!.oid)) throw fail();
    return { argTypes: [T.float8, T.float8], result: name === 'regr_count' ? T.int8 : T.float8 };
  }
  switch (name) {
    case 'count':
      return { argTypes: args, result: T.int8 };
    case 'sum': {
      const t = a!.oid === T.unknown.oid ? T.float8 : a!;
      if (t.oid === T.int2.oid || t.oid === T.int4.oid) return { argTypes: [t], result: T.int8 };
      if (t.oid === T.int8.oid || t.oid === T.numeric.oid) return { argTypes: [t], result: T.numeric };
      if (t.oid === T.float4.oid || t.oid === T.float8.oid || t.oid === T.interval.oid) return { argTypes: [t], result: t };
      throw fail();
    }
    case 'avg': {
      const t = a!.oid === T.unknown.oid ? T.float8 : a!;
      if (INTEGER.has(t.oid) || t.oid === T.numeric.oid) return { argTypes: [t], result: T.numeric };
      if (t.oid === T.float4.oid || t.oid === T.float8.oid) return { argTypes: [t], result: T.float8 };
      if (t.oid === T.interval.oid) return { argTypes: [t], result: T.interval };
      throw fail();
    }
    case 'min':
    case 'max': {
      const t = a!.oid === T.unknown.oid ? T.text : a!;
      if (NOT_ORDERED_BY_MIN_MAX.has(t.oid)) throw fail();
      return { argTypes: [t], result: t };
    }
    case 'bool_and':
    case 'bool_or':
      if (a!.oid !== T.bool.oid && a!.oid !== T.unknown.oid) throw fail();
      return { argTypes: [T.bool], result: T.bool };
    case 'string_agg': {
      const textual = (t: SqlType) => t.category === 'S' || t.oid === T.unknown.oid;
      if (textual(a!) && textual(args[1]!)) return { argTypes: [T.text, T.text], result: T.text };
      if (a!.oid === T.bytea.oid && args[1]!.oid === T.bytea.oid) return { argTypes: args, result: T.bytea };
      throw fail();
    }
    case 'array_agg': {
      const t = a!.oid === T.unknown.oid ? T.text : a!;
      if (t.element) throw new SqlError(SQLSTATE.featureNotSupported, 'array_agg over arrays (multidimensional arrays) is not supported', { position: location + 1 });
      const result = arrayTypeOf(t);
      if (!result) throw fail();
      return { argTypes: [t], result };
    }
    case 'first':
    case 'last': {
      const t = a!.oid === T.unknown.oid ? T.text : a!;
      return { argTypes: [t], result: t };
    }
    case 'var_pop':
    case 'var_samp':
    case 'stddev_pop':
    case 'stddev_samp': {
      const t = a!.oid === T.unknown.oid ? T.float8 : a!;
      if (INTEGER.has(t.oid) || t.oid === T.numeric.oid) return { argTypes: [t], result: T.numeric };
      if (t.oid === T.float4.oid || t.oid === T.float8.oid) return { argTypes: [t], result: T.float8 };
      throw fail();
    }
    // The ordered value first, then the direct argument (the fraction).
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode': {
      // The fraction is float8, or float8[] for one percentile per element (an array result).
      const fraction = args[1];
      const many = fraction?.element !== undefined;
      if (fraction && !NUMBERS.has((fraction.element ?? fraction).oid)) throw fail();
      const fractionType = many ? arrayTypeOf(T.float8)! : T.float8;
      let t = a!.oid === T.unknown.oid ? T.text : a!;
      if (name === 'percentile_cont') {
        if (t.oid !== T.interval.oid && !NUMBERS.has(a!.oid)) throw fail();
        if (t.oid !== T.interval.oid) t = T.float8;
      } else if (NOT_ORDERED_BY_MIN_MAX.has(t.oid) && t.oid !== T.bool.oid) throw fail();
      const result = many ? arrayTypeOf(t) : t;
      if (result === undefined) throw fail();
      return { argTypes: fraction ? [t, fractionType] : [t], result };
    }
  }
}

/** The engine's arithmetic for an aggregate's (first) argument type. */
export function argKind(t: SqlType | undefined): ArgKind {
  if (!t) return 'other';
  if (t.oid === T.int2.oid || t.oid === T.int4.oid) return 'int';
  if (t.oid === T.int8.oid) return 'bigint';
  if (t.oid === T.numeric.oid) return 'numeric';
  if (t.oid === T.float4.oid || t.oid === T.float8.oid) return 'float';
  return 'other';
}
