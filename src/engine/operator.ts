/**
 * What every incremental operator is: a function from one change batch per input to one output
 * batch, keeping only the state its semantics need. The Dataflow calls step once per update cycle
 * (in dependency order) whenever an input changed or the operator has pending work of its own.
 */
import type { Batch, Row } from './batch.js';
import type { Value } from '../types/types.js';
import type { SqlError } from '../errors.js';

/**
 * How rows of a relation behave over time, as the planner tracks it per relation:
 * - 'general': rows are inserted and deleted (negative diffs happen);
 * - 'append': rows are only ever added (operators keep no retraction state);
 * - 'stream': rows live for one cycle; aggregations over a stream ignore the removals
 *   (they accumulate every row they ever saw).
 * A ring(n) relation is 'general' for the operators downstream (evictions are removals).
 */
export type InputKind = 'general' | 'append' | 'stream';

/** What an operator may know about the cycle it runs in. */
export interface StepContext {
  /** The update cycle's timestamp in microseconds since the epoch (now() for temporal filters). */
  readonly time: number;
  /** The cycle's number, 1 for the first. */
  readonly cycle: number;
}

export interface Operator {
  /** How many input batches step expects. */
  readonly arity: number;
  /**
   * Consumes one consolidated batch per input (empty when that input did not change) and returns
   * the consolidated change of its output: no two changes with the same row, no zero diffs.
   */
  step(inputs: Batch[], ctx: StepContext): Batch;
  /** One line for EXPLAIN, e.g. "Filter", "HashJoin left", "Aggregate count,sum". */
  describe(): string;
  /** True when the operator must run in the next cycle even if no input changes (a timer, a queued retraction). */
  hasPendingWork?(ctx: StepContext): boolean;
  /** The earliest time (microseconds since the epoch) at which the operator will have pending work, if any. */
  nextWakeup?(): number | null;
  /**
   * An error some input row currently present raises (division by zero in a projection...). Such
   * rows are left out of the output while present, and the relation reads as this error until
   * they are retracted; null when there is none.
   */
  currentError?(): SqlError | null;
  /** Called when the node is removed from its dataflow: lets go of state it shares (an index). */
  dispose?(): void;
}

/** A compiled expression over one row. */
export type RowFn<T> = (row: Row) => T;

/** A compiled key extractor: a tuple of values, or null when the key contains NULL (it never matches). */
export type KeyFn = (row: Row) => Value[] | null;
