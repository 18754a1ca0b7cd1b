/**
 * Index joins for ad-hoc reads: an equi-join one side of which is a relation (or a filter over
 * one) with an index whose every column a join key gives a value looks that side's rows up, once
 * per row of the other side, instead of reading and hashing the whole relation — PostgreSQL's
 * nested loop over an index scan. `orders o JOIN customers c ON c.id = o.cust_id WHERE o.id = 5`
 * probes customers' index once instead of hashing every customer.
 *
 * The probed side must be one whose rows the join may drop: either side of an inner join, the
 * right of a LEFT JOIN, the left of a RIGHT JOIN (a FULL JOIN keeps both). When both sides could
 * be probed, the other side (the one read whole) is the smaller. Probing costs one lookup per
 * outer row and never touches the rest of the indexed relation, so it beats hashing both sides
 * whatever their sizes.
 *
 * Keys must compare as the index groups them (rowKey within one type): the indexed column itself,
 * a varchar column read as text, or an integer column widened (int4 joined as int8 or numeric),
 * which equals a value exactly when the value, narrowed back, equals it (see lower-index-join.ts).
 * Anything else (a cast to text, an expression) leaves the hash join.
 *
 * Maintained relations never probe: their join follows every change of both sides.
 */
import type { Expr } from './expr-ir.js';
import type { SqlType } from '../types/types.js';
import { keyColumn } from './index-lookups.js';
import { droppableSides, mapInputs, type IndexProbe, type LogicalPlan } from './logical.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;
type Get = Extract<LogicalPlan, { op: 'get' }>;

/** Integer types compared in a wider type: equal there exactly when equal in their own. */
const WIDENINGS: Readonly<Record<string, readonly string[]>> = { int2: ['int4', 'int8', 'numeric'], int4: ['int8', 'numeric'], int8: ['numeric'] };

/** The plan with every join an index can serve turned into an index join. */
export function useIndexJoins(plan: LogicalPlan): LogicalPlan {
  // A recursive term's operators are rebuilt per iteration over slots; its joins keep hashing.
  if (plan.op === 'recursive') return plan;
  const p = mapInputs(plan, useIndexJoins);
  if (p.op !== 'join' || p.leftKey.length === 0) return p;
  let best: { probe: IndexProbe; outerRows: number } | null = null;
  for (const side of droppableSides(p.kind)) {
    const probe = chooseProbe(p, side);
    if (probe === null) continue;
    const outerRows = estimateRows(side === 'left' ? p.right : p.left);
    if (best === null || outerRows < best.outerRows) best = { probe, outerRows };
  }
  return best === null ? p : { ...p, probe: best.probe };
}

/** The relation read a probe replaces: a whole read, or a filter over one (applied to each match). */
export function probedRead(plan: LogicalPlan): Get | null {
  const get = plan.op === 'filter' ? plan.input : plan;
  return get.op === 'get' && get.lookup === null ? get : null;
}

/** The index of `side` whose columns the join keys cover, the one with most columns first. */
function chooseProbe(join: Join, side: 'left' | 'right'): IndexProbe | null {
  const get = probedRead(side === 'left' ? join.left : join.right);
  if (get === null || get.indexes.length === 0) return null;
  const parts = (side === 'left' ? join.leftKey : join.rightKey).map((k) => keyPart(k, get.columns.length));
  let best: IndexProbe | null = null;
  for (const index of get.indexes) {
    const keys = index.columns.map((c) => parts.findIndex((part) => part !== null && part.column === c));
    if (keys.some((k) => k < 0)) continue;
    if (best === null || index.columns.length > best.index.columns.length) {
      best = { side, index, keys, narrow: keys.map((k) => parts[k]!.narrow) };
    }
  }
  return best;
}

/** The column a join key reads, and its own type when the key widens it; null for anything else. */
function keyPart(e: Expr, width: number): { column: number; narrow: SqlType | null } | null {
  const column = keyColumn(e);
  if (column !== null) return column < width ? { column, narrow: null } : null;
  if (e.kind === 'cast' && e.typmod < 0 && e.arg.kind === 'column' && e.arg.index < width && WIDENINGS[e.arg.type.typname]?.includes(e.type.typname)) {
    return { column: e.arg.index, narrow: e.arg.type };
  }
  return null;
}

/** Rows a side reads, as far as the planner knows: a lookup is one key, an unknown shape is many. */
function estimateRows(plan: LogicalPlan): number {
  if (plan.op === 'values') return plan.rows.length;
  const get = plan.op === 'filter' ? plan.input : plan;
  if (get.op !== 'get') return Infinity;
  if (get.lookup !== null) return 1;
  return get.indexes[0]?.size() ?? Infinity;
}
