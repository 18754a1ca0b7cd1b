/**
 * Row comparators for ORDER BY (top-K, DISTINCT ON, the final sort of an ad-hoc SELECT and
 * string_agg's ORDER BY): ascending or descending per key, NULLs first or last as asked.
 */
import type { Row } from '../engine/batch.js';
import { compareNullable, compareValues } from '../types/compare.js';
import type { Value } from '../types/types.js';

export interface CompiledSortKey {
  get: (row: Row) => Value;
  desc: boolean;
  nullsFirst: boolean;
}

/** Compares two values under one key's direction and NULL placement. */
export function compareKey(a: Value, b: Value, desc: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) return compareNullable(a, b, nullsFirst);
  return desc ? compareValues(b, a) : compareValues(a, b);
}

export function rowComparator(keys: CompiledSortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const c = compareKey(k.get(a), k.get(b), k.desc, k.nullsFirst);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Compares key tuples already extracted (aggregate ORDER BY), one direction per position. */
export function tupleComparator(dirs: { desc: boolean; nullsFirst: boolean }[]): (a: Value[], b: Value[]) => number {
  return (a, b) => {
    for (let i = 0; i < dirs.length; i++) {
      const c = compareKey(a[i]!, b[i]!, dirs[i]!.desc, dirs[i]!.nullsFirst);
      if (c !== 0) return c;
    }
    return 0;
  };
}
