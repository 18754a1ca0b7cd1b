/**
 * Logical rewrites that make dataflows smaller without changing results:
 * - boolean constants fold away (`WHERE true`, `ON true AND ...`);
 * - filters move below projections, joins (into the side that owns their columns, where the
 *   join kind allows it), semi joins, set operations and aggregates (conjuncts on group keys);
 * - join conditions split into equi-join keys (`l.x = r.y` across the sides) and a residual, so
 *   joins hash on their keys instead of comparing every pair.
 * Volatile predicates (random()) never move: they must run exactly where the query put them.
 */
import type { Expr } from './expr-ir.js';
import { T } from '../types/types.js';
import {
  aggregateNode,
  distinctNode,
  distinctOnNode,
  filterNode,
  joinNode,
  projectNode,
  semiJoinNode,
  setOpNode,
  srfNode,
  temporalNode,
  topKNode,
  windowNode,
  type JoinKind,
  type LogicalPlan,
} from './logical.js';
import {
  columnsUsed,
  conjunction,
  equalityOperands,
  foldBooleans,
  isConstTrue,
  isVolatile,
  mapColumns,
  remapColumns,
  splitConjuncts,
} from './expr-utils.js';
import { foldConstants as foldConstantExprs } from './compile-expr.js';

/**
 * Evaluates, once at plan time, what depends only on constants (compile-expr's rules: immutable
 * calls and casts, NULL in strict calls; a call that fails is left to fail when a row needs it),
 * then folds the boolean connectives around the results.
 */
function foldConstants(e: Expr): Expr {
  return foldBooleans(foldConstantExprs(e));
}

export function optimize(plan: LogicalPlan): LogicalPlan {
  switch (plan.op) {
    case 'get':
    case 'values':
    case 'workingTable':
      return plan;
    case 'recursive':
      // Nothing moves into or out of the recursion: a filter above it applies to the whole result.
      return { ...plan, base: optimize(plan.base), body: optimize(plan.body) };
    case 'srf':
      return srfNode(optimize(plan.input), plan.calls.map((c) => ({ ...c, args: c.args.map(foldConstants) })), plan.ordinality, plan.outer, plan.columns.slice(plan.input.columns.length));
    case 'filter':
      return pushFilter(optimize(plan.input), splitConjuncts(foldConstants(plan.predicate)));
    case 'project': {
      const input = optimize(plan.input);
      const exprs = plan.exprs.map(foldConstants);
      // SELECT * and the like: a projection that passes every column through is no operator.
      const identity = exprs.length === input.columns.length && exprs.every((e, i) => e.kind === 'column' && e.index === i);
      return identity ? input : projectNode(input, exprs, plan.columns);
    }
    case 'temporal':
      return temporalNode(optimize(plan.input), plan.bounds);
    case 'join':
      return planJoin(plan.kind, optimize(plan.left), optimize(plan.right), plan.leftKey, plan.rightKey, plan.residual ? splitConjuncts(foldConstants(plan.residual)) : []);
    case 'semijoin':
      return semiJoinNode(plan.anti, plan.nullAwareNotIn, optimize(plan.left), optimize(plan.right), plan.leftKey, plan.rightKey, plan.residual);
    case 'aggregate':
      return aggregateNode(optimize(plan.input), plan.groupKey, plan.aggregates, plan.columns, plan.mode);
    case 'distinct':
      return distinctNode(optimize(plan.input));
    case 'distinctOn':
      return distinctOnNode(optimize(plan.input), plan.key, plan.order);
    case 'topk':
      return topKNode(optimize(plan.input), plan.order, plan.limit, plan.offset, plan.partition);
    case 'setop':
      return setOpNode(plan.kind, plan.all, optimize(plan.left), optimize(plan.right), plan.columns);
    case 'window':
      return windowNode(optimize(plan.input), plan.partition, plan.order, plan.functions);
  }
}

type Side = 'left' | 'right' | 'both' | 'none';

function sideOf(e: Expr, leftWidth: number): Side {
  let left = false;
  let right = false;
  for (const i of columnsUsed(e)) {
    if (i < leftWidth) left = true;
    else right = true;
  }
  return left && right ? 'both' : left ? 'left' : right ? 'right' : 'none';
}

/** Places the conjuncts of a filter over an (already optimized) input as low as they can go. */
function pushFilter(input: LogicalPlan, conjuncts: Expr[]): LogicalPlan {
  const parts = conjuncts.filter((c) => !isConstTrue(c));
  if (parts.length === 0) return input;
  const movable = parts.filter((c) => !isVolatile(c));
  const fixed = parts.filter((c) => isVolatile(c));
  const above = (p: LogicalPlan, rest: Expr[]) => (rest.length > 0 ? filterNode(p, conjunction(rest)) : p);
  if (movable.length === 0) return above(input, fixed);
  switch (input.op) {
    case 'filter':
      return above(pushFilter(input.input, [...splitConjuncts(input.predicate), ...movable]), fixed);
    case 'project': {
      if (input.exprs.some(isVolatile)) break;
      const inlined = movable.map((c) => mapColumns(c, (x) => input.exprs[x.index]!));
      return above(projectNode(pushFilter(input.input, inlined), input.exprs, input.columns), fixed);
    }
    case 'join':
      return above(planJoin(input.kind, input.left, input.right, input.leftKey, input.rightKey, input.residual ? splitConjuncts(input.residual) : [], movable), fixed);
    case 'srf': {
      // conditions on the input's columns alone filter the rows before they are expanded: every
      // row an input row expands to (a NULL-padded one too) has that row's columns
      const width = input.input.columns.length;
      const below = movable.filter((c) => [...columnsUsed(c)].every((i) => i < width));
      if (below.length === 0) break;
      const rest = [...movable.filter((c) => !below.includes(c)), ...fixed];
      return above(srfNode(pushFilter(input.input, below), input.calls, input.ordinality, input.outer, input.columns.slice(width)), rest);
    }
    case 'semijoin':
      return above(
        semiJoinNode(input.anti, input.nullAwareNotIn, pushFilter(input.left, movable), input.right, input.leftKey, input.rightKey, input.residual),
        fixed,
      );
    case 'setop':
      return above(setOpNode(input.kind, input.all, pushFilter(input.left, movable), pushFilter(input.right, movable), input.columns), fixed);
    case 'window': {
      // A condition on partition keys keeps or drops whole partitions: it can go below.
      const keys = new Set(input.partition.flatMap((e) => (e.kind === 'column' ? [e.index] : [])));
      const below = movable.filter((c) => [...columnsUsed(c)].every((i) => keys.has(i)));
      const rest = parts.filter((c) => !below.includes(c));
      let inner = pushFilter(input.input, below);
      // Only the first `limit` rows of each partition can pass `rn <= limit`: a per-partition
      // top-K keeps just those, so a change elsewhere in a partition costs nothing.
      const limit = input.input.op === 'topk' ? null : rowNumberLimit(input, rest);
      if (limit !== null) inner = topKNode(inner, input.order, { kind: 'const', value: BigInt(limit), type: T.int8 }, null, input.partition);
      if (below.length === 0 && limit === null) break;
      return above(windowNode(inner, input.partition, input.order, input.functions), rest);
    }
    case 'aggregate': {
      // Only grouped: a global aggregate has its one row even when every input row is filtered out.
      const groups = input.groupKey.length;
      if (groups === 0 || input.groupKey.some(isVolatile)) break;
      const onKeys = movable.filter((c) => [...columnsUsed(c)].every((i) => i < groups));
      if (onKeys.length === 0) break;
      const below = onKeys.map((c) => mapColumns(c, (x) => input.groupKey[x.index]!));
      const rest = movable.filter((c) => !onKeys.includes(c));
      const agg = aggregateNode(pushFilter(input.input, below), input.groupKey, input.aggregates, input.columns, input.mode);
      return above(agg, [...rest, ...fixed]);
    }
  }
  return filterNode(input, conjunction(parts));
}

/**
 * `rn <= k`, `rn < k` or `rn = k` (or the mirrored forms) on a window node whose functions are
 * all row_number(): the largest row number the filter lets through, else null.
 */
function rowNumberLimit(window: Extract<LogicalPlan, { op: 'window' }>, conjuncts: Expr[]): number | null {
  if (!window.functions.every((f) => f.fn === 'row_number')) return null;
  const width = window.input.columns.length;
  const mirrored: Record<string, string> = { '<=': '>=', '<': '>', '=': '=' };
  let best: number | null = null;
  for (const c of conjuncts) {
    if (c.kind !== 'call' || c.args.length !== 2) continue;
    const [a, b] = c.args as [Expr, Expr];
    const [col, k, op] = a.kind === 'column' ? [a, b, c.name] : [b, a, Object.keys(mirrored).find((o) => mirrored[o] === c.name)];
    if (col.kind !== 'column' || col.index < width || k.kind !== 'const' || op === undefined || !(op in mirrored)) continue;
    if (typeof k.value !== 'bigint' && typeof k.value !== 'number') continue;
    const n = Math.max(0, Number(k.value) - (op === '<' ? 1 : 0));
    if (Number.isSafeInteger(n) && (best === null || n < best)) best = n;
  }
  return best;
}

/**
 * Builds a join from its ON conjuncts (`on`) and the conjuncts of a WHERE filter above it
 * (`where`): single-side conjuncts go into the inputs where the join kind allows, cross-side
 * equalities become keys, the rest stays as the residual (ON) or a filter above (WHERE).
 */
function planJoin(
  joinKind: JoinKind,
  left: LogicalPlan,
  right: LogicalPlan,
  leftKey: Expr[],
  rightKey: Expr[],
  on: Expr[],
  where: Expr[] = [],
): LogicalPlan {
  const width = left.columns.length;
  const kind = withoutNullExtension(joinKind, where, width);
  const toRight = (e: Expr) => remapColumns(e, (i) => i - width);
  const pushLeft: Expr[] = [];
  const pushRight: Expr[] = [];
  const residual: Expr[] = [];
  const above: Expr[] = [];
  const lk = [...leftKey];
  const rk = [...rightKey];

  const asKey = (c: Expr): boolean => {
    const pair = equalityOperands(c);
    if (!pair || isVolatile(c)) return false;
    const [a, b] = pair;
    if (a.type.oid !== b.type.oid) return false;
    const sa = sideOf(a, width);
    const sb = sideOf(b, width);
    if (sa === 'left' && sb === 'right') {
      lk.push(a);
      rk.push(toRight(b));
      return true;
    }
    if (sa === 'right' && sb === 'left') {
      lk.push(b);
      rk.push(toRight(a));
      return true;
    }
    return false;
  };

  // ON: a conjunct on the non-preserved side only restricts that side's rows.
  for (const c of on.filter((x) => !isConstTrue(x))) {
    const side = isVolatile(c) ? 'both' : sideOf(c, width);
    if (side === 'left' && (kind === 'inner' || kind === 'right')) pushLeft.push(c);
    else if (side === 'right' && (kind === 'inner' || kind === 'left')) pushRight.push(toRight(c));
    else if (!asKey(c)) residual.push(c);
  }
  // WHERE: a conjunct on a preserved side filters that side before the join.
  for (const c of where) {
    const side = sideOf(c, width);
    if (side === 'left' && (kind === 'inner' || kind === 'left')) pushLeft.push(c);
    else if (side === 'right' && (kind === 'inner' || kind === 'right')) pushRight.push(toRight(c));
    else if (kind === 'inner' && side !== 'none' && !asKey(c)) residual.push(c);
    else if (kind !== 'inner' || side === 'none') above.push(c);
  }
  const join = joinNode(
    kind,
    pushFilter(left, pushLeft),
    pushFilter(right, pushRight),
    lk,
    rk,
    residual.length > 0 ? conjunction(residual) : null,
  );
  return above.length > 0 ? filterNode(join, conjunction(above)) : join;
}

/** Does `e` evaluate to NULL whenever the columns `nulled` picks are all NULL? */
function nullWhen(e: Expr, nulled: (i: number) => boolean): boolean {
  switch (e.kind) {
    case 'column':
      return nulled(e.index);
    case 'call':
      return e.strict && e.args.some((a) => nullWhen(a, nulled));
    case 'cast':
      return nullWhen(e.arg, nulled);
    default:
      return false;
  }
}

/** Is the condition never true for a row whose `nulled` columns are all NULL? */
function rejectsNulls(c: Expr, nulled: (i: number) => boolean): boolean {
  switch (c.kind) {
    case 'and':
      return c.args.some((a) => rejectsNulls(a, nulled));
    case 'or':
      return c.args.every((a) => rejectsNulls(a, nulled));
    case 'not':
      return nullWhen(c.arg, nulled);
    case 'isnotnull':
      return nullWhen(c.arg, nulled);
    case 'booltest':
      return (c.test === 'true' || c.test === 'false' || c.test === 'notunknown') && nullWhen(c.arg, nulled);
    default:
      return nullWhen(c, nulled);
  }
}

/**
 * An outer join under a WHERE condition that no NULL-extended row can pass is a narrower join
 * (`a LEFT JOIN b ... WHERE b.x > 0` is an inner join), which then lets more conditions move
 * below it.
 */
function withoutNullExtension(kind: JoinKind, where: Expr[], leftWidth: number): JoinKind {
  if (kind === 'inner' || where.length === 0) return kind;
  const dropsLeftOnly = where.some((c) => rejectsNulls(c, (i) => i >= leftWidth));
  const dropsRightOnly = where.some((c) => rejectsNulls(c, (i) => i < leftWidth));
  const leftOuter = (kind === 'left' || kind === 'full') && !dropsLeftOnly;
  const rightOuter = (kind === 'right' || kind === 'full') && !dropsRightOnly;
  return leftOuter && rightOuter ? 'full' : leftOuter ? 'left' : rightOuter ? 'right' : 'inner';
}
