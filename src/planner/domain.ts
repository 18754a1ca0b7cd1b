/**
 * The domain of a query level: the distinct values of the columns its names reach. A correlated
 * subquery or a LATERAL subquery is planned over it (joined into its FROM), so outer references
 * become plain columns; its rows then find their outer rows again by a NULL-safe key of those
 * values.
 */
import type { Expr } from './expr-ir.js';
import { T } from '../types/types.js';
import { rowKey } from '../types/compare.js';
import { column, remapColumns } from './expr-utils.js';
import { distinctNode, projectNode, type LogicalPlan } from './logical.js';
import type { ScopeEntry } from './scope.js';

export interface DomainOf {
  /** The distinct values, and the outer names at their positions. */
  plan: LogicalPlan;
  entries: ScopeEntry[];
  /** The number of domain columns (they lead the subquery's row). */
  width: number;
  /** The key of a row's domain values, over the subquery's row. */
  key: Expr;
  /** The same key over the outer row. */
  outerKey: Expr;
  /** Moves an expression over domain columns onto the outer row. */
  toOuter(e: Expr): Expr;
}

/** A NULL-safe single join key for a tuple: equal tuples (NULLs included) give equal text. */
export function tupleKey(args: Expr[]): Expr {
  return { kind: 'call', name: 'row_key', args, type: T.text, strict: false, volatile: false, impl: (values) => rowKey(values) };
}

/** The domain of `plan`'s columns that `named` (scope entries over its row) reach. */
export function domainOf(plan: LogicalPlan, named: ScopeEntry[]): DomainOf {
  const width = plan.columns.length;
  const cols = [...new Set(named.flatMap((e) => e.columns.map((c) => c.index)))].filter((i) => i < width).sort((a, b) => a - b);
  const refs = cols.map((i) => column(i, plan.columns[i]!.type));
  return {
    plan: distinctNode(projectNode(plan, refs, cols.map((i) => plan.columns[i]!))),
    entries: named.map((e) => ({
      alias: e.alias,
      columns: e.columns.filter((c) => c.index < width).map((c) => ({ ...c, index: cols.indexOf(c.index) })),
    })),
    width: cols.length,
    key: tupleKey(refs.map((r, i) => column(i, r.type))),
    outerKey: tupleKey(refs),
    toOuter: (e) => remapColumns(e, (i) => cols[i]!),
  };
}
