/** Storage properties of Eddy's types as pg_type and pg_attribute report them (as PostgreSQL has them). */
import { T, type SqlType } from '../../types/types.js';
import { COLLATION } from './oids.js';

/** Passed by value: fixed-size types up to 8 bytes (PostgreSQL on 64-bit platforms). */
export const typeByValue = (t: SqlType): boolean => t.typlen > 0 && t.typlen <= 8 && t.oid !== T.name.oid;

export function typeAlign(t: SqlType): string {
  // an array is int-aligned unless its elements need double alignment (_int8, _float8 ...)
  if (t.element) return typeAlign(t.element) === 'd' ? 'd' : 'i';
  // anyarray, the one variable-length pseudo-type, must fit any array
  if (t.category === 'P' && t.typlen === -1) return 'd';
  // 1-byte types, name (a char array), and unknown (a C string, typlen -2) are byte-aligned
  if (t.typlen === 1 || t.typlen === -2 || t.oid === T.name.oid) return 'c';
  if (t.typlen === 2) return 's';
  if (t.typlen === 8 || t.oid === T.interval.oid) return 'd';
  return 'i';
}

/** p plain, m main (numeric), x extended (other variable-length types). */
export function typeStorage(t: SqlType): string {
  // int2vector and oidvector are plain, as their arrays (_int2vector) are not
  if (t.typlen !== -1 || t.vector) return 'p';
  return t.oid === T.numeric.oid ? 'm' : 'x';
}

const COLLATABLE = new Set<number>([T.text.oid, T.varchar.oid, T.bpchar.oid, T.name.oid]);
export const typeCollation = (t: SqlType): number => (t.element ? typeCollation(t.element) : COLLATABLE.has(t.oid) ? (t.oid === T.name.oid ? COLLATION.C : COLLATION.default) : 0);

/** pg_type.typelem: an array's element type; name is subscriptable as an array of "char". */
export const typeElement = (t: SqlType): number => t.element?.oid ?? (t.oid === T.name.oid ? T.char.oid : 0);
