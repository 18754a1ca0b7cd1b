/**
 * Window functions with the default frame, as joins and aggregations so they stay incremental:
 * - `agg(...) OVER (PARTITION BY p)`: the aggregate per partition, joined back by a NULL-safe
 *   partition key;
 * - with `ORDER BY o` (the frame from the partition's start to the current row and its peers):
 *   each distinct (p, o) is joined with the rows of its partition that sort at or before it, and
 *   aggregated; `rank()` counts the rows strictly before, `dense_rank()` their distinct keys.
 * Each window widens the row by one column; the rows themselves are unchanged.
 */
import { T, type SqlType, type Value } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { bindOperator } from './bind-expr.js';
import { column, remapColumns } from './expr-utils.js';
import { aggregateNode, distinctNode, joinNode, projectNode, type AggCall, type LogicalPlan, type SortKey } from './logical.js';
import { tupleKey } from './domain.js';
import { compareKey } from './sort.js';

export interface WindowCall {
  kind: 'aggregate' | 'rank' | 'dense_rank';
  /** The aggregate, over the query's row (kind 'aggregate'). */
  call: AggCall | null;
  partition: Expr[];
  order: SortKey[];
  type: SqlType;
}

/**
 * `r` sorts before `d` (strict) or at or before it: a call over the concatenated key values
 * `[...d, ...r]`, each compared under its ORDER BY direction.
 */
function sortsBefore(d: Expr[], r: Expr[], order: SortKey[], orEqual: boolean): Expr {
  return {
    kind: 'call',
    name: orEqual ? 'window_at_or_before' : 'window_before',
    args: [...d, ...r],
    type: T.bool,
    strict: false,
    volatile: false,
    impl: (values: Value[]) => {
      const n = order.length;
      for (let i = 0; i < n; i++) {
        const c = compareKey(values[n + i]!, values[i]!, order[i]!.desc, order[i]!.nullsFirst);
        if (c !== 0) return c < 0;
      }
      return orEqual;
    },
  };
}

const columnsOf = (exprs: Expr[], name: string) => exprs.map((e, i) => ({ name: `${name}${i}`, type: e.type, typmod: -1 }));

/**
 * Widens `input` with the windows' values, one column each; returns the widened plan and each
 * window's value as an expression over it.
 */
export function planWindows(input: LogicalPlan, windows: WindowCall[]): { plan: LogicalPlan; values: Expr[] } {
  let plan = input;
  const values: Expr[] = [];
  for (const w of windows) {
    if (w.order.length === 0 && w.kind !== 'aggregate') {
      // Without ORDER BY every row of a partition is a peer of every other: rank 1.
      values.push({ kind: 'const', value: 1n, type: T.int8 });
      continue;
    }
    const keys = [...w.partition, ...w.order.map((k) => k.expr)];
    let perKey: LogicalPlan;
    if (w.order.length === 0) {
      const agg = aggregateNode(input, w.partition, [w.call!], [...columnsOf(w.partition, 'p'), { name: 'value', type: w.type, typmod: -1 }], 'general');
      perKey = projectNode(agg, [tupleKey(w.partition.map((p, i) => column(i, p.type))), column(w.partition.length, w.type)], [
        { name: 'key', type: T.text, typmod: -1 },
        { name: 'value', type: w.type, typmod: -1 },
      ]);
    } else {
      // Each distinct (partition, order key) with the rows of its partition up to its peers.
      const p = w.partition.length;
      const domain = distinctNode(projectNode(input, keys, columnsOf(keys, 'k')));
      const width = keys.length;
      const onRow = (e: Expr) => remapColumns(e, (i) => i + width);
      const dOrder = w.order.map((k, i) => column(p + i, k.expr.type));
      const rOrder = w.order.map((k) => onRow(k.expr));
      const joined = joinNode(
        'inner',
        domain,
        input,
        [tupleKey(w.partition.map((e, i) => column(i, e.type)))],
        [tupleKey(w.partition)],
        sortsBefore(dOrder, rOrder, w.order, true),
      );
      const before = sortsBefore(dOrder, rOrder, w.order, false);
      const call: AggCall =
        w.kind === 'aggregate'
          ? { ...w.call!, args: w.call!.args.map(onRow), filter: w.call!.filter ? onRow(w.call!.filter) : null, orderBy: w.call!.orderBy.map((k) => ({ ...k, expr: onRow(k.expr) })) }
          : {
              name: 'count',
              args: w.kind === 'dense_rank' ? [tupleKey(rOrder)] : [],
              distinct: w.kind === 'dense_rank',
              filter: before,
              orderBy: [],
              type: T.int8,
            };
      const group = tupleKey(keys.map((k, i) => column(i, k.type)));
      const agg = aggregateNode(joined, [group], [call], [{ name: 'key', type: T.text, typmod: -1 }, { name: 'value', type: call.type, typmod: -1 }], 'general');
      const value = w.kind === 'aggregate' ? column(1, w.type) : bindOperator('+', [column(1, T.int8), { kind: 'const', value: 1n, type: T.int8 }]);
      perKey = projectNode(agg, [column(0, T.text), value], [
        { name: 'key', type: T.text, typmod: -1 },
        { name: 'value', type: w.type, typmod: -1 },
      ]);
    }
    const base = plan.columns.length;
    plan = joinNode('inner', plan, perKey, [tupleKey(w.order.length === 0 ? w.partition : keys)], [column(0, T.text)], null);
    values.push(column(base + 1, w.type));
  }
  return { plan, values };
}
