/**
 * A session's cursors opened by SQL (DECLARE ... CURSOR FOR SELECT | SUBSCRIBE), read by FETCH
 * and ended by CLOSE or by the end of the transaction that declared them (WITH HOLD ones survive
 * its COMMIT, as in PostgreSQL).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Value } from '../types/types.js';
import type { RelationColumn } from '../planner/catalog-api.js';

export interface SqlCursor {
  readonly columns: RelationColumn[];
  /**
   * At most `count` rows ('all': every row ready). A SUBSCRIBE cursor waits for a first row up to
   * `timeoutMs` (null: until one comes); a SELECT cursor has all its rows already.
   */
  fetch(count: number | 'all', timeoutMs: number | null): Promise<Value[][]>;
  close(): void;
}

interface Entry {
  cursor: SqlCursor;
  hold: boolean;
  /** Declared in the transaction block still open (a ROLLBACK ends it even WITH HOLD). */
  pending: boolean;
}

export class SessionCursors {
  private readonly entries = new Map<string, Entry>();

  declare(name: string, cursor: SqlCursor, hold: boolean): void {
    if (this.entries.has(name)) {
      cursor.close();
      throw new SqlError('42P03', `cursor "${name}" already exists`);
    }
    this.entries.set(name, { cursor, hold, pending: true });
  }

  get(name: string): SqlCursor {
    const entry = this.entries.get(name);
    if (!entry) throw new SqlError(SQLSTATE.invalidCursorName, `cursor "${name}" does not exist`);
    return entry.cursor;
  }

  find(name: string): SqlCursor | null {
    return this.entries.get(name)?.cursor ?? null;
  }

  close(name: string): void {
    this.get(name).close();
    this.entries.delete(name);
  }

  closeAll(): void {
    for (const { cursor } of this.entries.values()) cursor.close();
    this.entries.clear();
  }

  /** The transaction block ended: cursors without HOLD end with it, and so do all of its own on ROLLBACK. */
  transactionEnded(committed: boolean): void {
    for (const [name, entry] of this.entries) {
      if (entry.hold && (committed || !entry.pending)) {
        entry.pending = false;
        continue;
      }
      entry.cursor.close();
      this.entries.delete(name);
    }
  }
}
