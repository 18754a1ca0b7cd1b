/**
 * Lowering: a logical plan becomes a tree of engine operators with compiled expressions, which
 * `addToDataflow` then wires into a Dataflow. Expressions are compiled once here; the closures
 * capture the statement's environment (parameters, settings).
 */
import { SqlError } from '../errors.js';
import type { Row } from '../engine/batch.js';
import type { Dataflow, Node } from '../engine/dataflow.js';
import type { Operator, RowFn } from '../engine/operator.js';
import { FilterOp, FlatMapOp, MapOp, UnionAllOp } from '../engine/ops/basic.js';
import { JoinOp } from '../engine/ops/join.js';
import { SemiJoinOp } from '../engine/ops/semijoin.js';
import { AggregateOp, type AggregateSpec } from '../engine/ops/aggregate.js';
import { argKind } from './aggregates.js';
import { windowOperators } from './lower-window.js';
import { DistinctOnOp, DistinctOp } from '../engine/ops/distinct.js';
import { TopKOp } from '../engine/ops/topk.js';
import { SetOp } from '../engine/ops/setop.js';
import { RecursiveOp, type Circuit } from '../engine/ops/recursive.js';
import { TemporalFilterOp, type ValidityInterval } from '../engine/ops/temporal-filter.js';
import { T, type SqlType, type Value } from '../types/types.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { compileExpr } from './compile-expr.js';
import { accumulationMode, planInputs, type AggCall, type LogicalPlan, type SortKey } from './logical.js';
import { rowComparator, tupleComparator } from './sort.js';
import { expandRow } from './set-returning.js';
import { DEFAULT_MAX_RECURSION_ITERATIONS } from './recursive.js';
import { indexJoinOperator } from './lower-index-join.js';

/** An operator tree ready to be added to a Dataflow; leaves are relations and constant rows. */
export type Lowered =
  /** `lookup`, when the read uses an index: the rows to read instead of the whole relation (null: read it whole). */
  | { kind: 'relation'; name: string; node: Node; lookup?: () => Row[] | null }
  | { kind: 'constant'; rows: Row[] }
  | { kind: 'op'; op: Operator; inputs: Lowered[] }
  /** Inside a recursive term only: the working table (0) or a table the term reads (i). */
  | { kind: 'slot'; index: number };

/**
 * Adds the tree's operators to `df`. Relation leaves are the catalog's nodes of that same
 * dataflow unless `relationNode` maps them (a one-shot read maps them to snapshots).
 */
export function addToDataflow(df: Dataflow, tree: Lowered, relationNode: (leaf: Extract<Lowered, { kind: 'relation' }>) => Node = (l) => l.node): Node {
  switch (tree.kind) {
    case 'relation':
      return relationNode(tree);
    case 'constant':
      return df.constant(tree.rows, 'values');
    case 'op':
      return df.add(
        tree.op,
        tree.inputs.map((i) => addToDataflow(df, i, relationNode)),
      );
    case 'slot':
      throw new Error('a recursive term slot outside its recursive query');
  }
}

/**
 * `sub` lowers the node's inputs: the recursive term's instances map the working table and the
 * subtrees that do not read it to slots (see lowerRecursive).
 */
export function lower(plan: LogicalPlan, env: EvalEnv, sub: (p: LogicalPlan) => Lowered = (p) => lower(p, env)): Lowered {
  const fn = (e: Expr): RowFn<Value> => {
    const f = compileExpr(e);
    return (row: Row) => f(row, env);
  };
  const pred = (e: Expr): RowFn<boolean> => {
    const f = compileExpr(e);
    return (row: Row) => f(row, env) === true;
  };
  // A join's residual sees the concatenated row, as the logical plan defines it.
  const pairPred = (e: Expr | null): ((l: Row, r: Row) => boolean) | undefined => {
    if (!e) return undefined;
    const p = pred(e);
    return (l, r) => p([...l, ...r]);
  };
  const tuple = (exprs: Expr[]): RowFn<Value[]> => {
    if (exprs.every((e) => e.kind === 'column')) {
      const idx = exprs.map((e) => (e as { index: number }).index);
      return (row) => idx.map((i) => row[i]!);
    }
    const fs = exprs.map((e) => compileExpr(e));
    return (row) => fs.map((f) => f(row, env));
  };
  const comparator = (order: SortKey[]) =>
    rowComparator(order.map((k) => ({ get: fn(k.expr), desc: k.desc, nullsFirst: k.nullsFirst })));
  const op = (o: Operator, ...inputs: LogicalPlan[]): Lowered => ({ kind: 'op', op: o, inputs: inputs.map(sub) });

  switch (plan.op) {
    case 'get': {
      const leaf = { kind: 'relation' as const, name: plan.relationName, node: plan.node as Node };
      if (!plan.lookup) return leaf;
      const { index } = plan.lookup;
      const key = plan.lookup.key.map((e) => compileExpr(e));
      return { ...leaf, lookup: () => index.lookup(key.map((k) => k([], env))) };
    }
    case 'values':
      return { kind: 'constant', rows: plan.rows.map((r) => r.map((e) => compileExpr(e)([], env))) };
    case 'srf': {
      const expand = expandRow(plan.calls, plan.ordinality, plan.outer, env);
      return op(new FlatMapOp(expand, `FlatMap ${plan.calls.map((c) => c.name).join(', ')}`), plan.input);
    }
    case 'filter':
      return op(new FilterOp(pred(plan.predicate)), plan.input);
    case 'temporal': {
      const bounds = plan.bounds.map((b) => ({ side: b.side, at: fn(b.at), plusOne: b.plusOne }));
      return op(new TemporalFilterOp((row) => validity(row, bounds)), plan.input);
    }
    case 'project':
      return op(new MapOp(tuple(plan.exprs), `Map ${plan.columns.map((c) => c.name).join(', ')}`), plan.input);
    case 'join': {
      const indexed = plan.probe ? indexJoinOperator(plan, plan.probe, env) : null;
      if (indexed) return op(indexed.op, indexed.outer);
      // A shared index keys rows by its columns in its order: the join's keys follow that order.
      const held = plan.share?.index.share?.() ?? null;
      const order = held ? plan.share!.keys : plan.leftKey.map((_, i) => i);
      return op(
        new JoinOp({
          kind: plan.kind,
          leftKey: tuple(order.map((i) => plan.leftKey[i]!)),
          rightKey: tuple(order.map((i) => plan.rightKey[i]!)),
          residual: pairPred(plan.residual),
          leftWidth: plan.left.columns.length,
          rightWidth: plan.right.columns.length,
          shared: held ? { side: plan.share!.side, index: held } : undefined,
        }),
        plan.left,
        plan.right,
      );
    }
    case 'semijoin':
      return op(
        new SemiJoinOp({
          anti: plan.anti,
          leftKey: tuple(plan.leftKey),
          rightKey: tuple(plan.rightKey),
          residual: pairPred(plan.residual),
          nullAwareNotIn: plan.nullAwareNotIn,
        }),
        plan.left,
        plan.right,
      );
    case 'aggregate':
      return op(
        new AggregateOp({
          groupKey: tuple(plan.groupKey),
          aggregates: plan.aggregates.map((a) => aggregateSpec(a, fn, pred, tuple)),
          global: plan.groupKey.length === 0,
          input: plan.mode,
        }),
        plan.input,
      );
    case 'distinct':
      return op(new DistinctOp({ input: accumulationMode(plan.input.tableType) }), plan.input);
    case 'distinctOn':
      return op(
        new DistinctOnOp({
          key: tuple(plan.key),
          order: plan.order.length > 0 ? comparator(plan.order) : undefined,
          input: accumulationMode(plan.input.tableType),
        }),
        plan.input,
      );
    case 'topk':
      return op(
        new TopKOp({
          compare: comparator(plan.order),
          limit: countValue(plan.limit, env, 'LIMIT'),
          offset: countValue(plan.offset, env, 'OFFSET') ?? 0,
          groupKey: plan.partition.length > 0 ? tuple(plan.partition) : undefined,
          input: accumulationMode(plan.input.tableType),
        }),
        plan.input,
      );
    case 'setop':
      if (plan.kind === 'union' && plan.all) return op(new UnionAllOp(2), plan.left, plan.right);
      return op(new SetOp({ op: plan.kind, all: plan.all }), plan.left, plan.right);
    case 'window':
      return windowOperators(plan, env).reduce<Lowered>((tree: Lowered, o: Operator) => ({ kind: 'op', op: o, inputs: [tree] }), sub(plan.input));
    case 'recursive':
      return lowerRecursive(plan, env);
    case 'workingTable':
      throw new Error(`the working table of ${plan.name} outside its recursive query`);
  }
}

/**
 * WITH RECURSIVE: the non-recursive term and every subtree of the recursive term that does not
 * read the working table are ordinary inputs of the RecursiveOp; the rest of the term is built
 * afresh for each iteration layer the operator keeps.
 */
function lowerRecursive(plan: Extract<LogicalPlan, { op: 'recursive' }>, env: EvalEnv): Lowered {
  const readsWorkingTable = (p: LogicalPlan): boolean =>
    (p.op === 'workingTable' && p.id === plan.id) || planInputs(p).some(readsWorkingTable);
  const externals: LogicalPlan[] = [];
  const collect = (p: LogicalPlan): void => {
    if (!readsWorkingTable(p)) externals.push(p);
    else planInputs(p).forEach(collect);
  };
  collect(plan.body);
  const inner = (p: LogicalPlan): Lowered => {
    if (p.op === 'workingTable' && p.id === plan.id) return { kind: 'slot', index: 0 };
    if (!readsWorkingTable(p)) return { kind: 'slot', index: externals.indexOf(p) + 1 };
    return lower(p, env, inner);
  };
  const op = new RecursiveOp({
    distinct: plan.distinct,
    externals: externals.length,
    body: () => toCircuit(inner(plan.body)),
    maxIterations: Number(env.setting('eddy.max_recursion_iterations') ?? DEFAULT_MAX_RECURSION_ITERATIONS),
  });
  return { kind: 'op', op, inputs: [lower(plan.base, env), ...externals.map((e) => lower(e, env))] };
}

/** One instance of the recursive term's operators; its leaves are all slots. */
function toCircuit(l: Lowered): Circuit {
  if (l.kind === 'slot') return l;
  if (l.kind === 'op') return { kind: 'op', op: l.op, inputs: l.inputs.map(toCircuit) };
  throw new Error('a relation inside a recursive term that should have been one of its inputs');
}

/** A row's validity interval from its bounds; null (never visible) when a bound is NULL. */
function validity(row: Row, bounds: { side: 'from' | 'until'; at: RowFn<Value>; plusOne: boolean }[]): ValidityInterval | null {
  let from: number | null = null;
  let until: number | null = null;
  for (const b of bounds) {
    const v = b.at(row);
    if (v === null) return null;
    const t = (v as number) + (b.plusOne ? 1 : 0);
    if (b.side === 'from') from = from === null ? t : Math.max(from, t);
    else until = until === null ? t : Math.min(until, t);
  }
  return { from, until };
}

/** LIMIT / OFFSET's value (a constant or a parameter); null for LIMIT ALL / NULL. */
export function countValue(e: Expr | null, env: EvalEnv, clause: 'LIMIT' | 'OFFSET'): number | null {
  if (!e) return null;
  const v = compileExpr(e)([], env);
  if (v === null) return null;
  const n = Number(v);
  if (n < 0) throw new SqlError(clause === 'LIMIT' ? '2201W' : '2201X', `${clause} must not be negative`);
  return n;
}

function aggregateSpec(
  a: AggCall,
  fn: (e: Expr) => RowFn<Value>,
  pred: (e: Expr) => RowFn<boolean>,
  tuple: (exprs: Expr[]) => RowFn<Value[]>,
): AggregateSpec {
  return {
    fn: a.name === 'count' && a.args.length === 0 ? 'count_star' : a.name,
    args: a.args.map(fn),
    distinct: a.distinct,
    filter: a.filter ? pred(a.filter) : undefined,
    orderBy:
      a.orderBy.length > 0
        ? { keys: tuple(a.orderBy.map((k) => k.expr)), compare: tupleComparator(a.orderBy) }
        : undefined,
    argKind: argKind(a.args[0]?.type),
  };
}
