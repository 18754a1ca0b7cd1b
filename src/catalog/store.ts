/**
 * The durable catalog: one SQLite database in the data dir holding every object's definition
 * (in creation order, so a restart recreates them in dependency order) and every table's rows.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../engine/batch.js';
import { decodeRow, encodeRow } from './row-codec.js';
import { damagedCatalog, openError, writeError } from './store-errors.js';

export type ObjectKind = 'table' | 'view' | 'materialized-view' | 'source' | 'sink' | 'index';

export interface StoredObject {
  id: number;
  kind: ObjectKind;
  name: string;
  /** The statement that created it, replayed at start. */
  sql: string;
}

export class CatalogStore {
  private readonly db: Database.Database;
  // Prepared once: every committed table write runs these.
  private readonly putRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly deleteTableRows: Database.Statement;

  /**
   * Opens (or creates) the catalog; throws an Error saying what to do when the file is damaged
   * (checked with SQLite's quick_check: every page and row readable) or the directory unwritable.
   */
  constructor(private readonly dataDir: string) {
    const file = join(dataDir, 'catalog.sqlite');
    try {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      const check = this.db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw damagedCatalog(file, String(check));
      this.createTables();
      // SQLite opens an unwritable file read-only without a word; a write now says so at start,
      // not at the first INSERT.
      this.db.pragma(`user_version = ${Number(this.db.pragma('user_version', { simple: true }))}`);
    } catch (err) {
      throw openError(err, dataDir, file);
    }
    this.putRow = this.db.prepare('INSERT OR REPLACE INTO table_rows (table_id, row_id, data) VALUES (?, ?, ?)');
    this.deleteRow = this.db.prepare('DELETE FROM table_rows WHERE table_id = ? AND row_id = ?');
    this.deleteTableRows = this.db.prepare('DELETE FROM table_rows WHERE table_id = ?');
  }

  private createTables(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL UNIQUE,
        sql TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS table_rows (
        table_id INTEGER NOT NULL,
        row_id INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (table_id, row_id)
      ) WITHOUT ROWID;
    `);
  }

  objects(): StoredObject[] {
    return this.db.prepare('SELECT id, kind, name, sql FROM objects ORDER BY id').all() as StoredObject[];
  }

  nextObjectId(): number {
    const row = this.db.prepare('SELECT coalesce(max(id), 16383) + 1 AS id FROM objects').get() as { id: number };
    return row.id;
  }

  addObject(obj: StoredObject): void {
    this.write(() => this.db.prepare('INSERT INTO objects (id, kind, name, sql) VALUES (?, ?, ?, ?)').run(obj.id, obj.kind, obj.name, obj.sql));
  }

  removeObject(id: number): void {
    this.transaction(() => {
      this.db.prepare('DELETE FROM objects WHERE id = ?').run(id);
      this.deleteTableRows.run(id);
    });
  }

  tableRows(tableId: number): { rowId: number; row: Row }[] {
    const rows = this.db.prepare('SELECT row_id AS rowId, data FROM table_rows WHERE table_id = ? ORDER BY row_id').all(tableId) as {
      rowId: number;
      data: string;
    }[];
    return rows.map((r) => ({ rowId: r.rowId, row: decodeRow(r.data) }));
  }

  /** Applies one table's committed changes atomically. */
  writeRows(tableId: number, upserts: { rowId: number; row: Row }[], deletes: number[]): void {
    this.transaction(() => {
      for (const rowId of deletes) this.deleteRow.run(tableId, rowId);
      for (const u of upserts) this.putRow.run(tableId, u.rowId, encodeRow(u.row));
    });
  }

  truncate(tableId: number): void {
    this.write(() => this.deleteTableRows.run(tableId));
  }

  /** Runs fn's writes atomically: all kept, or (on any error) none. */
  transaction(fn: () => void): void {
    this.write(() => this.db.transaction(fn)());
  }

  /** A write SQLite could not keep (disk full, read-only directory) fails as a SqlError saying so. */
  private write(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw writeError(err, this.dataDir);
    }
  }

  close(): void {
    this.db.close();
  }
}
