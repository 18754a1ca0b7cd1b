/**
 * An arrangement is the current contents of a dataflow node, row → multiplicity: what a
 * materialized view, a table or a source holds between cycles. SELECT reads it; SUBSCRIBE and
 * sinks listen to its per-cycle change batches.
 */
import type { Batch, Change, Row } from './batch.js';
import { identityKey } from '../types/compare.js';
import { changeKey } from './batch-builder.js';
import type { SqlError } from '../errors.js';

/** What a cycle did, as listeners see it. */
export interface CycleInfo {
  /** The cycle's number, 1 for the first. */
  readonly cycle: number;
  /** The cycle's timestamp, milliseconds since the epoch (SUBSCRIBE's _ts). */
  readonly time: number;
  /** The change of every arrangement that changed in this cycle. */
  readonly changes: ReadonlyMap<Arrangement, Batch>;
  /**
   * Arrangements that went into error in this cycle: a permanent failure, or a row error (see
   * Operator.currentError) appearing upstream. SUBSCRIBE and sinks end with the error.
   */
  readonly failed: ReadonlyMap<Arrangement, SqlError>;
}

export type ChangeListener = (batch: Batch, info: CycleInfo) => void;

interface Slot {
  readonly row: Row;
  count: number;
}

/**
 * Keeps a Map's iteration order the order of each row's latest arrival, so a snapshot replays
 * rows as they last arrived: operators hydrated from it (DISTINCT ON's latest row, last())
 * start from the same choice the live ones made.
 */
function moveToEnd(map: Map<string, Slot>, key: string, slot: Slot): void {
  map.delete(key);
  map.set(key, slot);
}

export class Arrangement {
  /**
   * While nothing has been removed, rows are only appended to this log: append-only relations
   * (sources, their filters) then cost no hashing at all. The first removal moves them into `keyed`.
   */
  private log: Row[] | null = [];
  private keyed: Map<string, Slot> | null = null;
  private readonly listeners = new Set<ChangeListener>();
  private total = 0;
  /**
   * Set while the relation is in error: for good when computing it failed, or while a row whose
   * expression raises (division by zero in a view's projection) is present upstream. Reads should
   * raise it.
   */
  error: SqlError | null = null;

  /**
   * `keyed`: start in keyed mode, for a relation that replaces its rows whatever its inputs do (a
   * grouped aggregate's): leaving the log at its first removal would hash every row so far at
   * once, a pause of seconds in one cycle at a million rows, instead of a little at every change.
   */
  constructor(private readonly startKeyed = false) {
    if (startKeyed) this.clear();
  }

  /** Applies a change batch; multiplicities that reach zero disappear. */
  apply(batch: Batch): void {
    const log = this.log;
    if (log !== null) {
      let appendOnly = true;
      for (let i = 0; i < batch.length; i++) if (batch[i].diff < 0) appendOnly = false;
      if (appendOnly) {
        for (const { row, diff } of batch) for (let i = 0; i < diff; i++) log.push(row);
        this.total += batch.reduce((n, c) => n + c.diff, 0);
        return;
      }
    }
    const keyed = this.toKeyed();
    for (const c of batch) {
      const { row, diff } = c;
      const k = changeKey(c);
      const slot = keyed.get(k);
      this.total += diff;
      if (slot === undefined) keyed.set(k, { row, count: diff });
      else if ((slot.count += diff) === 0) keyed.delete(k);
      else if (diff > 0) moveToEnd(keyed, k, slot);
    }
  }

  /** The rows, each repeated by its multiplicity, in no particular order. */
  rows(): Row[] {
    if (this.log !== null) return this.log.slice();
    const out: Row[] = [];
    for (const { row, count } of this.keyed!.values()) for (let i = 0; i < count; i++) out.push(row);
    return out;
  }

  /** Distinct rows with their multiplicities. */
  entries(): IterableIterator<{ readonly row: Row; readonly count: number }> {
    return (this.keyed ?? this.consolidateLog()).values();
  }

  /** The contents as a consolidated batch of additions (the first thing SUBSCRIBE and sinks send). */
  snapshot(): Batch {
    const out: Change[] = [];
    for (const [key, { row, count }] of this.keyed ?? this.consolidateLog()) out.push({ row, diff: count, key });
    return out;
  }

  /**
   * The contents as additions, not consolidated while the arrangement is append-only: one
   * change per row in the order they came, a row that came twice twice, without hashing every
   * row (consolidating a 1M-row log took a sink 2-5 CPU s). For readers that take the snapshot
   * as a multiset of rows (sinks), not SUBSCRIBE, which shows one row per distinct row.
   */
  additions(): Batch {
    if (this.log === null) return this.snapshot();
    const out: Change[] = new Array(this.log.length);
    for (let i = 0; i < this.log.length; i++) out[i] = { row: this.log[i]!, diff: 1 };
    return out;
  }

  /** The number of rows, counting multiplicities. */
  count(): number {
    return this.total;
  }

  /** Multiplicity of one row (0 if absent). */
  multiplicity(row: Row): number {
    return (this.keyed ?? this.consolidateLog()).get(identityKey(row))?.count ?? 0;
  }

  /** Calls listener after every cycle in which this arrangement changed; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For the Dataflow: tells the listeners about a cycle's change. */
  notify(batch: Batch, info: CycleInfo): void {
    for (const l of this.listeners) l(batch, info);
  }

  /** Drops the contents (a failed relation keeps none). */
  clear(): void {
    this.log = this.startKeyed ? null : [];
    this.keyed = this.startKeyed ? new Map() : null;
    this.total = 0;
  }

  /** The contents as row key → slot, leaving append-only mode for good. */
  private toKeyed(): Map<string, Slot> {
    if (this.keyed === null) {
      this.keyed = this.consolidateLog();
      this.log = null;
    }
    return this.keyed;
  }

  /** The append-only log consolidated into a fresh map (the log itself stays). */
  private consolidateLog(): Map<string, Slot> {
    const keyed = new Map<string, Slot>();
    for (const row of this.log!) {
      const k = identityKey(row);
      const slot = keyed.get(k);
      if (slot === undefined) keyed.set(k, { row, count: 1 });
      else {
        slot.count++;
        moveToEnd(keyed, k, slot);
      }
    }
    return keyed;
  }
}
