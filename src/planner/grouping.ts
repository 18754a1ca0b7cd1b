/**
 * Grouping: GROUP BY items (expressions, select-list positions, output names, GROUPING SETS /
 * ROLLUP / CUBE), the aggregation plan for them, and the rewriting of the SELECT list, HAVING
 * and ORDER BY from the FROM row onto the aggregate's output row.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Expr } from './expr-ir.js';
import { OUTER_BASE } from './scope.js';
import { aggregateNode, projectNode, setOpNode, type AggCall, type LogicalPlan, type PlanColumn } from './logical.js';
import { column, columnsUsed, exprEquals, transformExpr } from './expr-utils.js';
import { bareName, exprLocation, positionOf, unsupported } from './parse-nodes.js';
import { AGG_BASE, SUBQUERY_BASE, WINDOW_BASE, type Level, type QueryBinderApi, type Target } from './binder-api.js';

function hasAggregateRef(e: Expr): boolean {
  for (const i of columnsUsed(e)) if (i >= AGG_BASE && i < SUBQUERY_BASE) return true;
  return false;
}

export class GroupByBinder {
  constructor(private readonly binder: QueryBinderApi) {}

  /**
   * GROUP BY: the distinct key expressions, and for GROUPING SETS / ROLLUP / CUBE the sets to
   * aggregate by, as positions in `keys` (null for a plain GROUP BY: one set of all keys).
   */
  bindGroupBy(stmt: any, level: Level, targets: Target[]): { keys: Expr[]; sets: number[][] | null } {
    const keys: Expr[] = [];
    const keyOf = (item: any): number => {
      const e = this.groupKey(item, level, targets);
      const at = keys.findIndex((k) => exprEquals(k, e));
      if (at >= 0) return at;
      keys.push(e);
      return keys.length - 1;
    };
    // A parenthesized list inside ROLLUP / CUBE / GROUPING SETS is one element of several keys.
    const element = (node: any): number[] => (node.RowExpr ? node.RowExpr.args.map(keyOf) : [keyOf(node)]);
    const expand = (gs: any): number[][] => {
      const content: any[] = gs.content ?? [];
      switch (gs.kind) {
        case 'GROUPING_SET_EMPTY':
          return [[]];
        case 'GROUPING_SET_SIMPLE':
          return [content.flatMap(element)];
        case 'GROUPING_SET_ROLLUP': {
          const parts = content.map(element);
          return parts.map((_, n) => parts.slice(0, parts.length - n).flat()).concat([[]]);
        }
        case 'GROUPING_SET_CUBE': {
          const parts = content.map(element);
          return Array.from({ length: 1 << parts.length }, (_, mask) => parts.filter((_, b) => mask & (1 << b)).flat());
        }
        default:
          return content.flatMap((c) => (c.GroupingSet ? expand(c.GroupingSet) : [element(c)]));
      }
    };
    let sets: number[][] = [[]];
    let grouping = false;
    for (const item of stmt.groupClause ?? []) {
      if (item.GroupingSet) grouping = true;
      const itemSets = item.GroupingSet ? expand(item.GroupingSet) : [[keyOf(item)]];
      // Several items combine every set of one with every set of the others.
      sets = sets.flatMap((a) => itemSets.map((b) => [...new Set([...a, ...b])]));
    }
    return { keys, sets: grouping && sets.length > 1 ? sets : null };
  }

  /** One GROUP BY item: a select-list position, an output column name, or an expression. */
  private groupKey(item: any, level: Level, targets: Target[]): Expr {
    let e: Expr;
    const position = positionOf(item);
    if (position !== null) {
      const t = targets[position - 1];
      if (!t) {
        throw new SqlError(SQLSTATE.invalidColumnReference, `GROUP BY position ${position} is not in select list`, { position: exprLocation(item) + 1 });
      }
      e = t.expr;
    } else {
      const name = bareName(item);
      const target = name !== null && !level.scope.resolvesLocally([name]) ? targets.find((t) => t.name === name) : undefined;
      e = target ? target.expr : this.binder.bind(item, level, 'GROUP BY');
    }
    if (hasAggregateRef(e)) {
      throw new SqlError(SQLSTATE.groupingError, 'aggregate functions are not allowed in GROUP BY', { position: exprLocation(item) + 1 });
    }
    return e;
  }

  /**
   * GROUPING SETS: one aggregation per set, each widened to all keys (NULL where the set does
   * not group by a key), added together.
   */
  groupingSets(input: LogicalPlan, keys: Expr[], sets: number[][], aggregates: AggCall[], columns: PlanColumn[]): LogicalPlan {
    const parts = sets.map((set) => {
      const agg = aggregateNode(input, set.map((p) => keys[p]!), aggregates, [...set.map((p) => columns[p]!), ...columns.slice(keys.length)]);
      const widened = keys.map((k, p): Expr => (set.includes(p) ? column(set.indexOf(p), k.type) : { kind: 'const', value: null, type: k.type }));
      return projectNode(agg, [...widened, ...aggregates.map((a, j) => column(set.length + j, a.type))], columns);
    });
    return parts.reduce((acc, part) => setOpNode('union', true, acc, part, columns));
  }

  /**
   * Rewrites an expression bound over the FROM row into the aggregate's output row: GROUP BY
   * expressions become group columns, aggregate calls their result columns; any other column
   * reference is an error (42803), as in PostgreSQL.
   */
  groupedExpr(e: Expr, groupKey: Expr[], level: Level): Expr {
    return transformExpr(e, (x) => {
      const g = groupKey.findIndex((k) => exprEquals(k, x));
      if (g >= 0) return column(g, x.type);
      if (x.kind !== 'column') return undefined;
      if (x.index >= AGG_BASE && x.index < SUBQUERY_BASE) return column(groupKey.length + x.index - AGG_BASE, x.type);
      // Window calls are planned over the grouped rows: their placeholders stay.
      if (x.index >= WINDOW_BASE && x.index < OUTER_BASE) return x;
      if (x.index >= SUBQUERY_BASE && x.index < WINDOW_BASE) {
        return column(groupKey.length + level.aggregates.length + x.index - SUBQUERY_BASE, x.type);
      }
      if (level.subqueryColumns.has(x.index)) throw unsupported('subqueries in the select list of an aggregate query');
      const c = level.scope.columnAt(x.index);
      const alias = level.scope.entries.find((en) => en.columns.includes(c!))?.alias;
      const name = c ? (alias ? `${alias}.${c.name}` : c.name) : `#${x.index}`;
      throw new SqlError(SQLSTATE.groupingError, `column "${name}" must appear in the GROUP BY clause or be used in an aggregate function`);
    });
  }

  /**
   * A global aggregate's result row over no input rows (count is 0, the others NULL), or
   * undefined when a result reads more than its aggregates and the domain values.
   */
  emptyGroupRow(targets: Expr[], level: Level): Expr[] | undefined {
    const row = targets.map((t) =>
      transformExpr(t, (x) => {
        const a = this.binder.aggregateIndex(x);
        if (a === null) return undefined;
        return { kind: 'const', value: level.aggregates[a]!.name === 'count' ? 0n : null, type: x.type };
      }),
    );
    const carried = level.carried ?? 0;
    return row.every((e) => [...columnsUsed(e)].every((i) => i < carried)) ? row : undefined;
  }
}
