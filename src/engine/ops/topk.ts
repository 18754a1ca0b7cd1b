/**
 * ORDER BY ... LIMIT / OFFSET maintained incrementally (top-K), optionally per group (for
 * per-partition limits). Each group keeps its rows sorted; after a cycle the window
 * [offset, offset + limit) of every touched group is recomputed and the difference to the
 * window last emitted goes out.
 *
 * Rows that compare equal under the ORDER BY are ordered by their rowKey, so which of several
 * tied rows is inside the window is deterministic from the set of rows, not from arrival order.
 * Over an append input, rows that fall behind offset + limit can never come back and are dropped.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { InputKind, Operator, RowFn } from '../operator.js';
import { rowKey } from '../../types/compare.js';
import type { Value } from '../../types/types.js';
import { SortedArray } from '../ordered.js';

export interface TopKSpec {
  compare: (a: Row, b: Row) => number;
  /** null: no LIMIT. */
  limit: number | null;
  offset: number;
  /** Per-group top-K; absent for a single ORDER BY over everything. */
  groupKey?: RowFn<Value[]>;
  /** Defaults to 'general'. */
  input?: InputKind;
}

interface Ranked {
  readonly row: Row;
  readonly key: string;
  count: number;
}

interface GroupState {
  readonly sorted: SortedArray<Ranked>;
  /** Rows in `sorted`, counting multiplicities. */
  total: number;
  /** The window last emitted: rowKey → row and copies. */
  window: Map<string, { row: Row; count: number }>;
}

export class TopKOp implements Operator {
  readonly arity = 1;
  private readonly groups = new Map<string, GroupState>();
  private readonly order: (a: Ranked, b: Ranked) => number;

  private readonly append: boolean;
  /** offset + limit: rows ranked at or past it are outside the window. */
  private readonly end: number;

  constructor(private readonly spec: TopKSpec) {
    this.append = spec.input === 'append';
    this.end = spec.limit === null ? Infinity : spec.offset + spec.limit;
    const compare = spec.compare;
    this.order = (a, b) => compare(a.row, b.row) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }

  describe(): string {
    const limit = this.spec.limit === null ? 'ALL' : String(this.spec.limit);
    return `TopK limit ${limit} offset ${this.spec.offset}${this.spec.groupKey ? ' per group' : ''}`;
  }

  step([input]: Batch[]): Batch {
    const touched = new Map<string, GroupState>();
    for (const c of input) {
      const { row, diff } = c;
      if (diff < 0 && this.spec.input === 'append') throw new Error('top-K over an append-only input received a retraction');
      const gk = this.spec.groupKey ? rowKey(this.spec.groupKey(row)) : '';
      let group = this.groups.get(gk);
      if (group === undefined) {
        group = { sorted: new SortedArray(this.order), total: 0, window: new Map() };
        this.groups.set(gk, group);
      }
      touched.set(gk, group);
      const probe: Ranked = { row, key: changeKey(c), count: diff };
      if (this.append && this.beyondReach(group, probe)) continue;
      group.total += diff;
      const slot = group.sorted.find(probe);
      if (slot === undefined) group.sorted.insert(probe);
      else if ((slot.count += diff) === 0) group.sorted.remove(slot);
      // Keep an append-only group near its window even within one big batch (hydration).
      if (this.append && group.sorted.size > 2 * this.end + 64) this.trim(group);
    }
    const out = new BatchBuilder();
    for (const [gk, group] of touched) {
      const next = this.window(group);
      for (const [k, prev] of group.window) {
        const now = next.get(k)?.count ?? 0;
        if (now !== prev.count) out.addKeyed(k, prev.row, now - prev.count);
      }
      for (const [k, cur] of next) if (!group.window.has(k)) out.addKeyed(k, cur.row, cur.count);
      group.window = next;
      if (this.append) this.trim(group);
      if (group.sorted.size === 0) this.groups.delete(gk);
    }
    return out.finish();
  }

  /** The rows at positions [offset, offset + limit) of the group, counting multiplicities. */
  private window(group: GroupState): Map<string, { row: Row; count: number }> {
    const start = this.spec.offset;
    const end = this.end;
    const win = new Map<string, { row: Row; count: number }>();
    let pos = 0;
    for (const r of group.sorted) {
      if (pos >= end) break;
      const from = Math.max(pos, start);
      const to = Math.min(pos + r.count, end);
      if (to > from) win.set(r.key, { row: r.row, count: to - from });
      pos += r.count;
    }
    return win;
  }

  /** Drops rows past offset + limit, which an append-only input can never bring back into the window. */
  private trim(group: GroupState): void {
    if (this.end === Infinity) return;
    let pos = 0;
    let kept = 0;
    for (const r of group.sorted) {
      kept++;
      pos += r.count;
      if (pos >= this.end) break;
    }
    group.sorted.truncate(kept);
    group.total = pos;
  }

  /**
   * Over an append input: a row ranked after every kept row lands at position `total`, so once
   * the kept rows reach the window's end it can never enter the window.
   */
  private beyondReach(group: GroupState, probe: Ranked): boolean {
    if (group.total < this.end) return false;
    const last = group.sorted.last();
    return last !== undefined && this.order(probe, last) > 0;
  }


}
