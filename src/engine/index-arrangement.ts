/**
 * An index (CREATE INDEX): a second arrangement of a relation's rows, keyed by some of its
 * columns, kept up to date from the relation's own arrangement. It starts from the arrangement's
 * contents and then applies each cycle's change as the arrangement's listeners see it, after the
 * cycle, so a read between cycles finds it at the same cycle as everything else.
 *
 * Keys are grouped by SQL equality (rowKey: 1.0 and 1.00 are one key), as a join's are, so a
 * lookup finds every row that `col = value` can select; a key holding a NULL is never looked up
 * (NULL equals nothing) but its rows are kept, so the index always holds all the relation's rows.
 */
import type { Row } from './batch.js';
import type { Arrangement } from './arrangement.js';
import { changeKey } from './batch-builder.js';
import { identityKey, rowKey } from '../types/compare.js';
import type { Value } from '../types/types.js';

export interface Slot {
  readonly row: Row;
  count: number;
}

export class IndexArrangement {
  private readonly buckets = new Map<string, Map<string, Slot>>();
  private readonly unsubscribe: () => void;
  /** The catalog's hold (until DROP INDEX) plus one per maintained join sharing the arrangement. */
  private holders = 1;

  /** `columns`: the key's column positions in the relation's rows. */
  constructor(
    private readonly source: Arrangement,
    readonly columns: readonly number[],
  ) {
    for (const { row, count } of source.entries()) this.add(row, identityKey(row), count);
    this.unsubscribe = source.onChange((batch) => {
      for (const c of batch) this.add(c.row, changeKey(c), c.diff);
    });
  }

  /**
   * The rows whose key columns equal `key` (each repeated by its multiplicity); none when the key
   * holds a NULL. Raises the relation's error when it is in error, as reading it whole would.
   */
  lookup(key: readonly Value[]): Row[] {
    if (this.source.error) throw this.source.error;
    if (key.some((v) => v === null)) return [];
    const bucket = this.buckets.get(rowKey(key));
    if (bucket === undefined) return [];
    const out: Row[] = [];
    for (const { row, count } of bucket.values()) for (let i = 0; i < count; i++) out.push(row);
    return out;
  }

  /** The relation's row count (counting multiplicities): the index holds every row. */
  size(): number {
    return this.source.count();
  }

  /**
   * The rows under a key as rowKey of the key columns spells it (a join's key), by identity with
   * their multiplicities: what a maintained join reads of the side it shares (ops/join.ts). The
   * index then stays up to date until the returned release is called, even past DROP INDEX.
   */
  share(): { bucket: (key: string) => ReadonlyMap<string, Slot> | undefined; release: () => void } {
    this.holders++;
    let released = false;
    return {
      bucket: (key) => this.buckets.get(key),
      release: () => {
        if (released) return;
        released = true;
        this.dispose();
      },
    };
  }

  /** Drops the catalog's hold (DROP INDEX, or its relation dropped); the last hold stops following the relation. */
  dispose(): void {
    if (--this.holders > 0) return;
    this.unsubscribe();
    this.buckets.clear();
  }

  private add(row: Row, identity: string, diff: number): void {
    const key = rowKey(this.columns.map((i) => row[i]!));
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    const slot = bucket.get(identity);
    if (slot === undefined) bucket.set(identity, { row, count: diff });
    else if ((slot.count += diff) === 0) {
      bucket.delete(identity);
      if (bucket.size === 0) this.buckets.delete(key);
    }
  }
}
