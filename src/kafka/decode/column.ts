/** The columns a message format produces, and the shape every decoder has. */
import type { SqlType, Value } from '../../types/types.js';

export interface DecodedColumn {
  name: string;
  type: SqlType;
  /** PostgreSQL's typmod (numeric(p,s), varchar(n)); -1 for none. */
  typmod: number;
}

/**
 * Decodes a message's key or value into one value per column of its format. A null key or
 * value (no key; a tombstone) gives NULL in every column. Throws DecodeError on bad bytes.
 */
export type Decoder = (bytes: Uint8Array | null) => Value[];

/** Wraps a decoder of present bytes with the rule that absent bytes are all-NULL. */
export function nullWhenAbsent(width: number, decode: (bytes: Uint8Array) => Value[]): Decoder {
  const nulls: Value[] = new Array<Value>(width).fill(null);
  return (bytes) => (bytes === null ? nulls.slice() : decode(bytes));
}

/** 'Price double precision', for error messages. */
export function describeColumn(column: DecodedColumn): string {
  return `column "${column.name}" (${column.type.name})`;
}
