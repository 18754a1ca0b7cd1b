/**
 * The engine's one currency: a change batch is a list of rows with signed multiplicities
 * (+1 added, -1 removed, +n/-n for n copies). Rows are arrays of Values in column order.
 */
import type { Value } from '../types/types.js';

export type Row = Value[];

export interface Change {
  readonly row: Row;
  readonly diff: number;
}

export type Batch = Change[];
