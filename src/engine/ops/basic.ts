/**
 * Stateless operators: they transform each change on its own, so they keep nothing between cycles
 * (apart from the rows whose expression raises an error, see row-errors.ts).
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, consolidate, negate } from '../batch-builder.js';
import type { Operator, RowFn } from '../operator.js';
import type { SqlError } from '../../errors.js';
import { RowErrors } from '../row-errors.js';

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

/**
 * Set-returning functions: each row through fn, which gives any number of rows (unnest,
 * generate_series ...). Every output row carries its input row's diff, so a retraction retracts
 * exactly what the row produced.
 */
export class FlatMapOp implements Operator {
  readonly arity = 1;
  private readonly errors = new RowErrors();
  constructor(private readonly fn: RowFn<Row[]>, private readonly label = 'FlatMap') {}

  step([input]: Batch[]): Batch {
    const b = new BatchBuilder();
    for (const c of input) {
      let rows: Row[];
      try {
        rows = this.fn(c.row);
      } catch (err) {
        this.errors.record(c, err);
        continue;
      }
      for (const row of rows) b.add(row, c.diff);
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
