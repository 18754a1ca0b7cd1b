/**
 * A table's rows in memory, with its constraints: the committed contents the engine was fed,
 * indexed by a row id (SQLite's key for the row) and, for a primary key, by key value.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../engine/batch.js';
import type { SqlType, Value } from '../types/types.js';
import { rowKey } from '../types/compare.js';

export interface TableColumn {
  name: string;
  type: SqlType;
  typmod: number;
  notNull: boolean;
  /** The DEFAULT expression's parse tree (libpg-query JSON), bound at insert time. */
  defaultExpr: any | null;
}

/** What one statement (or transaction) does to a table: rows removed by id, rows added. */
export interface TableChange {
  deletes: number[];
  inserts: Row[];
}

export class TableData {
  readonly rows = new Map<number, Row>();
  private readonly keyIndex = new Map<string, number>();
  private nextRowId = 1;

  constructor(
    readonly name: string,
    readonly columns: TableColumn[],
    /** Column positions of the primary key (or of a UNIQUE constraint used as one), empty when none. */
    readonly primaryKey: number[],
  ) {}

  load(rowId: number, row: Row): void {
    this.put(rowId, row);
    this.nextRowId = Math.max(this.nextRowId, rowId + 1);
  }

  /**
   * Checks a change against NOT NULL and the primary key, then applies it in memory and returns
   * what the store and the engine need: the new rows with their ids, and the removed rows.
   * Nothing is changed when a check fails.
   */
  apply(change: TableChange): { added: { rowId: number; row: Row }[]; removed: { rowId: number; row: Row }[] } {
    for (const row of change.inserts) this.checkNotNull(row);
    const removedIds = new Set(change.deletes);
    if (this.primaryKey.length > 0) {
      const claimed = new Set<string>();
      for (const row of change.inserts) {
        const key = this.keyOf(row);
        const holder = this.keyIndex.get(key);
        if (claimed.has(key) || (holder !== undefined && !removedIds.has(holder))) {
          const cols = this.primaryKey.map((i) => this.columns[i]!.name).join(', ');
          const vals = this.primaryKey.map((i) => String(row[i])).join(', ');
          throw new SqlError(SQLSTATE.uniqueViolation, `duplicate key value violates unique constraint "${this.name}_pkey"`, {
            detail: `Key (${cols})=(${vals}) already exists.`,
          });
        }
        claimed.add(key);
      }
    }
    const removed: { rowId: number; row: Row }[] = [];
    for (const rowId of removedIds) {
      const row = this.rows.get(rowId);
      if (!row) continue;
      this.rows.delete(rowId);
      if (this.primaryKey.length > 0) this.keyIndex.delete(this.keyOf(row));
      removed.push({ rowId, row });
    }
    const added = change.inserts.map((row) => {
      const rowId = this.nextRowId++;
      this.put(rowId, row);
      return { rowId, row };
    });
    return { added, removed };
  }

  /** Takes back what apply returned (the store could not keep it), newest first. */
  undo(applied: { added: { rowId: number; row: Row }[]; removed: { rowId: number; row: Row }[] }): void {
    for (const { rowId, row } of applied.added) {
      this.rows.delete(rowId);
      if (this.primaryKey.length > 0) this.keyIndex.delete(this.keyOf(row));
    }
    for (const { rowId, row } of applied.removed) this.put(rowId, row);
  }

  clear(): Row[] {
    const all = [...this.rows.values()];
    this.rows.clear();
    this.keyIndex.clear();
    return all;
  }

  /** The row whose primary key equals `key`, if any (none for a key holding a NULL: NULL equals nothing). */
  lookup(key: readonly Value[]): Row[] {
    if (key.some((v) => v === null)) return [];
    const rowId = this.keyIndex.get(rowKey(key));
    const row = rowId === undefined ? undefined : this.rows.get(rowId);
    return row ? [row] : [];
  }

  private put(rowId: number, row: Row): void {
    this.rows.set(rowId, row);
    if (this.primaryKey.length > 0) this.keyIndex.set(this.keyOf(row), rowId);
  }

  private keyOf(row: Row): string {
    return rowKey(this.primaryKey.map((i) => row[i]!));
  }

  private checkNotNull(row: Row): void {
    this.columns.forEach((col, i) => {
      if (col.notNull && row[i] === null) {
        throw new SqlError(SQLSTATE.notNullViolation, `null value in column "${col.name}" of relation "${this.name}" violates not-null constraint`);
      }
    });
  }
}
