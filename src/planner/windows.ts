/**
 * Window functions in the logical plan: the calls of a SELECT that share a PARTITION BY and an
 * ORDER BY become one window node (the engine's WindowOp), which widens each row by their
 * values; calls over different windows stack window nodes. Every call's value is then a column
 * of the widened row.
 */
import type { Expr } from './expr-ir.js';
import { column, exprEquals } from './expr-utils.js';
import { windowNode, type LogicalPlan, type SortKey, type WindowBound, type WindowFnCall } from './logical.js';

/** A window function call as the binder found it: its window and the call. */
export interface WindowCall {
  partition: Expr[];
  order: SortKey[];
  call: WindowFnCall;
}

const sameOrder = (a: SortKey[], b: SortKey[]) =>
  a.length === b.length && a.every((k, i) => k.desc === b[i]!.desc && k.nullsFirst === b[i]!.nullsFirst && exprEquals(k.expr, b[i]!.expr));
const sameExprs = (a: Expr[], b: Expr[]) => a.length === b.length && a.every((e, i) => exprEquals(e, b[i]!));

/**
 * Widens `input` with the calls' values; returns the widened plan and each call's value as an
 * expression over it. The calls' expressions are over `input`'s row, which every window node
 * passes through unchanged, so stacked nodes read them at the same indexes.
 */
export function planWindows(input: LogicalPlan, calls: WindowCall[]): { plan: LogicalPlan; values: Expr[] } {
  const windows: { partition: Expr[]; order: SortKey[]; members: number[] }[] = [];
  calls.forEach((c, i) => {
    const w = windows.find((x) => sameExprs(x.partition, c.partition) && sameOrder(x.order, c.order));
    if (w) w.members.push(i);
    else windows.push({ partition: c.partition, order: c.order, members: [i] });
  });
  let plan = input;
  const values: Expr[] = new Array(calls.length);
  for (const w of windows) {
    const base = plan.columns.length;
    plan = windowNode(plan, w.partition, w.order, w.members.map((i) => calls[i]!.call));
    w.members.forEach((i, k) => (values[i] = column(base + k, calls[i]!.call.type)));
  }
  return { plan, values };
}

/** The call with every expression it holds passed through `f` (onto the grouped row, say). */
export function mapWindowCall(w: WindowCall, f: (e: Expr) => Expr): WindowCall {
  const c = w.call;
  const bound = (b: WindowBound): WindowBound => ({ ...b, offset: b.offset && f(b.offset), value: b.value && f(b.value) });
  const a = c.aggregate;
  return {
    partition: w.partition.map(f),
    order: w.order.map((k) => ({ ...k, expr: f(k.expr) })),
    call: {
      ...c,
      args: c.args.map(f),
      count: c.count && f(c.count),
      aggregate: a && { ...a, args: a.args.map(f), filter: a.filter && f(a.filter) },
      frame: { ...c.frame, start: bound(c.frame.start), end: bound(c.frame.end), rangeValue: c.frame.rangeValue && f(c.frame.rangeValue) },
    },
  };
}
