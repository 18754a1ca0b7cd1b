/**
 * An index nested-loop join, for ad-hoc reads only: each row of the outer input looks its
 * matches up in an index of the inner relation (`probe`) instead of the join reading and hashing
 * the whole inner relation. It keeps no state, so it is no incremental join: it computes the join
 * of one snapshot, in the single cycle of a one-shot evaluation (src/engine/evaluate.ts).
 *
 * Inner rows are what the index holds under the outer row's key, each repeated by its
 * multiplicity; `innerFilter` (conditions on the inner relation alone) and `residual` (the rest of
 * the ON condition) decide which of them match. With `preserveOuter` (a LEFT JOIN probing its
 * right side, a RIGHT JOIN its left) an outer row without matches is NULL-extended.
 */
import type { Batch, Change, Row } from '../batch.js';
import { interruptPoint } from '../interrupt.js';
import type { KeyFn, Operator } from '../operator.js';
import { RowErrors } from '../row-errors.js';
import type { SqlError } from '../../errors.js';

export interface IndexJoinSpec {
  /** The key to look up for an outer row; null (or a NULL inside) matches nothing. */
  outerKey: KeyFn;
  /** The inner rows under a key, each repeated by its multiplicity, as of the snapshot read. */
  probe: (key: Row) => Row[];
  innerFilter?: (inner: Row) => boolean;
  residual?: (left: Row, right: Row) => boolean;
  /** The outer input is the join's left side (output rows are left columns, then right). */
  outerIsLeft: boolean;
  preserveOuter: boolean;
  innerWidth: number;
  /** The index probed, for describe(). */
  indexName: string;
}

export class IndexJoinOp implements Operator {
  readonly arity = 1;
  private readonly errors = new RowErrors();
  private readonly innerNulls: Row;

  constructor(private readonly spec: IndexJoinSpec) {
    this.innerNulls = new Array(spec.innerWidth).fill(null);
  }

  step([outer]: Batch[]): Batch {
    const { innerFilter, residual, outerIsLeft } = this.spec;
    const out: Change[] = [];
    const emit = (row: Row, diff: number) => {
      interruptPoint();
      out.push({ row, diff });
    };
    for (const c of outer) {
      const key = this.key(c);
      if (key === undefined) continue;
      let matched = false;
      if (key !== null) {
        const rows = this.spec.probe(key);
        // Repeats of one row come together: one output change per distinct inner row keeps the
        // output consolidated (outer rows are distinct, so their pairs are too).
        for (let i = 0; i < rows.length; ) {
          const inner = rows[i]!;
          let count = 1;
          while (rows[i + count] === inner) count++;
          i += count;
          if (innerFilter !== undefined && !innerFilter(inner)) continue;
          if (residual !== undefined && !(outerIsLeft ? residual(c.row, inner) : residual(inner, c.row))) continue;
          matched = true;
          emit(outerIsLeft ? c.row.concat(inner) : inner.concat(c.row), c.diff * count);
        }
      }
      if (!matched && this.spec.preserveOuter) emit(outerIsLeft ? c.row.concat(this.innerNulls) : this.innerNulls.concat(c.row), c.diff);
    }
    return out;
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  describe(): string {
    return `IndexJoin using ${this.spec.indexName}${this.spec.preserveOuter ? ' preserving the outer side' : ''}`;
  }

  /**
   * The outer row's key; null when it holds a NULL; undefined when computing it raised a SqlError,
   * which leaves the row out as a row error (as the hash join does).
   */
  private key(c: Change): Row | null | undefined {
    try {
      const key = this.spec.outerKey(c.row);
      return key === null || key.some((v) => v === null) ? null : key;
    } catch (err) {
      this.errors.record(c, err);
      return undefined;
    }
  }
}
