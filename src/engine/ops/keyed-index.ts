/**
 * A multiset of rows grouped by a key: the state a join or semi-join keeps for one side.
 * Rows are identified by rowKey; each entry carries a count (its multiplicity) and a `matches`
 * counter that outer and semi joins use for "how many rows of the other side match this one".
 */
import type { Change, Row } from '../batch.js';
import type { KeyFn } from '../operator.js';
import type { RowErrors } from '../row-errors.js';
import { rowKey } from '../../types/compare.js';
import type { Value } from '../../types/types.js';

export interface IndexEntry {
  readonly row: Row;
  count: number;
  matches: number;
}

export interface IndexBucket {
  readonly entries: Map<string, IndexEntry>;
  /** Sum of the entries' counts. */
  total: number;
}

/** The key's Map key, or null when the key is absent or contains a NULL (it never equals anything). */
function joinKey(key: Value[] | null): string | null {
  if (key === null) return null;
  for (let i = 0; i < key.length; i++) if (key[i] === null) return null;
  return rowKey(key);
}

/**
 * The join key of a change's row, or undefined when computing it raised a SqlError: the row is
 * then recorded as a row error and left out (keys are computed before any state changes).
 */
export function changeJoinKey(keyFn: KeyFn, c: Change, errors: RowErrors): string | null | undefined {
  try {
    return joinKey(keyFn(c.row));
  } catch (err) {
    errors.record(c, err);
    return undefined;
  }
}

export class KeyedIndex {
  readonly buckets = new Map<string, IndexBucket>();

  bucket(key: string): IndexBucket | undefined {
    return this.buckets.get(key);
  }

  /**
   * The entry for row under key, created with count 0 if absent (live entries never have count 0,
   * so count 0 tells the caller it is new); `matches` is the caller's to set.
   */
  entry(key: string, row: Row, rk: string): IndexEntry {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { entries: new Map(), total: 0 };
      this.buckets.set(key, bucket);
    }
    let entry = bucket.entries.get(rk);
    if (entry !== undefined) return entry;
    entry = { row, count: 0, matches: 0 };
    bucket.entries.set(rk, entry);
    return entry;
  }

  /** Adds diff to the entry's count, dropping it (and an empty bucket) at zero. */
  adjust(key: string, rk: string, entry: IndexEntry, diff: number): void {
    const bucket = this.buckets.get(key)!;
    entry.count += diff;
    bucket.total += diff;
    if (entry.count === 0) {
      bucket.entries.delete(rk);
      if (bucket.entries.size === 0) this.buckets.delete(key);
    }
  }
}
