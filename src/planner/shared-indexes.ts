/**
 * Maintained joins reuse indexes, as Materialize's indexes serve its dataflows: a join one side
 * of which reads a relation whole, keyed by exactly the columns of a CREATE INDEX on it, reads that
 * side's rows from the index's arrangement instead of keeping a hash index (a second copy of the
 * relation) of its own. The join still takes the side's changes from the relation; it only stops
 * storing them (ops/join.ts, `shared`).
 *
 * The side must be one the join does not preserve (either side of an inner join, the right of a
 * LEFT JOIN, the left of a RIGHT JOIN), its keys the index's columns themselves (or a varchar
 * column read as text): the index groups rows by rowKey of those values, as the join does.
 */
import { keyColumn } from './index-lookups.js';
import { droppableSides, mapInputs, type LogicalPlan, type SharedSide } from './logical.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

/** The plan with every join that an index can serve reading that side from it. */
export function shareIndexes(plan: LogicalPlan): LogicalPlan {
  // A recursive term's joins are instantiated per iteration, outside the dataflow's nodes.
  if (plan.op === 'recursive') return plan;
  const p = mapInputs(plan, shareIndexes);
  if (p.op !== 'join' || p.leftKey.length === 0) return p;
  for (const side of droppableSides(p.kind)) {
    const share = sharedSide(p, side);
    if (share) return { ...p, share };
  }
  return p;
}

function sharedSide(join: Join, side: 'left' | 'right'): SharedSide | null {
  const get = side === 'left' ? join.left : join.right;
  if (get.op !== 'get' || get.lookup !== null) return null;
  const columns = (side === 'left' ? join.leftKey : join.rightKey).map(keyColumn);
  for (const index of get.indexes) {
    if (!index.share || index.columns.length !== columns.length) continue;
    const keys = index.columns.map((c) => columns.indexOf(c));
    if (keys.every((k) => k >= 0) && new Set(keys).size === keys.length) return { side, index, keys };
  }
  return null;
}
