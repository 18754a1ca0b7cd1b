/**
 * How rows pushed into a dataflow input become that input's change batch in a cycle, per table type:
 * - general: changes pass as pushed (inserts and deletes);
 * - append: additions only;
 * - stream: the rows pushed since the last cycle are added, and the rows added in the previous
 *   cycle are retracted, so the relation holds exactly the latest cycle's rows;
 * - ring n: the last n rows pushed; older ones are retracted as they are evicted, and when more
 *   than n arrive in one cycle only the last n ever appear.
 */
import type { Batch, Change, Row } from './batch.js';
import { BatchBuilder, consolidate, negate } from './batch-builder.js';

export type InputTableKind = 'general' | 'append' | 'stream' | { ring: number };

export interface InputBuffer {
  /** Buffers changes until the next cycle; throws on changes the table type cannot have. */
  push(batch: Batch): void;
  /** True when push buffered something not yet drained. */
  readonly hasBuffered: boolean;
  /** True when the next cycle must run this input even without new pushes (stream retraction). */
  readonly mustRun: boolean;
  /** The input's change for this cycle. */
  drain(): Batch;
}

function onlyAdditions(batch: Batch, what: string): void {
  for (const c of batch) if (c.diff < 0) throw new Error(`cannot remove rows from ${what} input`);
}

class GeneralBuffer implements InputBuffer {
  protected pending: Change[] = [];
  readonly mustRun = false;
  get hasBuffered(): boolean {
    return this.pending.length > 0;
  }
  push(batch: Batch): void {
    for (const c of batch) this.pending.push(c);
  }
  drain(): Batch {
    const out = consolidate(this.pending);
    this.pending = [];
    return out;
  }
}

class AppendBuffer extends GeneralBuffer {
  override push(batch: Batch): void {
    onlyAdditions(batch, 'an append-only');
    super.push(batch);
  }
}

class StreamBuffer implements InputBuffer {
  private pending: Change[] = [];
  private live: Batch = [];
  get hasBuffered(): boolean {
    return this.pending.length > 0;
  }
  get mustRun(): boolean {
    return this.live.length > 0;
  }
  push(batch: Batch): void {
    onlyAdditions(batch, 'a stream');
    for (const c of batch) this.pending.push(c);
  }
  /**
   * Last cycle's rows leave in a cycle of their own, before new ones arrive. In one batch a row
   * arriving again would cancel its own retraction (here, or after a projection downstream), and
   * aggregations over the stream, which ignore removals, would miss the new arrival. The rows
   * still pending keep hasBuffered true, so the next cycle follows at once.
   */
  drain(): Batch {
    if (this.live.length > 0) {
      const out = negate(this.live);
      this.live = [];
      return out;
    }
    const added = consolidate(this.pending);
    this.live = added;
    this.pending = [];
    return added;
  }
}

class RingBuffer implements InputBuffer {
  private pending: Row[] = [];
  /** The kept rows, oldest first: ring[head..] are live. */
  private ring: Row[] = [];
  private head = 0;
  readonly mustRun = false;
  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring size must be a positive integer, got ${capacity}`);
  }
  get hasBuffered(): boolean {
    return this.pending.length > 0;
  }
  push(batch: Batch): void {
    onlyAdditions(batch, 'a ring');
    for (const { row, diff } of batch) for (let i = 0; i < diff; i++) this.pending.push(row);
  }
  drain(): Batch {
    const arrived = this.pending.length > this.capacity ? this.pending.slice(-this.capacity) : this.pending;
    this.pending = [];
    const out = new BatchBuilder();
    for (const row of arrived) {
      this.ring.push(row);
      out.add(row, 1);
    }
    while (this.ring.length - this.head > this.capacity) out.add(this.ring[this.head++], -1);
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
    return out.finish();
  }
}

/** Fixed contents, emitted once in the first cycle (VALUES, snapshots for one-shot queries). */
export class ConstantBuffer implements InputBuffer {
  readonly mustRun = false;
  private pending: Batch | null;
  /** `contents` must already be consolidated (Arrangement.snapshot is). */
  constructor(contents: Batch) {
    this.pending = contents;
  }
  get hasBuffered(): boolean {
    return this.pending !== null && this.pending.length > 0;
  }
  push(): void {
    throw new Error('a constant relation cannot change');
  }
  drain(): Batch {
    const out = this.pending ?? [];
    this.pending = null;
    return out;
  }
}

export function createInputBuffer(kind: InputTableKind): InputBuffer {
  if (typeof kind === 'object') return new RingBuffer(kind.ring);
  switch (kind) {
    case 'general':
      return new GeneralBuffer();
    case 'append':
      return new AppendBuffer();
    case 'stream':
      return new StreamBuffer();
  }
}
