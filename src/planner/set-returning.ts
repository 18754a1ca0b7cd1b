/**
 * Set-returning functions as rows: the srf node's per-row expansion (lower.ts), and the
 * select list's calls (SELECT unnest(a) ...) taken out of their expressions into one srf node
 * whose calls run side by side, as PostgreSQL's ProjectSet does.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../engine/batch.js';
import type { RowFn } from '../engine/operator.js';
import { T, type Value } from '../types/types.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { compileExpr } from './compile-expr.js';
import { column, exprEquals, transformExpr } from './expr-utils.js';
import { srfNode, type LogicalPlan, type PlanColumn, type SrfCall } from './logical.js';

/** The function of an srf node: an input row to its output rows. */
export function expandRow(calls: SrfCall[], ordinality: boolean, outer: boolean, env: EvalEnv): RowFn<Row[]> {
  const compiled = calls.map((c) => ({ args: c.args.map((a) => compileExpr(a)), output: c.output, width: c.output.columns.length }));
  const padding = compiled.map((c) => Array<Value>(c.width).fill(null));
  return (row) => {
    const results = compiled.map((c) => {
      const args = c.args.map((f) => f(row, env));
      // a strict set-returning function of a NULL argument gives no rows
      return c.output.strict !== false && args.some((a) => a === null) ? [] : c.output.rows(args, env);
    });
    const n = Math.max(0, ...results.map((r) => r.length));
    const out: Row[] = [];
    for (let i = 0; i < n; i++) {
      const next: Value[] = row.slice();
      results.forEach((r, j) => next.push(...(r[i] ?? padding[j]!)));
      if (ordinality) next.push(BigInt(i + 1));
      out.push(next);
    }
    if (n === 0 && outer) out.push([...row, ...padding.flat(), ...(ordinality ? [null] : [])]);
    return out;
  };
}

const isSetReturning = (e: Expr): e is Extract<Expr, { kind: 'call' }> => e.kind === 'call' && e.setReturning !== undefined;

function containsSetReturning(e: Expr): boolean {
  let found = false;
  transformExpr(e, (x) => {
    if (isSetReturning(x)) found = true;
    return undefined;
  });
  return found;
}

/** Whether any of the expressions calls a set-returning function. */
export function anySetReturning(exprs: Expr[]): boolean {
  return exprs.some(containsSetReturning);
}

/** Nodes whose arguments PostgreSQL evaluates lazily: a set-returning call may not hide in them. */
const CONDITIONAL: Record<string, string> = { case: 'CASE', coalesce: 'COALESCE' };

/**
 * The select list's set-returning calls become one srf node over `plan`; each expression gets
 * the call's column instead. One-column functions only (a record result is not supported).
 */
export function expandSelectList(plan: LogicalPlan, exprs: Expr[]): { plan: LogicalPlan; exprs: Expr[]; rewrite: (e: Expr) => Expr } {
  const calls: SrfCall[] = [];
  const columns: PlanColumn[] = [];
  const width = plan.columns.length;
  const replace = (e: Expr): Expr =>
    transformExpr(e, (x) => {
      if (CONDITIONAL[x.kind] && containsSetReturning(x)) {
        throw new SqlError(SQLSTATE.featureNotSupported, `set-returning functions are not allowed in ${CONDITIONAL[x.kind]}`);
      }
      if (!isSetReturning(x)) return undefined;
      if (x.args.some(containsSetReturning)) throw new SqlError(SQLSTATE.featureNotSupported, 'set-returning functions as arguments of set-returning functions are not supported');
      if (x.setReturning!.columns.length !== 1) {
        throw new SqlError(SQLSTATE.featureNotSupported, `${x.name} in the select list (a record result) is not supported; call it in FROM`);
      }
      calls.push({ name: x.name, args: x.args, output: x.setReturning! });
      columns.push({ name: x.name, type: x.type, typmod: -1 });
      return column(width + calls.length - 1, x.type);
    });
  const replaced = exprs.map(replace);
  const originals = exprs.flatMap((e) => collect(e));
  // ORDER BY / DISTINCT ON naming an output column that holds a call: the same call's column
  const rewrite = (e: Expr): Expr =>
    transformExpr(e, (x) => {
      if (!isSetReturning(x)) return undefined;
      const i = originals.findIndex((o) => exprEquals(o, x));
      if (i < 0) throw new SqlError(SQLSTATE.featureNotSupported, `set-returning function ${x.name} outside the select list is not supported`);
      return column(width + i, x.type);
    });
  return { plan: calls.length === 0 ? plan : srfNode(plan, calls, false, false, columns), exprs: replaced, rewrite };
}

/** The set-returning calls of an expression, outermost first, in the order expandSelectList numbers them. */
function collect(e: Expr): Expr[] {
  const found: Expr[] = [];
  transformExpr(e, (x) => {
    if (!isSetReturning(x)) return undefined;
    found.push(x);
    return x;
  });
  return found;
}

/** The ordinality column of WITH ORDINALITY. */
export const ORDINALITY: PlanColumn = { name: 'ordinality', type: T.int8, typmod: -1 };
