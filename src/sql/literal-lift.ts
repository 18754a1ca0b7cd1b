/**
 * Turns the literals of a parsed query that stand for data values into parameters ($1, $2 ...),
 * so that one plan serves every text that differs from it only in those values (the simple
 * protocol's inlined values: src/sql/statement-cache.ts).
 *
 * Only literals whose meaning a parameter of the literal's own type keeps are lifted: an operand
 * of a comparison or of + - * whose other operand is not a literal too, an IN list's items, the
 * value of UPDATE's SET and of INSERT's VALUES. Elsewhere a literal can be a column position
 * (ORDER BY 1), name a result column (SELECT 1), or be needed as a constant by the planner
 * (frame offsets, type modifiers), so it stays, and a text with another value there is another
 * statement.
 */
import { walkAst } from './ast-walk.js';
import type { ScannedLiteral } from './literal-scan.js';

const LIFTED_OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*']);

export interface LiftedQuery {
  /** A copy of the statement's tree with ParamRef nodes where the lifted literals were. */
  ast: Record<string, any>;
  /** For each parameter, in order, the index of the scanned literal it replaces. */
  literalIndexes: number[];
}

/**
 * Lifts the literals of `ast` (a statement at `offset` in the scanned text) that were scanned as
 * `literals`; null when none can be lifted.
 */
export function liftLiterals(ast: Record<string, any>, offset: number, literals: ScannedLiteral[]): LiftedQuery | null {
  const byStart = new Map(literals.map((l, i) => [l.start, i]));
  const copy = structuredClone(ast);
  const literalIndexes: number[] = [];
  const lift = (node: any): any => {
    const location = node?.A_Const?.location;
    const index = location === undefined || node.A_Const.isnull ? undefined : byStart.get(offset + location);
    if (index === undefined) return node;
    literalIndexes.push(index);
    return { ParamRef: { number: literalIndexes.length, location } };
  };
  walkAst(copy, (kind, node) => {
    if (kind === 'A_Expr') {
      const operator = node.name?.at(-1)?.String?.sval;
      if (node.kind === 'AEXPR_OP' && LIFTED_OPERATORS.has(operator) && node.lexpr && node.rexpr && !(node.lexpr.A_Const && node.rexpr.A_Const)) {
        node.lexpr = lift(node.lexpr);
        node.rexpr = lift(node.rexpr);
      } else if (node.kind === 'AEXPR_IN' && !node.lexpr?.A_Const && Array.isArray(node.rexpr?.List?.items)) {
        node.rexpr.List.items = node.rexpr.List.items.map(lift);
      }
    } else if (kind === 'UpdateStmt') {
      for (const target of node.targetList ?? []) if (target.ResTarget?.val) target.ResTarget.val = lift(target.ResTarget.val);
    } else if (kind === 'InsertStmt') {
      for (const row of node.selectStmt?.SelectStmt?.valuesLists ?? []) {
        if (Array.isArray(row.List?.items)) row.List.items = row.List.items.map(lift);
      }
    }
  });
  return literalIndexes.length > 0 ? { ast: copy, literalIndexes } : null;
}
