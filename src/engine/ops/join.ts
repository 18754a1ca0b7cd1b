/**
 * Equi-joins (inner, left, right, full; cross = empty key) maintained incrementally.
 *
 * Each side is a hash index by join key. A cycle first applies the left changes against the old
 * right side, then the right changes against the new left side: ΔL⋈R + L'⋈ΔR, which is exactly
 * the change of L⋈R. Outer sides also count, per row, how many rows of the other side it matches
 * (after the residual ON condition); a row's NULL-extended output exists while that count is 0,
 * so it is added or retracted whenever the count crosses zero.
 */
import type { Batch, Change, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import { interruptPoint } from '../interrupt.js';
import type { KeyFn, Operator } from '../operator.js';
import { changeJoinKey, KeyedIndex } from './keyed-index.js';
import { RowErrors } from '../row-errors.js';
import type { SqlError } from '../../errors.js';

/** Where output changes go: a consolidating BatchBuilder, or straight into a batch. */
interface Emitter {
  add(row: Row, diff: number): void;
  finish(): Batch;
}

class DirectEmitter implements Emitter {
  private readonly out: Change[] = [];
  add(row: Row, diff: number): void {
    interruptPoint();
    this.out.push({ row, diff });
  }
  finish(): Batch {
    return this.out;
  }
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

export interface JoinSpec {
  kind: JoinKind;
  /** Equi-join key of a left row; null (or a NULL inside) never matches. Empty tuple = cross join. */
  leftKey: KeyFn;
  rightKey: KeyFn;
  /** The rest of the ON condition, evaluated on key matches; for outer joins it decides matching. */
  residual?: (left: Row, right: Row) => boolean;
  leftWidth: number;
  rightWidth: number;
  /**
   * A side whose rows the join reads from an index the relation already keeps (CREATE INDEX)
   * instead of a hash index of its own. The index must group rows by exactly this side's key
   * (rowKey of the key tuple) and follow the very input this side reads, updated after each cycle:
   * during a cycle it holds the side as of the previous one, so this side's changes are applied
   * last (ΔO⋈S + O'⋈ΔS). The side must not be outer: the join keeps no match counts for its rows.
   */
  shared?: { side: 'left' | 'right'; index: SharedIndex };
}

/** An index a join shares (src/engine/index-arrangement.ts share()). */
export interface SharedIndex {
  bucket(key: string): ReadonlyMap<string, { readonly row: Row; readonly count: number }> | undefined;
  release(): void;
}

/** One side of the join as seen while its changes are processed. */
interface SideView {
  /** Null for a shared side (spec.shared): its rows are read from the shared index. */
  readonly index: KeyedIndex | null;
  readonly key: KeyFn;
  /** This side's rows survive unmatched (NULL-extended). */
  readonly outer: boolean;
  readonly isLeft: boolean;
}

export class JoinOp implements Operator {
  readonly arity = 2;
  private readonly left: SideView;
  private readonly right: SideView;
  private readonly leftNulls: Row;
  private readonly errors = new RowErrors();
  private readonly rightNulls: Row;
  private started = false;

  constructor(private readonly spec: JoinSpec) {
    const leftOuter = spec.kind === 'left' || spec.kind === 'full';
    const rightOuter = spec.kind === 'right' || spec.kind === 'full';
    const own = (side: 'left' | 'right') => (spec.shared?.side === side ? null : new KeyedIndex());
    if (spec.shared && (spec.shared.side === 'left' ? leftOuter : rightOuter)) throw new Error('a join cannot share the index of a side it preserves');
    this.left = { index: own('left'), key: spec.leftKey, outer: leftOuter, isLeft: true };
    this.right = { index: own('right'), key: spec.rightKey, outer: rightOuter, isLeft: false };
    this.leftNulls = new Array(spec.leftWidth).fill(null);
    this.rightNulls = new Array(spec.rightWidth).fill(null);
  }

  step([leftChanges, rightChanges]: Batch[]): Batch {
    // An inner join fed by one side only emits distinct pairs (distinct input rows times distinct
    // indexed rows), so the output needs no consolidation: the common case of facts streaming
    // against a slowly changing table skips hashing every output row.
    const direct = this.spec.kind === 'inner' && (leftChanges.length === 0 || rightChanges.length === 0);
    const out: Emitter = direct ? new DirectEmitter() : new BatchBuilder();
    // A shared side holds its previous contents throughout the cycle (ΔO⋈S + O'⋈ΔS): its changes go last.
    if (this.spec.shared?.side === 'left') {
      this.apply(rightChanges, this.right, this.left, out);
      this.apply(leftChanges, this.left, this.right, out);
    } else {
      this.apply(leftChanges, this.left, this.right, out);
      this.apply(rightChanges, this.right, this.left, out);
    }
    this.started = true;
    return out.finish();
  }

  dispose(): void {
    this.spec.shared?.index.release();
  }

  /**
   * The rows of `side` under `key`. A shared index already holds the side's rows when the join's
   * first cycle hands it the side's whole contents as its change, so until then it reads as empty.
   */
  private rowsUnder(side: SideView, key: string): Iterable<{ readonly row: Row; readonly count: number; matches?: number }> | undefined {
    if (side.index !== null) return side.index.bucket(key)?.entries.values();
    return this.started ? this.spec.shared!.index.bucket(key)?.values() : undefined;
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  describe(): string {
    return `HashJoin ${this.spec.kind}${this.spec.residual ? ' with residual' : ''}${this.spec.shared ? ` sharing the ${this.spec.shared.side} index` : ''}`;
  }

  private pair(self: SideView, mine: Row, theirs: Row): Row {
    return self.isLeft ? mine.concat(theirs) : theirs.concat(mine);
  }

  private nullExtended(self: SideView, row: Row): Row {
    return self.isLeft ? row.concat(this.rightNulls) : this.leftNulls.concat(row);
  }

  /** Applies one side's changes against the other side's current index, emitting the output change. */
  private apply(changes: Change[], self: SideView, other: SideView, out: Emitter): void {
    const residual = this.spec.residual;
    for (const c of changes) {
      const { row, diff } = c;
      const key = changeJoinKey(self.key, c, this.errors);
      if (key === undefined) continue;
      if (key === null) {
        if (self.outer) out.add(this.nullExtended(self, row), diff);
        continue;
      }
      let matches = 0;
      const bucket = this.rowsUnder(other, key);
      if (bucket !== undefined) {
        for (const o of bucket as Iterable<{ row: Row; count: number; matches: number }>) {
          if (residual !== undefined && !(self.isLeft ? residual(row, o.row) : residual(o.row, row))) continue;
          matches += o.count;
          out.add(this.pair(self, row, o.row), diff * o.count);
          if (other.outer) {
            const before = o.matches;
            o.matches += diff;
            if (before === 0 && o.matches !== 0) out.add(this.nullExtended(other, o.row), -o.count);
            else if (before !== 0 && o.matches === 0) out.add(this.nullExtended(other, o.row), o.count);
          }
        }
      }
      if (self.outer && matches === 0) out.add(this.nullExtended(self, row), diff);
      if (self.index === null) continue;
      const rk = changeKey(c);
      const entry = self.index.entry(key, row, rk);
      entry.matches = matches;
      self.index.adjust(key, rk, entry, diff);
    }
  }
}
