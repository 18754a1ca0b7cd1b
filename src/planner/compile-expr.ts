/**
 * Turns a typed expression tree into a plain closure `(row, env) => Value`, built once per plan:
 * SQL's three-valued logic for AND/OR/NOT, NULL in → NULL out for strict calls, casts through
 * casts.ts. foldConstants evaluates immutable sub-expressions over constants ahead of time.
 */
import { T, type SqlType, type Value } from '../types/types.js';
import { cannotCast, castFunction, castIsImmutable, type CastFn } from '../types/casts.js';
import { compareValues } from '../types/compare.js';
import { parseValue } from '../types/text-io.js';
import type { CompiledExpr, EvalEnv, Expr } from './expr-ir.js';
import { children, transformExpr } from './expr-utils.js';

/** The conversion a cast node performs; unknown-typed input (a literal or parameter's text) is parsed. */
function castFor(from: SqlType, to: SqlType): CastFn {
  if (from.oid === T.unknown.oid) {
    return (v, typmod, env) => {
      const parsed = parseValue(to, v as string, -1, { timeZone: env.setting('timezone'), now: env.now });
      return typmod >= 0 ? castFunction(to, to)!(parsed, typmod, env) : parsed;
    };
  }
  const fn = castFunction(from, to);
  if (!fn) throw cannotCast(from, to);
  return fn;
}

/** Whether a node, apart from its children, gives the same value every time: no column, parameter, volatile call or session-reading cast. */
function isImmutableNode(e: Expr): boolean {
  switch (e.kind) {
    case 'column':
    case 'param':
      return false;
    case 'call':
      // a set-returning call is rows, not a value to fold
      return !e.volatile && !e.setReturning;
    case 'cast':
      return castIsImmutable(e.arg.type, e.type);
    default:
      return true;
  }
}

/** Whether an expression reads nothing but constants and immutable functions. */
export function isConstantTree(e: Expr): boolean {
  return isImmutableNode(e) && children(e).every(isConstantTree);
}

/** SQL equality of two non-null values of one type. */
const equal = (a: Value, b: Value) => compareValues(a, b) === 0;

export function compileExpr(e: Expr): CompiledExpr {
  switch (e.kind) {
    case 'column': {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const i = e.index;
      return (_row, env) => env.params[i] ?? null;
    }
    case 'call':
      return compileCall(e);
    case 'cast': {
      const arg = compileExpr(e.arg);
      const fn = castFor(e.arg.type, e.type);
      const typmod = e.typmod;
      return (row, env) => {
        const v = arg(row, env);
        return v === null ? null : fn(v, typmod, env);
      };
    }
    case 'and':
    case 'or': {
      const args = e.args.map(compileExpr);
      // the value that settles the whole (false for AND, true for OR); without it, any NULL makes it NULL
      const decisive = e.kind === 'or';
      return (row, env) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, env);
          if (v === decisive) return decisive;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : !decisive;
      };
    }
    case 'not': {
      const arg = compileExpr(e.arg);
      return (row, env) => {
        const v = arg(row, env);
        return v === null ? null : !v;
      };
    }
    case 'isnull': {
      const arg = compileExpr(e.arg);
      return (row, env) => arg(row, env) === null;
    }
    case 'isnotnull': {
      const arg = compileExpr(e.arg);
      return (row, env) => arg(row, env) !== null;
    }
    case 'booltest': {
      const arg = compileExpr(e.arg);
      const test = BOOL_TESTS[e.test];
      return (row, env) => test(arg(row, env) as boolean | null);
    }
    case 'distinct': {
      const left = compileExpr(e.left);
      const right = compileExpr(e.right);
      const negate = e.negate;
      return (row, env) => {
        const a = left(row, env);
        const b = right(row, env);
        const same = a === null || b === null ? a === b : equal(a, b);
        return negate ? same : !same;
      };
    }
    case 'case': {
      const whens = e.whens.map((w) => ({ when: compileExpr(w.when), then: compileExpr(w.then) }));
      const otherwise = e.else ? compileExpr(e.else) : () => null;
      return (row, env) => {
        for (const w of whens) if (w.when(row, env) === true) return w.then(row, env);
        return otherwise(row, env);
      };
    }
    case 'coalesce': {
      const args = e.args.map(compileExpr);
      return (row, env) => {
        for (const a of args) {
          const v = a(row, env);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'nullif': {
      const left = compileExpr(e.left);
      const right = compileExpr(e.right);
      return (row, env) => {
        const a = left(row, env);
        const b = right(row, env); // evaluated even after a NULL, as PostgreSQL does
        return a !== null && b !== null && equal(a, b) ? null : a;
      };
    }
    case 'greatest':
    case 'least': {
      const args = e.args.map(compileExpr);
      const sign = e.kind === 'greatest' ? 1 : -1;
      return (row, env) => {
        let best: Value = null;
        for (const a of args) {
          const v = a(row, env);
          if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
        }
        return best;
      };
    }
    case 'inlist':
      return compileInList(e);
  }
}

/**
 * x [NOT] IN (...) evaluated as PostgreSQL plans it: items that read no row form one array,
 * compared first when there are several; the others are compared one by one, in order, stopping
 * at the first match (IN) or mismatch (NOT IN). So an error in a later item only surfaces when
 * the earlier ones did not decide.
 */
function compileInList(e: Extract<Expr, { kind: 'inlist' }>): CompiledExpr {
  const arg = compileExpr(e.arg);
  const constant = e.list.filter(isConstantTree);
  const groups: CompiledExpr[][] =
    constant.length > 1
      ? [constant.map(compileExpr), ...e.list.filter((x) => !isConstantTree(x)).map((x) => [compileExpr(x)])]
      : e.list.map((x) => [compileExpr(x)]);
  const negate = e.negate;
  return (row, env) => {
    const v = arg(row, env);
    let sawNull = false;
    for (const group of groups) {
      const items = group.map((item) => item(row, env));
      if (v === null) {
        sawNull = true;
        continue;
      }
      for (const x of items) {
        if (x === null) sawNull = true;
        else if (equal(v, x)) return !negate;
      }
    }
    return sawNull ? null : negate;
  };
}

const BOOL_TESTS: Record<Extract<Expr, { kind: 'booltest' }>['test'], (v: boolean | null) => boolean> = {
  true: (v) => v === true,
  nottrue: (v) => v !== true,
  false: (v) => v === false,
  notfalse: (v) => v !== false,
  unknown: (v) => v === null,
  notunknown: (v) => v !== null,
};

function compileCall(e: Extract<Expr, { kind: 'call' }>): CompiledExpr {
  const impl = e.impl;
  const args = e.args.map(compileExpr);
  if (!e.strict) return (row, env) => impl(args.map((a) => a(row, env)), env);
  switch (args.length) {
    case 0:
      return (_row, env) => impl([], env);
    case 1: {
      const [a] = args as [CompiledExpr];
      return (row, env) => {
        const x = a(row, env);
        return x === null ? null : impl([x], env);
      };
    }
    case 2: {
      const [a, b] = args as [CompiledExpr, CompiledExpr];
      return (row, env) => {
        // both arguments run even when the first is NULL, so an error in the second surfaces
        // as it does in PostgreSQL, which evaluates all arguments before the strictness check
        const x = a(row, env);
        const y = b(row, env);
        return x === null || y === null ? null : impl([x, y], env);
      };
    }
    default:
      return (row, env) => {
        const values = args.map((a) => a(row, env));
        return values.includes(null) ? null : impl(values, env);
      };
  }
}

/** A predicate: true only when the expression is true (NULL and false both reject the row). */
export function compilePredicate(e: Expr): (row: Value[], env: EvalEnv) => boolean {
  const f = compileExpr(e);
  return (row, env) => f(row, env) === true;
}

// ---- constant folding -------------------------------------------------------------------------

/** The environment of evaluation ahead of time (binding, folding): no parameters, no session settings, no clock. */
export const CONSTANT_ENV: EvalEnv = { params: [], setting: () => undefined, now: 0 };

/**
 * Evaluates immutable calls and casts whose arguments are all constants. A sub-expression that
 * raises an error is left as it is: it may never run (CASE WHEN false THEN 1/0 END), and if it
 * does, it raises the error then.
 */
export function foldConstants(e: Expr): Expr {
  const folded = transformExpr(e, (x) => (x === e ? undefined : foldConstants(x)));
  // a CASE is not evaluated as a whole, only its parts are folded
  const foldable = folded.kind !== 'const' && folded.kind !== 'case' && isImmutableNode(folded) && children(folded).every((c) => c.kind === 'const');
  if (!foldable) return folded;
  try {
    return { kind: 'const', value: compileExpr(folded)([], CONSTANT_ENV), type: folded.type };
  } catch {
    return folded;
  }
}
