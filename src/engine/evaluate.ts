/**
 * One-shot evaluation for ad-hoc SELECT: the planner lowers the query with the same operators it
 * uses for views, over constant nodes holding snapshots of the relations read (flow.constant(arr)),
 * and one cycle computes the result. Ad-hoc results therefore equal what a view would hold.
 */
import type { Row } from './batch.js';
import { Dataflow, type Node } from './dataflow.js';
import { interruptible } from './interrupt.js';

/**
 * Builds a throwaway dataflow with `build`, runs one cycle at `now` (ms since the epoch) and
 * returns the result rows (multiplicities expanded, in no particular order: the caller sorts for
 * ORDER BY). An error raised while computing (e.g. a SqlError for division by zero) is thrown.
 * `interrupt`, when given, is called every few thousand rows built or produced and may throw to
 * abandon the evaluation (statement_timeout: src/engine/interrupt.ts).
 */
export function evaluateOnce(build: (flow: Dataflow) => Node, now: number = Date.now(), interrupt?: () => void): Row[] {
  return interruptible(interrupt, () => {
    const flow = new Dataflow();
    const result = flow.materialize(build(flow));
    flow.runCycle(now);
    if (result.error) throw result.error;
    return result.rows();
  });
}
