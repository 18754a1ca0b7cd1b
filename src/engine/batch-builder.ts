/**
 * Building consolidated batches: changes to the same row (under SQL equality) are summed and
 * zero sums dropped, keeping the order in which rows first appeared (arrival order matters to
 * DISTINCT ON, first() and last() downstream).
 */
import type { Batch, Change, Row } from './batch.js';
import { identityKey } from '../types/compare.js';
import { interruptPoint } from './interrupt.js';

/** A change being summed; handed out as the Change itself once finished (no copy). */
interface Slot {
  readonly row: Row;
  diff: number;
  readonly key: string;
}

/** The change's row key, computed only when the producer did not attach it. */
export function changeKey(c: Change): string {
  return c.key ?? identityKey(c.row);
}

export class BatchBuilder {
  private readonly slots = new Map<string, Slot>();

  /** Adds diff copies of row (negative to remove). */
  add(row: Row, diff: number): void {
    if (diff === 0) return;
    this.addKeyed(identityKey(row), row, diff);
  }

  /** As add, when the caller already has the row's key. */
  addKeyed(key: string, row: Row, diff: number): void {
    interruptPoint();
    const slot = this.slots.get(key);
    if (slot === undefined) this.slots.set(key, { row, diff, key });
    else slot.diff += diff;
  }

  get size(): number {
    return this.slots.size;
  }

  /** The consolidated batch; the builder is empty afterwards. */
  finish(): Batch {
    const out: Change[] = [];
    for (const slot of this.slots.values()) if (slot.diff !== 0) out.push(slot);
    this.slots.clear();
    return out;
  }
}

/** Consolidates any batch (or several): the sum of their changes, one change per distinct row. */
export function consolidate(...batches: Batch[]): Batch {
  if (batches.length === 1 && batches[0].length <= 1) return batches[0].filter((c) => c.diff !== 0);
  const b = new BatchBuilder();
  for (const batch of batches) for (const c of batch) b.addKeyed(changeKey(c), c.row, c.diff);
  return b.finish();
}

/** The batch with every diff negated. */
export function negate(batch: Batch): Batch {
  return batch.map((c) => (c.key === undefined ? { row: c.row, diff: -c.diff } : { row: c.row, diff: -c.diff, key: c.key }));
}
