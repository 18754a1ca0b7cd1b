/**
 * The engine's one currency: a change batch is a list of rows with signed multiplicities
 * (+1 added, -1 removed, +n/-n for n copies). Rows are arrays of Values in column order.
 */
import type { Value } from '../types/types.js';

export type Row = Value[];

export interface Change {
  readonly row: Row;
  readonly diff: number;
  /**
   * The row's identityKey (src/types/compare.ts) when the producer already computed it, so consumers
   * that hash rows (arrangements, joins, DISTINCT) need not serialize the row again. Optional:
   * anyone may build changes without it.
   */
  readonly key?: string;
}

export type Batch = Change[];
