/**
 * Temporal filters: WHERE conditions on now(), such as `ts > now() - INTERVAL '5 minutes'`,
 * re-evaluated as time passes. The planner turns the condition into a validity interval per row,
 * [from, until) in microseconds; a row is in the output while from <= now < until. Rows waiting to
 * appear and rows waiting to expire are kept sorted by the time of their next event, and the
 * operator asks the scheduler for a cycle at that time.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { Operator, RowFn, StepContext } from '../operator.js';
import { SortedArray } from '../ordered.js';

export interface ValidityInterval {
  /** Visible from this time on (inclusive); null: always was. */
  from: number | null;
  /** Visible until this time (exclusive); null: forever. */
  until: number | null;
}

interface Scheduled {
  readonly at: number;
  readonly key: string;
  readonly row: Row;
  readonly until: number | null;
  count: number;
}

function byTime(a: Scheduled, b: Scheduled): number {
  return a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export class TemporalFilterOp implements Operator {
  readonly arity = 1;
  /** Rows not visible yet, by `from`. */
  private readonly upcoming = new SortedArray<Scheduled>(byTime);
  /** Visible rows that will expire, by `until`. */
  private readonly expiring = new SortedArray<Scheduled>(byTime);

  /** bounds returns null for a row that is never visible (e.g. a NULL timestamp). */
  constructor(private readonly bounds: RowFn<ValidityInterval | null>) {}

  describe(): string {
    return 'TemporalFilter';
  }

  hasPendingWork(ctx: StepContext): boolean {
    const next = this.nextWakeup();
    return next !== null && next <= ctx.time;
  }

  nextWakeup(): number | null {
    const a = this.upcoming.first()?.at;
    const b = this.expiring.first()?.at;
    if (a === undefined) return b ?? null;
    return b === undefined ? a : Math.min(a, b);
  }

  step([input]: Batch[], ctx: StepContext): Batch {
    const now = ctx.time;
    const out = new BatchBuilder();
    // Time passed: rows whose moment came appear, then rows whose validity ended disappear.
    while (this.upcoming.size > 0 && this.upcoming.first()!.at <= now) {
      const s = this.upcoming.shift()!;
      if (s.until !== null && s.until <= now) continue;
      out.addKeyed(s.key, s.row, s.count);
      if (s.until !== null) this.schedule(this.expiring, s.until, s.key, s.row, null, s.count);
    }
    while (this.expiring.size > 0 && this.expiring.first()!.at <= now) {
      const s = this.expiring.shift()!;
      out.addKeyed(s.key, s.row, -s.count);
    }
    for (const c of input) {
      const { row, diff } = c;
      const b = this.bounds(row);
      if (b === null) continue;
      const from = b.from ?? -Infinity;
      const until = b.until ?? Infinity;
      if (until <= from || until <= now) continue;
      const key = changeKey(c);
      if (from > now) this.schedule(this.upcoming, from, key, row, b.until, diff);
      else {
        out.addKeyed(key, row, diff);
        if (b.until !== null) this.schedule(this.expiring, b.until, key, row, null, diff);
      }
    }
    return out.finish();
  }

  private schedule(list: SortedArray<Scheduled>, at: number, key: string, row: Row, until: number | null, diff: number): void {
    const probe: Scheduled = { at, key, row, until, count: diff };
    const slot = list.find(probe);
    if (slot === undefined) list.insert(probe);
    else if ((slot.count += diff) === 0) list.remove(slot);
  }
}
