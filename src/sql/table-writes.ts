/**
 * How a session changes tables. Outside a transaction block each statement commits at once;
 * inside one, changes collect here and commit together at COMMIT (or vanish at ROLLBACK), and
 * the block's own statements see them. Rows inserted in the block carry negative ids until then.
 */
import type { Row } from '../engine/batch.js';
import type { Node } from '../engine/dataflow.js';
import type { TableChange } from '../catalog/table.js';
import type { Database } from './database.js';
import type { TableRelation } from '../catalog/relation.js';

interface PendingTable {
  deletes: Set<number>;
  inserts: Map<number, Row>;
}

export class TableWrites {
  private readonly pending = new Map<TableRelation, PendingTable>();
  private nextTempId = -1;

  constructor(private readonly db: Database) {}

  /** The rows a statement in this session sees: committed ones, with the block's changes applied. */
  visibleRows(rel: TableRelation): [number, Row][] {
    const p = this.pending.get(rel);
    const committed = [...rel.data.rows];
    if (!p) return committed;
    return [...committed.filter(([id]) => !p.deletes.has(id)), ...p.inserts];
  }

  /** The rows of the table whose node is `node`, when this block changed it; null otherwise. */
  blockRows(node: Node): Row[] | null {
    for (const rel of this.pending.keys()) if (rel.node === node) return this.visibleRows(rel).map(([, row]) => row);
    return null;
  }

  /** Records one statement's change; commits it at once unless a transaction block is open. */
  write(rel: TableRelation, change: { deletes: number[]; inserts: Row[] }, inBlock: boolean): void {
    if (!inBlock) {
      this.db.commitTableChanges(new Map([[rel, change]]));
      return;
    }
    let p = this.pending.get(rel);
    if (!p) this.pending.set(rel, (p = { deletes: new Set(), inserts: new Map() }));
    for (const id of change.deletes) {
      if (id < 0) p.inserts.delete(id);
      else p.deletes.add(id);
    }
    for (const row of change.inserts) p.inserts.set(this.nextTempId--, row);
  }

  commit(): void {
    const changes = new Map<TableRelation, TableChange>();
    for (const [rel, p] of this.pending) {
      // A table dropped during the block has nothing left to write.
      if (this.db.relations.get(rel.name) !== rel) continue;
      changes.set(rel, { deletes: [...p.deletes], inserts: [...p.inserts.values()] });
    }
    this.pending.clear();
    if (changes.size > 0) this.db.commitTableChanges(changes);
  }

  rollback(): void {
    this.pending.clear();
  }

  /** The block's changes so far, for a SAVEPOINT to return to. */
  snapshot(): PendingSnapshot {
    return new Map([...this.pending].map(([rel, p]) => [rel, { deletes: new Set(p.deletes), inserts: new Map(p.inserts) }]));
  }

  /** ROLLBACK TO SAVEPOINT: the block's changes as they were at the snapshot. */
  restore(snapshot: PendingSnapshot): void {
    this.pending.clear();
    for (const [rel, p] of snapshot) this.pending.set(rel, { deletes: new Set(p.deletes), inserts: new Map(p.inserts) });
  }
}

export type PendingSnapshot = ReadonlyMap<TableRelation, PendingTable>;
