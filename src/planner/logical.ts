/**
 * The logical plan: a small tree of relational operators over bound expressions, each node
 * knowing its output columns and its table type. The binder builds it, the optimizer rewrites
 * it, and lowering turns it into engine operators.
 *
 * Table types follow the rules users are promised (SQL.md "Table types"): a filter or projection
 * keeps its input's type (except that filtering a ring can drop rows out of order, which makes it
 * general); a join with a stream on every preserved side is a stream; an inner join of two
 * append-only inputs stays append-only; aggregation over a stream accumulates everything it saw.
 */
import type { SqlType } from '../types/types.js';
import type { Expr, SetReturning } from './expr-ir.js';
import type { RelationIndex, TableType } from './catalog-api.js';
import type { AggregateFn } from '../engine/ops/accumulators.js';
import type { TemporalBound } from './temporal.js';


export interface PlanColumn {
  name: string;
  type: SqlType;
  typmod: number;
}

export interface SortKey {
  /** Evaluated against the sorted node's input row. */
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

/** The aggregate functions SQL names; count(*) is `count` with no arguments (the engine's count_star). */
export type AggName = Exclude<AggregateFn, 'count_star'>;

export interface AggCall {
  name: AggName;
  /** Arguments over the aggregate's input row; empty for count(*). */
  args: Expr[];
  distinct: boolean;
  /** FILTER (WHERE ...): rows for which it is not true are not aggregated. */
  filter: Expr | null;
  /** ORDER BY inside the call (string_agg(x, ',' ORDER BY y)). */
  orderBy: SortKey[];
  type: SqlType;
}

/** A window frame bound; offsets are constants (ROWS, GROUPS) or the bound's value per row (RANGE). */
export interface WindowBound {
  kind: 'unbounded' | 'preceding' | 'current' | 'following';
  /** ROWS / GROUPS with an offset: the number of rows or groups (a constant or parameter, int8). */
  offset: Expr | null;
  /** RANGE with an offset: the bound's value for the current row (the ORDER BY value moved by the offset). */
  value: Expr | null;
}

export interface WindowFrame {
  unit: 'rows' | 'range' | 'groups';
  start: WindowBound;
  end: WindowBound;
  exclude: 'no others' | 'current row' | 'group' | 'ties';
  /** RANGE with an offset: the ORDER BY value as the bounds' type, compared with them. */
  rangeValue: Expr | null;
}

export type WindowFnName =
  | 'row_number'
  | 'rank'
  | 'dense_rank'
  | 'percent_rank'
  | 'cume_dist'
  | 'ntile'
  | 'lag'
  | 'lead'
  | 'first_value'
  | 'last_value'
  | 'nth_value'
  | 'aggregate';

/** One window function call of a window node. */
export interface WindowFnCall {
  fn: WindowFnName;
  /** lag/lead: the value and the default (when given); first_value, last_value, nth_value: the value. */
  args: Expr[];
  /** lag/lead's offset, ntile's buckets, nth_value's n: a constant or parameter (int4). */
  count: Expr | null;
  /** fn 'aggregate': the call (no DISTINCT, no ORDER BY inside). */
  aggregate: AggCall | null;
  frame: WindowFrame;
  type: SqlType;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';
export type SetOpKind = 'union' | 'intersect' | 'except';

interface Common {
  columns: PlanColumn[];
  tableType: TableType;
}

export type LogicalPlan =
  /**
   * A relation read whole, or (an ad-hoc read only, see index-lookups.ts) just the rows of one of
   * its `indexes` whose key columns equal `lookup.key` (expressions without columns: constants,
   * parameters).
   */
  | (Common & { op: 'get'; relationName: string; relationKind: string; node: unknown; indexes: readonly RelationIndex[]; lookup: IndexLookup | null })
  | (Common & { op: 'values'; rows: Expr[][] })
  /**
   * Set-returning functions over each input row (FROM and LATERAL functions, the select list's
   * unnest/generate_series ...): the input columns, then each call's columns side by side (a
   * call that runs out first is NULL-padded), then the ordinality if asked. A row whose calls
   * give no rows is dropped, unless `outer` (LEFT JOIN LATERAL ... ON true) keeps it NULL-padded.
   */
  | (Common & { op: 'srf'; input: LogicalPlan; calls: SrfCall[]; ordinality: boolean; outer: boolean })
  | (Common & { op: 'filter'; input: LogicalPlan; predicate: Expr })
  /** WHERE conditions on now(): each row is visible between its bounds, re-checked as time passes. */
  | (Common & { op: 'temporal'; input: LogicalPlan; bounds: TemporalBound[] })
  | (Common & { op: 'project'; input: LogicalPlan; exprs: Expr[] })
  /**
   * Output row: left columns then right columns. `leftKey[i] = rightKey[i]` are the equi-join
   * conditions (NULL never matches); `residual` is evaluated over the concatenated row. An
   * ad-hoc read's join may `probe` an index of one side per row of the other (index-joins.ts).
   */
  | (Common & {
      op: 'join';
      kind: JoinKind;
      left: LogicalPlan;
      right: LogicalPlan;
      leftKey: Expr[];
      rightKey: Expr[];
      residual: Expr | null;
      probe?: IndexProbe;
      share?: SharedSide;
    })
  /**
   * Left rows that have (or, anti, have not) a matching right row. Output: the left columns.
   * `nullAwareNotIn`: NOT IN semantics, where a NULL key on either side makes the test unknown.
   */
  | (Common & {
      op: 'semijoin';
      anti: boolean;
      nullAwareNotIn: boolean;
      left: LogicalPlan;
      right: LogicalPlan;
      leftKey: Expr[];
      rightKey: Expr[];
      residual: Expr | null;
    })
  /**
   * Output row: the group key values then the aggregate values. `mode` is how the input is
   * accumulated (a stream's removals ignored, unless the planner needs its exact current rows).
   */
  | (Common & { op: 'aggregate'; input: LogicalPlan; groupKey: Expr[]; aggregates: AggCall[]; mode: AccumulationMode })
  | (Common & { op: 'distinct'; input: LogicalPlan })
  /** One row per `key`: the first by `order`, or with no order the row that arrived last. */
  | (Common & { op: 'distinctOn'; input: LogicalPlan; key: Expr[]; order: SortKey[] })
  /**
   * ORDER BY ... LIMIT/OFFSET, per `partition` value when there is one; limit and offset are
   * constants or parameters, read when the dataflow is built.
   */
  | (Common & { op: 'topk'; input: LogicalPlan; order: SortKey[]; limit: Expr | null; offset: Expr | null; partition: Expr[] })
  | (Common & { op: 'setop'; kind: SetOpKind; all: boolean; left: LogicalPlan; right: LogicalPlan })
  /** Window functions over one PARTITION BY / ORDER BY: the input row followed by one value per call. */
  | (Common & { op: 'window'; input: LogicalPlan; partition: Expr[]; order: SortKey[]; functions: WindowFnCall[] })
  /**
   * WITH RECURSIVE: `base UNION [ALL] body`, where `body` reads the working table through the
   * `workingTable` leaf with the same id (see planner/recursive.ts).
   */
  | (Common & { op: 'recursive'; name: string; id: number; distinct: boolean; base: LogicalPlan; body: LogicalPlan })
  | (Common & { op: 'workingTable'; name: string; id: number });

export function isStream(t: TableType): boolean {
  return t === 'stream';
}

export type AccumulationMode = 'append' | 'stream' | 'general';

/** The aggregate / distinct operators' input mode for a table type. */
export function accumulationMode(t: TableType): AccumulationMode {
  return t === 'append' || t === 'stream' ? t : 'general';
}

/** A point lookup in an index: the key columns' values, in the index's column order. */
export interface IndexLookup {
  index: RelationIndex;
  key: Expr[];
}

/**
 * An index nested-loop join: the `side` read through `index` (a `get`, or a filter over one), one
 * lookup per row of the other side. `keys[j]` is the join key position giving index column j its
 * value, `narrow[j]` the column's own type when the join compares it widened (an int4 column
 * joined as int8), else null; join keys the index does not cover are checked on each match.
 */
export interface IndexProbe {
  side: 'left' | 'right';
  index: RelationIndex;
  keys: number[];
  narrow: (SqlType | null)[];
}

/**
 * A maintained join's side read from the relation's index (shared-indexes.ts) instead of a hash
 * index of the join's own: `keys[j]` is the join key position of index column j.
 */
export interface SharedSide {
  side: 'left' | 'right';
  index: RelationIndex;
  keys: number[];
}

/**
 * The sides of a join whose rows it may drop (the ones an index can serve: probed, or read from
 * a shared arrangement), the right first: both of an inner join, LEFT JOIN's right, RIGHT JOIN's left.
 */
export function droppableSides(kind: JoinKind): ('left' | 'right')[] {
  return kind === 'inner' ? ['right', 'left'] : kind === 'left' ? ['right'] : kind === 'right' ? ['left'] : [];
}

export function getNode(relationName: string, relationKind: string, node: unknown, columns: PlanColumn[], tableType: TableType, indexes: readonly RelationIndex[] = []): LogicalPlan {
  return { op: 'get', relationName, relationKind, node, columns, tableType, indexes, lookup: null };
}

export function valuesNode(rows: Expr[][], columns: PlanColumn[]): LogicalPlan {
  return { op: 'values', rows, columns, tableType: 'append' };
}

/** One set-returning call of an srf node: its arguments over the input row, and what it returns. */
export interface SrfCall {
  name: string;
  args: Expr[];
  output: SetReturning;
}

export function srfNode(input: LogicalPlan, calls: SrfCall[], ordinality: boolean, outer: boolean, columns: PlanColumn[]): LogicalPlan {
  // rows come and go with their input row; filtering a ring's rows can reorder them, as a filter does
  const tableType: TableType = typeof input.tableType === 'object' ? 'general' : input.tableType;
  return { op: 'srf', input, calls, ordinality, outer, columns: [...input.columns, ...columns], tableType };
}

export function filterNode(input: LogicalPlan, predicate: Expr): LogicalPlan {
  const tableType: TableType = typeof input.tableType === 'object' ? 'general' : input.tableType;
  return { op: 'filter', input, predicate, columns: input.columns, tableType };
}

export function temporalNode(input: LogicalPlan, bounds: TemporalBound[]): LogicalPlan {
  // Rows leave as they age out: removals the input never made.
  return { op: 'temporal', input, bounds, columns: input.columns, tableType: 'general' };
}

export function projectNode(input: LogicalPlan, exprs: Expr[], columns: PlanColumn[]): LogicalPlan {
  return { op: 'project', input, exprs, columns, tableType: input.tableType };
}

export function joinNode(
  kind: JoinKind,
  left: LogicalPlan,
  right: LogicalPlan,
  leftKey: Expr[],
  rightKey: Expr[],
  residual: Expr | null,
): LogicalPlan {
  const l = left.tableType;
  const r = right.tableType;
  let tableType: TableType = 'general';
  const preservedStream =
    kind === 'inner' ? isStream(l) || isStream(r) : kind === 'left' ? isStream(l) : kind === 'right' ? isStream(r) : isStream(l) && isStream(r);
  if (preservedStream) tableType = 'stream';
  else if (kind === 'inner' && l === 'append' && r === 'append') tableType = 'append';
  return { op: 'join', kind, left, right, leftKey, rightKey, residual, columns: [...left.columns, ...right.columns], tableType };
}

export function semiJoinNode(
  anti: boolean,
  nullAwareNotIn: boolean,
  left: LogicalPlan,
  right: LogicalPlan,
  leftKey: Expr[],
  rightKey: Expr[],
  residual: Expr | null,
): LogicalPlan {
  // A semi join of append-only inputs only ever gains rows; an anti join loses rows as matches arrive.
  let tableType: TableType = 'general';
  if (isStream(left.tableType)) tableType = 'stream';
  else if (!anti && left.tableType === 'append' && right.tableType === 'append') tableType = 'append';
  return { op: 'semijoin', anti, nullAwareNotIn, left, right, leftKey, rightKey, residual, columns: left.columns, tableType };
}

export function aggregateNode(
  input: LogicalPlan,
  groupKey: Expr[],
  aggregates: AggCall[],
  columns: PlanColumn[],
  mode: AccumulationMode = accumulationMode(input.tableType),
): LogicalPlan {
  return { op: 'aggregate', input, groupKey, aggregates, columns, mode, tableType: 'general' };
}

export function distinctNode(input: LogicalPlan): LogicalPlan {
  // DISTINCT over an append-only input or a stream (which it accumulates) only ever gains rows.
  const tableType: TableType = input.tableType === 'append' || input.tableType === 'stream' ? 'append' : 'general';
  return { op: 'distinct', input, columns: input.columns, tableType };
}

export function distinctOnNode(input: LogicalPlan, key: Expr[], order: SortKey[]): LogicalPlan {
  return { op: 'distinctOn', input, key, order, columns: input.columns, tableType: 'general' };
}

export function topKNode(input: LogicalPlan, order: SortKey[], limit: Expr | null, offset: Expr | null, partition: Expr[] = []): LogicalPlan {
  return { op: 'topk', input, order, limit, offset, partition, columns: input.columns, tableType: 'general' };
}

export function setOpNode(kind: SetOpKind, all: boolean, left: LogicalPlan, right: LogicalPlan, columns: PlanColumn[]): LogicalPlan {
  let tableType: TableType = 'general';
  if (kind === 'union' && all) {
    const l = left.tableType;
    const r = right.tableType;
    if (l === r && (l === 'append' || l === 'stream')) tableType = l;
  }
  return { op: 'setop', kind, all, left, right, columns, tableType };
}

export function windowNode(input: LogicalPlan, partition: Expr[], order: SortKey[], functions: WindowFnCall[]): LogicalPlan {
  const columns = [...input.columns, ...functions.map((f) => ({ name: f.fn === 'aggregate' ? f.aggregate!.name : f.fn, type: f.type, typmod: -1 }))];
  // A new row retracts others' values; over a stream the rows still leave in the next cycle.
  return { op: 'window', input, partition, order, functions, columns, tableType: 'general' };
}

/** Every expression a window call evaluates over the window's input row. */
export function windowCallExprs(f: WindowFnCall): Expr[] {
  const a = f.aggregate;
  const bounds = [f.frame.start, f.frame.end].flatMap((b) => [b.offset, b.value]);
  return [
    ...f.args,
    ...(f.count ? [f.count] : []),
    ...(a ? [...a.args, ...(a.filter ? [a.filter] : [])] : []),
    ...(bounds.filter((e) => e !== null) as Expr[]),
    ...(f.frame.rangeValue ? [f.frame.rangeValue] : []),
  ];
}

/** The plan's direct inputs. */
export function planInputs(p: LogicalPlan): LogicalPlan[] {
  switch (p.op) {
    case 'get':
    case 'values':
    case 'workingTable':
      return [];
    case 'recursive':
      return [p.base, p.body];
    case 'join':
    case 'semijoin':
    case 'setop':
      return [p.left, p.right];
    default:
      return [p.input];
  }
}

/** The node with each of its inputs replaced by f(input). */
export function mapInputs(p: LogicalPlan, f: (input: LogicalPlan) => LogicalPlan): LogicalPlan {
  switch (p.op) {
    case 'get':
    case 'values':
    case 'workingTable':
      return p;
    case 'recursive':
      return { ...p, base: f(p.base), body: f(p.body) };
    case 'join':
    case 'semijoin':
    case 'setop':
      return { ...p, left: f(p.left), right: f(p.right) };
    default:
      return { ...p, input: f(p.input) };
  }
}

/** Every expression a node evaluates (not its inputs'). */
export function nodeExprs(p: LogicalPlan): Expr[] {
  const keys = (order: SortKey[]) => order.map((k) => k.expr);
  switch (p.op) {
    case 'get':
      return p.lookup?.key ?? [];
    case 'values':
      return p.rows.flat();
    case 'srf':
      return p.calls.flatMap((c) => c.args);
    case 'filter':
      return [p.predicate];
    case 'temporal':
      return p.bounds.map((b) => b.at);
    case 'project':
      return p.exprs;
    case 'join':
    case 'semijoin':
      return [...p.leftKey, ...p.rightKey, ...(p.residual ? [p.residual] : [])];
    case 'aggregate':
      return [...p.groupKey, ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...keys(a.orderBy)])];
    case 'distinct':
    case 'setop':
    case 'recursive':
    case 'workingTable':
      return [];
    case 'distinctOn':
      return [...p.key, ...keys(p.order)];
    case 'topk':
      return [...keys(p.order), ...p.partition, ...(p.limit ? [p.limit] : []), ...(p.offset ? [p.offset] : [])];
    case 'window':
      return [...p.partition, ...keys(p.order), ...p.functions.flatMap(windowCallExprs)];
  }
}
