/**
 * Ad-hoc reads that look a key up in an index and then only filter and project its rows (a
 * point read: `SELECT abalance FROM pgbench_accounts WHERE aid = $1`) are computed directly,
 * without the throwaway dataflow of evaluateOnce: building and running one cost about as much as
 * the rest of such a read. The rows and their errors are the same: the dataflow's filter and map
 * operators would apply the same compiled expressions to the same rows.
 */
import type { Row } from '../engine/batch.js';
import type { Node } from '../engine/dataflow.js';
import type { EvalEnv } from './expr-ir.js';
import { compileExpr } from './compile-expr.js';
import type { LogicalPlan } from './logical.js';

/** Computes the read's rows, or null when the index is gone (read the relation the usual way). */
export type DirectRead = (env: EvalEnv) => Row[] | null;

/** A direct read for `plan`, or null when it is not filters and projections over an index lookup. */
export function directRead(plan: LogicalPlan): DirectRead | null {
  const steps: ((rows: Row[], env: EvalEnv) => Row[])[] = [];
  let at = plan;
  for (;;) {
    if (at.op === 'filter') {
      const predicate = compileExpr(at.predicate);
      steps.unshift((rows, env) => rows.filter((row) => predicate(row, env) === true));
    } else if (at.op === 'project') {
      const exprs = at.exprs.map((e) => compileExpr(e));
      steps.unshift((rows, env) => rows.map((row) => exprs.map((f) => f(row, env))));
    } else {
      break;
    }
    at = at.input;
  }
  if (at.op !== 'get' || at.lookup === null) return null;
  const { index } = at.lookup;
  const key = at.lookup.key.map((e) => compileExpr(e));
  const node = at.node as Node;
  return (env) => {
    // A transaction block's own writes first: the index holds only committed rows.
    let rows = env.blockRows?.(node) ?? index.lookup(key.map((k) => k([], env)));
    if (rows === null) return null;
    for (const step of steps) rows = step(rows, env);
    return rows;
  };
}
