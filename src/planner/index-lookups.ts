/**
 * Point lookups for ad-hoc reads: a relation read under a filter whose conjuncts give every key
 * column of one of its indexes a value (`col = 1`, `col = $1`, `'x' = col`) reads only the rows
 * the index holds for that key instead of the whole relation. The filter stays above the lookup
 * as it was, so the result is the filter's over fewer rows: the same rows as without the index.
 *
 * Only `column = expression` with both sides of one type counts (a varchar column read as text too): the index groups keys by SQL
 * equality within a type (rowKey), and a key computed in another type (int4 column, int8 value)
 * could spell the same number differently. The expression must read no column and be stable
 * (constants, parameters, their casts and immutable calls): it is evaluated once per execution.
 *
 * Maintained relations (views, subscriptions, sinks) never get lookups: they follow every change
 * of the relation, not one key's rows at one moment.
 */
import type { Expr } from './expr-ir.js';
import { T } from '../types/types.js';
import { columnsUsed, equalityOperands, isVolatile, splitConjuncts } from './expr-utils.js';
import { mapInputs, type IndexLookup, type LogicalPlan } from './logical.js';

/** The plan with every filtered relation read that an index can serve turned into a lookup. */
export function useIndexes(plan: LogicalPlan): LogicalPlan {
  if (plan.op === 'filter' && plan.input.op === 'get' && plan.input.lookup === null) {
    const lookup = chooseLookup(plan.input, splitConjuncts(plan.predicate));
    if (lookup) return { ...plan, input: { ...plan.input, lookup } };
  }
  return mapInputs(plan, useIndexes);
}

/** The index whose key columns the conjuncts fix, the one with most columns first. */
function chooseLookup(get: Extract<LogicalPlan, { op: 'get' }>, conjuncts: Expr[]): IndexLookup | null {
  if (get.indexes.length === 0) return null;
  const fixed = new Map<number, Expr>();
  for (const c of conjuncts) {
    const operands = equalityOperands(c);
    if (!operands) continue;
    for (const [side, value] of [operands, [operands[1], operands[0]]] as const) {
      const column = keyColumn(side);
      if (column !== null && column < get.columns.length && side.type.oid === value.type.oid && isKeyValue(value) && !fixed.has(column)) {
        fixed.set(column, value);
      }
    }
  }
  const usable = get.indexes.filter((i) => i.columns.every((c) => fixed.has(c)));
  if (usable.length === 0) return null;
  const index = usable.reduce((best, i) => (i.columns.length > best.columns.length ? i : best));
  return { index, key: index.columns.map((c) => fixed.get(c)!) };
}

/**
 * The column an equality side reads as it is: the column itself, or a varchar column as text
 * (`v = 'x'` binds as v::text = 'x'; the value and its equality are the same).
 */
export function keyColumn(e: Expr): number | null {
  if (e.kind === 'column') return e.index;
  if (e.kind === 'cast' && e.type.oid === T.text.oid && e.arg.kind === 'column' && e.arg.type.oid === T.varchar.oid) return e.arg.index;
  return null;
}

/** An expression evaluated once per execution: no column (of this row or an outer one), nothing volatile. */
function isKeyValue(e: Expr): boolean {
  return columnsUsed(e).size === 0 && !isVolatile(e);
}
