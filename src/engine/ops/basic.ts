/**
 * Stateless operators: they transform each change on its own, so they keep nothing between cycles
 * (apart from the rows whose expression raises an error, see RowErrors).
 */
import type { Batch, Change, Row } from '../batch.js';
import { BatchBuilder, changeKey, consolidate, negate } from '../batch-builder.js';
import type { Operator, RowFn } from '../operator.js';
import { SqlError } from '../../errors.js';

/**
 * Input rows whose expression raised a SqlError (division by zero, a bad cast). They are left out
 * of the output and counted while present; the operator reports the error until the last of them
 * is retracted (whose retraction raises the same error, so it is left out too and the output stays
 * consistent). Anything that is not a SqlError is a bug and propagates.
 */
class RowErrors {
  private readonly rows = new Map<string, { count: number; error: SqlError }>();

  record(c: Change, err: unknown): void {
    if (!(err instanceof SqlError)) throw err;
    const k = changeKey(c);
    const slot = this.rows.get(k) ?? { count: 0, error: err };
    slot.count += c.diff;
    if (slot.count === 0) this.rows.delete(k);
    else this.rows.set(k, slot);
  }

  current(): SqlError | null {
    for (const { error } of this.rows.values()) return error;
    return null;
  }
}

/** WHERE / HAVING: keeps the changes whose row satisfies the predicate (NULL counts as false). */
export class FilterOp implements Operator {
  readonly arity = 1;
  private readonly errors = new RowErrors();
  constructor(private readonly pred: RowFn<boolean>, private readonly label = 'Filter') {}

  step([input]: Batch[]): Batch {
    const out: Batch = [];
    for (const c of input) {
      try {
        if (this.pred(c.row) === true) out.push(c);
      } catch (err) {
        this.errors.record(c, err);
      }
    }
    return out;
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  describe(): string {
    return this.label;
  }
}

/** Projection: each row through fn. Distinct rows may map to the same row, so the output is consolidated. */
export class MapOp implements Operator {
  readonly arity = 1;
  private readonly errors = new RowErrors();
  constructor(private readonly fn: RowFn<Row>, private readonly label = 'Map') {}

  step([input]: Batch[]): Batch {
    const b = new BatchBuilder();
    for (const c of input) {
      try {
        b.add(this.fn(c.row), c.diff);
      } catch (err) {
        this.errors.record(c, err);
      }
    }
    return b.finish();
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  describe(): string {
    return this.label;
  }
}

/** UNION ALL of n inputs: the sum of their changes. */
export class UnionAllOp implements Operator {
  constructor(readonly arity: number) {}

  step(inputs: Batch[]): Batch {
    const nonEmpty = inputs.filter((b) => b.length > 0);
    if (nonEmpty.length === 1) return nonEmpty[0];
    return consolidate(...nonEmpty);
  }

  describe(): string {
    return `UnionAll(${this.arity})`;
  }
}

/** Negates every change (EXCEPT ALL pieces, retraction of a snapshot). */
export class NegateOp implements Operator {
  readonly arity = 1;

  step([input]: Batch[]): Batch {
    return negate(input);
  }

  describe(): string {
    return 'Negate';
  }
}

/** Consolidates its input (useful after operators whose callers bypass consolidation). */
export class ConsolidateOp implements Operator {
  readonly arity = 1;

  step([input]: Batch[]): Batch {
    return consolidate(input);
  }

  describe(): string {
    return 'Consolidate';
  }
}
