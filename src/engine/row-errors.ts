/**
 * Row errors: what an operator does with an input row whose expression raises a SqlError.
 */
import type { Change } from './batch.js';
import { changeKey } from './batch-builder.js';
import { SqlError } from '../errors.js';

/**
 * Input rows whose expression raised a SqlError (division by zero, a bad cast). They are left out
 * of the output and counted while present; the operator reports the error until the last of them
 * is retracted (whose retraction raises the same error, so it is left out too and the output stays
 * consistent). Anything that is not a SqlError is a bug and propagates.
 */
export class RowErrors {
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
