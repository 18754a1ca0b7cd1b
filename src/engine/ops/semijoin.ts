/**
 * Semi-joins (EXISTS, IN) and anti-joins (NOT EXISTS, NOT IN) maintained incrementally.
 * The output is the left rows that pass; a left row passes or not depending on how many right rows
 * match it, so the operator tracks those counts and emits a left row when its verdict flips.
 *
 * Without a residual condition, the match count of a left row is its key bucket's total on the
 * right, so only bucket totals are kept. With a residual, each left row keeps its own counters.
 *
 * nullAwareNotIn gives `x NOT IN (subquery)` its SQL meaning: x = NULL or a NULL in the subquery
 * make the comparison unknown, so a left row passes when the right side (restricted by the
 * residual, for a correlated subquery) is empty, or when its key is non-null and the right side
 * holds neither that key nor a NULL key. A multi-column key counts as NULL when any column is
 * NULL, which is exact for single-column IN and conservative for row-valued IN.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { KeyFn, Operator } from '../operator.js';
import { changeJoinKey, type IndexEntry, KeyedIndex } from './keyed-index.js';
import { RowErrors } from '../row-errors.js';
import type { SqlError } from '../../errors.js';

export interface SemiJoinSpec {
  /** false: EXISTS / IN; true: NOT EXISTS / NOT IN. */
  anti: boolean;
  leftKey: KeyFn;
  rightKey: KeyFn;
  /** Extra correlation condition between a left and a right row (the subquery's other conjuncts). */
  residual?: (left: Row, right: Row) => boolean;
  nullAwareNotIn?: boolean;
}

/** Per-left-row counts of matching right rows, kept only when there is a residual. */
interface Counters {
  /** Right rows with an equal key. */
  eq: number;
  /** Right rows with a NULL key (null-aware only). */
  nul: number;
  /** All right rows (null-aware, for left rows whose own key is NULL). */
  all: number;
}

interface LeftEntry extends IndexEntry {
  counters: Counters;
}

/** The bucket key standing for "key contains NULL" in the left index (real keys always end in '|'). */
const NULL_KEY = '\u0000';

export class SemiJoinOp implements Operator {
  readonly arity = 2;
  private readonly nullAware: boolean;
  private readonly left = new KeyedIndex();
  private readonly right = new KeyedIndex();
  /** Right rows with a NULL key, and the right side's total row count (null-aware only). */
  private rightNullCount = 0;
  private rightTotal = 0;
  private readonly errors = new RowErrors();

  constructor(private readonly spec: SemiJoinSpec) {
    this.nullAware = spec.nullAwareNotIn === true;
    if (this.nullAware && !spec.anti) throw new Error('nullAwareNotIn applies to anti-joins only');
  }

  describe(): string {
    const name = this.nullAware ? 'NotIn' : this.spec.anti ? 'AntiJoin' : 'SemiJoin';
    return `Hash${name}${this.spec.residual ? ' with residual' : ''}`;
  }

  step([leftChanges, rightChanges]: Batch[]): Batch {
    const out = new BatchBuilder();
    for (const c of leftChanges) {
      const key = changeJoinKey(this.spec.leftKey, c, this.errors);
      if (key !== undefined) this.applyLeft(c.row, changeKey(c), key, c.diff, out);
    }
    for (const c of rightChanges) {
      const key = changeJoinKey(this.spec.rightKey, c, this.errors);
      if (key === undefined) continue;
      if (this.spec.residual) this.applyRightResidual(c.row, changeKey(c), key, c.diff, out);
      else this.applyRightPlain(c.row, changeKey(c), key, c.diff, out);
    }
    return out.finish();
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  /** The verdict for a left row from its match counts. */
  private passes(nullKey: boolean, c: Counters): boolean {
    return this.verdict(nullKey, c.eq, c.nul, c.all);
  }

  private verdict(nullKey: boolean, eq: number, nul: number, all: number): boolean {
    if (this.nullAware) return nullKey ? all === 0 : eq === 0 && nul === 0;
    if (nullKey) return this.spec.anti;
    return this.spec.anti ? eq === 0 : eq > 0;
  }

  /** Counters of a left row computed from scratch against the right side. */
  private countFor(row: Row, key: string | null): Counters {
    const residual = this.spec.residual;
    const c: Counters = { eq: 0, nul: 0, all: 0 };
    if (residual === undefined) {
      c.eq = key === null ? 0 : (this.right.bucket(key)?.total ?? 0);
      c.nul = this.rightNullCount;
      c.all = this.rightTotal;
      return c;
    }
    if (key !== null) {
      const bucket = this.right.bucket(key);
      if (bucket) for (const r of bucket.entries.values()) if (residual(row, r.row)) c.eq += r.count;
    }
    if (!this.nullAware) return c;
    const nullBucket = this.right.bucket(NULL_KEY);
    if (nullBucket) for (const r of nullBucket.entries.values()) if (residual(row, r.row)) c.nul += r.count;
    if (key === null) {
      for (const bucket of this.right.buckets.values())
        for (const r of bucket.entries.values()) if (residual(row, r.row)) c.all += r.count;
    }
    return c;
  }

  private applyLeft(row: Row, rk: string, key: string | null, diff: number, out: BatchBuilder): void {
    const e = this.left.entry(key ?? NULL_KEY, row, rk) as LeftEntry;
    if (e.count === 0 || this.spec.residual === undefined) e.counters = this.countFor(row, key);
    if (this.passes(key === null, e.counters)) out.addKeyed(rk, row, diff);
    this.left.adjust(key ?? NULL_KEY, rk, e, diff);
  }

  /** Without a residual a right change can only flip whole left buckets, and only when a total crosses zero. */
  private applyRightPlain(row: Row, rk: string, key: string | null, diff: number, out: BatchBuilder): void {
    if (key === null && !this.nullAware) return; // a NULL key never matches anything
    const bucketKey = key ?? NULL_KEY;
    const before = this.right.bucket(bucketKey)?.total ?? 0;
    const nullBefore = this.rightNullCount;
    const totalBefore = this.rightTotal;
    this.right.adjust(bucketKey, rk, this.right.entry(bucketKey, row, rk), diff);
    if (key === null) this.rightNullCount += diff;
    this.rightTotal += diff;
    const after = before + diff;

    if (!this.nullAware) {
      this.flipBucket(key!, this.verdict(false, before, 0, 0), this.verdict(false, after, 0, 0), out);
      return;
    }
    if (key !== null) {
      this.flipBucket(key, this.verdict(false, before, nullBefore, 0), this.verdict(false, after, nullBefore, 0), out);
    } else if ((nullBefore === 0) !== (this.rightNullCount === 0)) {
      // A NULL appeared in (or vanished from) the subquery: every non-null left key may flip.
      for (const lk of this.left.buckets.keys()) {
        if (lk === NULL_KEY) continue;
        const eq = this.right.bucket(lk)?.total ?? 0;
        this.flipBucket(lk, this.verdict(false, eq, nullBefore, 0), this.verdict(false, eq, this.rightNullCount, 0), out);
      }
    }
    this.flipBucket(NULL_KEY, this.verdict(true, 0, 0, totalBefore), this.verdict(true, 0, 0, this.rightTotal), out);
  }

  /** Emits a whole left bucket in or out when its verdict changed. */
  private flipBucket(leftBucketKey: string, was: boolean, now: boolean, out: BatchBuilder): void {
    if (was === now) return;
    const bucket = this.left.bucket(leftBucketKey);
    if (bucket) for (const [rk, e] of bucket.entries) out.addKeyed(rk, e.row, now ? e.count : -e.count);
  }

  /** With a residual every left row that the right row correlates with updates its own counters. */
  private applyRightResidual(row: Row, rk: string, key: string | null, diff: number, out: BatchBuilder): void {
    if (key === null && !this.nullAware) return;
    const bucketKey = key ?? NULL_KEY;
    this.right.adjust(bucketKey, rk, this.right.entry(bucketKey, row, rk), diff);
    if (key === null) this.rightNullCount += diff;
    this.rightTotal += diff;
    if (key !== null) this.updateCounters(key, 'eq', row, diff, out);
    else for (const lk of this.left.buckets.keys()) if (lk !== NULL_KEY) this.updateCounters(lk, 'nul', row, diff, out);
    if (this.nullAware) this.updateCounters(NULL_KEY, 'all', row, diff, out);
  }

  /** Adds a right row's change to one counter of the left rows it correlates with, emitting verdict flips. */
  private updateCounters(leftBucketKey: string, field: keyof Counters, right: Row, diff: number, out: BatchBuilder): void {
    const bucket = this.left.bucket(leftBucketKey);
    if (!bucket) return;
    const residual = this.spec.residual!;
    const nullKey = leftBucketKey === NULL_KEY;
    for (const [rk, e] of bucket.entries) {
      if (!residual(e.row, right)) continue;
      const c = (e as LeftEntry).counters;
      const was = this.passes(nullKey, c);
      c[field] += diff;
      const now = this.passes(nullKey, c);
      if (was !== now) out.addKeyed(rk, e.row, now ? e.count : -e.count);
    }
  }
}
