/**
 * Structural helpers over the expression IR that the query planner needs: renumbering column
 * references when an expression moves to another row layout (pushing a filter below a join,
 * decorrelating a subquery), finding which columns an expression reads, comparing two bound
 * expressions (GROUP BY matching), and splitting / joining conjunctions.
 */
import type { Expr } from './expr-ir.js';
import { T } from '../types/types.js';

/**
 * Rebuilds `e` top-down: where `f` returns an expression it replaces that subtree, where it
 * returns undefined the node is kept and its children are transformed.
 */
export function transformExpr(e: Expr, f: (x: Expr) => Expr | undefined): Expr {
  const replaced = f(e);
  if (replaced) return replaced;
  const m = (x: Expr): Expr => transformExpr(x, f);
  switch (e.kind) {
    case 'column':
    case 'const':
    case 'param':
      return e;
    case 'call':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      return { ...e, args: e.args.map(m) } as Expr;
    case 'cast':
    case 'not':
    case 'isnull':
    case 'isnotnull':
    case 'booltest':
      return { ...e, arg: m(e.arg) } as Expr;
    case 'distinct':
    case 'nullif':
      return { ...e, left: m(e.left), right: m(e.right) };
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })), else: e.else ? m(e.else) : null };
    case 'inlist':
      return { ...e, arg: m(e.arg), list: e.list.map(m) };
  }
}

/** Rebuilds `e` with every column reference replaced by `f(column)`. */
export function mapColumns(e: Expr, f: (col: Extract<Expr, { kind: 'column' }>) => Expr): Expr {
  return transformExpr(e, (x) => (x.kind === 'column' ? f(x) : undefined));
}

/** Renumbers column references: index i becomes `remap(i)`. */
export function remapColumns(e: Expr, remap: (index: number) => number): Expr {
  return mapColumns(e, (c) => ({ ...c, index: remap(c.index) }));
}

/** The direct children of an expression, in order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'column':
    case 'const':
    case 'param':
      return [];
    case 'call':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      return e.args;
    case 'cast':
    case 'not':
    case 'isnull':
    case 'isnotnull':
    case 'booltest':
      return [e.arg];
    case 'distinct':
    case 'nullif':
      return [e.left, e.right];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'inlist':
      return [e.arg, ...e.list];
  }
}

/** Every column index `e` reads. */
export function columnsUsed(e: Expr, into: Set<number> = new Set()): Set<number> {
  if (e.kind === 'column') into.add(e.index);
  for (const c of children(e)) columnsUsed(c, into);
  return into;
}

/** True when some call inside `e` satisfies `test`. */
export function someCall(e: Expr, test: (call: Extract<Expr, { kind: 'call' }>) => boolean): boolean {
  if (e.kind === 'call' && test(e)) return true;
  return children(e).some((c) => someCall(c, test));
}

/**
 * Functions whose value differs from call to call. (The IR's `volatile` flag also marks stable
 * functions that only read session state, like timestamptz + interval, which may move freely.)
 */
const NONDETERMINISTIC = new Set(['random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'setseed']);

/** True when `e` calls something nondeterministic (random(), ...), which must not be moved, merged or re-evaluated. */
export function isVolatile(e: Expr): boolean {
  return someCall(e, (c) => NONDETERMINISTIC.has(c.name));
}

/** Structural equality of bound expressions (functions compare by name, not by closure). */
export function exprEquals(a: Expr, b: Expr): boolean {
  if (a.kind !== b.kind || a.type.oid !== b.type.oid) return false;
  switch (a.kind) {
    case 'column':
      return a.index === (b as typeof a).index;
    case 'const':
      return constEquals(a.value, (b as typeof a).value);
    case 'param':
      return a.index === (b as typeof a).index;
    case 'call':
      if (a.name !== (b as typeof a).name) return false;
      break;
    case 'cast':
      if (a.typmod !== (b as typeof a).typmod) return false;
      break;
    case 'booltest':
      if (a.test !== (b as typeof a).test) return false;
      break;
    case 'distinct':
    case 'inlist':
      if (a.negate !== (b as typeof a).negate) return false;
      break;
    case 'case':
      if ((a.else === null) !== ((b as typeof a).else === null)) return false;
      break;
  }
  return listEquals(children(a), children(b));
}

function listEquals(a: Expr[], b: Expr[]): boolean {
  return a.length === b.length && a.every((x, i) => exprEquals(x, b[i]!));
}

function constEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Decimal, Interval, Json, bytes: compare by their serialized form, enough for GROUP BY matching.
  return a.constructor === b.constructor && JSON.stringify(a) === JSON.stringify(b);
}

/** The top-level conjuncts of a boolean expression. */
export function splitConjuncts(e: Expr): Expr[] {
  return e.kind === 'and' ? e.args.flatMap(splitConjuncts) : [e];
}

/** AND of conjuncts; TRUE for none. */
export function conjunction(parts: Expr[]): Expr {
  if (parts.length === 0) return constBool(true);
  if (parts.length === 1) return parts[0]!;
  return { kind: 'and', args: parts, type: T.bool };
}

export function constBool(value: boolean): Expr {
  return { kind: 'const', value, type: T.bool };
}

export function column(index: number, type: Expr['type']): Expr {
  return { kind: 'column', index, type };
}

/** Is `e` the constant TRUE? (Filters on it are dropped.) */
export function isConstTrue(e: Expr): boolean {
  return e.kind === 'const' && e.value === true;
}

/**
 * Folds boolean connectives over constants (`WHERE true`, `ON 1 = 1 AND ...` once the binder
 * has folded its operands), so plans do not carry filters that can never reject a row. Only
 * AND/OR/NOT are folded: everything else is left to run, so no function is evaluated with the
 * wrong session state at plan time.
 */
export function foldBooleans(e: Expr): Expr {
  if (e.kind === 'and' || e.kind === 'or') {
    const neutral = e.kind === 'and';
    const args: Expr[] = [];
    for (const a of e.args.map(foldBooleans)) {
      if (a.kind === 'const' && a.value === !neutral) return constBool(!neutral);
      if (a.kind === 'const' && a.value === neutral) continue;
      args.push(a);
    }
    if (args.length === 0) return constBool(neutral);
    if (args.length === 1) return args[0]!;
    return { ...e, args };
  }
  if (e.kind === 'not') {
    const arg = foldBooleans(e.arg);
    if (arg.kind === 'const' && typeof arg.value === 'boolean') return constBool(!arg.value);
    return { ...e, arg };
  }
  return e;
}

/** The operands of `a = b` (the equality operator of any type), or undefined. */
export function equalityOperands(e: Expr): [Expr, Expr] | undefined {
  if (e.kind === 'call' && e.name === '=' && e.args.length === 2) return [e.args[0]!, e.args[1]!];
  return undefined;
}
