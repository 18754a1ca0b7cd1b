/**
 * Compares a query's answer from Eddy with PostgreSQL's, as multisets of rows (or as lists when
 * the query's ORDER BY makes the order part of the answer). Values arrive as PostgreSQL text
 * output; floating-point columns compare by value to a relative precision (an incrementally
 * maintained sum adds and subtracts in another order than a fresh scan does), every other column
 * compares exactly as text. That includes numeric: its arithmetic is exact in both, and its
 * display scale (`44.20`, not `44.2`) is part of what a client sees.
 */
import type pg from 'pg';

export type Cell = string | null;

export interface ResultSet {
  columns: { name: string; typeOid: number }[];
  rows: Cell[][];
}

const FLOAT4 = 700;
const FLOAT8 = 701;
const APPROXIMATE = new Set([FLOAT4, FLOAT8]);

const RELATIVE_PRECISION = 1e-9;

/** Every value as its text output: no driver-side parsing may hide a difference. */
const textOnlyTypes = { getTypeParser: () => (value: string) => value };

/**
 * Runs `sql` through the simple query protocol, or with `preparedName` through the extended one
 * as a named prepared statement (parsed once per connection, executed again on later calls).
 */
export async function runQuery(client: pg.Client, sql: string, preparedName?: string): Promise<ResultSet> {
  const result = await client.query({ text: sql, name: preparedName, rowMode: 'array', types: textOnlyTypes });
  return {
    columns: result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })),
    rows: result.rows as Cell[][],
  };
}

function closeEnough(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  // Relative, with an absolute floor so values that cancel to ~0 still compare.
  return Math.abs(x - y) <= RELATIVE_PRECISION * Math.max(1, Math.abs(x), Math.abs(y));
}

function rowsMatch(expected: Cell[], actual: Cell[], approximate: boolean[]): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((cell, i) => (approximate[i] ? closeEnough(cell, actual[i]) : cell === actual[i]));
}

const formatRow = (row: Cell[]) => `(${row.map((c) => (c === null ? 'NULL' : JSON.stringify(c))).join(', ')})`;

const SHOWN = 10;

function listRows(title: string, rows: Cell[][]): string {
  if (rows.length === 0) return '';
  const shown = rows.slice(0, SHOWN).map((r) => `    ${formatRow(r)}`);
  const more = rows.length > SHOWN ? [`    ... and ${rows.length - SHOWN} more`] : [];
  return [`  ${title} (${rows.length}):`, ...shown, ...more].join('\n');
}

/** What the two sides are called in a report. */
export interface Sides {
  expected: string;
  actual: string;
}
const ORACLE_AND_EDDY: Sides = { expected: 'PostgreSQL', actual: 'Eddy' };

/** Column names and types must agree: a client sees them before any row. */
export function diffColumns(expected: ResultSet, actual: ResultSet, sides = ORACLE_AND_EDDY): string | null {
  const show = (r: ResultSet) => r.columns.map((c) => `${c.name}:${c.typeOid}`).join(', ');
  return show(expected) === show(actual)
    ? null
    : `columns differ (name:type oid)\n  ${sides.expected}: ${show(expected)}\n  ${sides.actual}: ${show(actual)}`;
}

/** null when the rows agree, otherwise what is missing from and extra in the actual answer. */
export function diffRows(expected: ResultSet, actual: ResultSet, ordered: boolean, sides = ORACLE_AND_EDDY): string | null {
  const approximate = expected.columns.map((c) => APPROXIMATE.has(c.typeOid));
  if (ordered) return diffOrdered(expected.rows, actual.rows, approximate, sides);

  // Bucket Eddy's rows by their exactly-compared cells, then match approximate cells within a bucket.
  const exactKey = (row: Cell[]) => JSON.stringify(row.map((c, i) => (approximate[i] ? '' : c)));
  const buckets = new Map<string, Cell[][]>();
  for (const row of actual.rows) {
    const key = exactKey(row);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(row);
    else buckets.set(key, [row]);
  }
  const missing: Cell[][] = [];
  for (const row of expected.rows) {
    const bucket = buckets.get(exactKey(row));
    const at = bucket ? bucket.findIndex((candidate) => rowsMatch(row, candidate, approximate)) : -1;
    if (bucket && at >= 0) bucket.splice(at, 1);
    else missing.push(row);
  }
  const extra = [...buckets.values()].flat();
  if (missing.length === 0 && extra.length === 0) return null;
  return [
    `rows differ: ${sides.expected} has ${expected.rows.length}, ${sides.actual} has ${actual.rows.length}`,
    listRows(`missing from ${sides.actual}`, missing),
    listRows(`extra in ${sides.actual}`, extra),
  ]
    .filter(Boolean)
    .join('\n');
}

function diffOrdered(expected: Cell[][], actual: Cell[][], approximate: boolean[], sides: Sides): string | null {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e && a && rowsMatch(e, a, approximate)) continue;
    return [
      `ordered rows differ at position ${i} (${sides.expected} has ${expected.length} rows, ${sides.actual} has ${actual.length})`,
      `  ${sides.expected}: ${e ? formatRow(e) : '(no row)'}`,
      `  ${sides.actual}: ${a ? formatRow(a) : '(no row)'}`,
    ].join('\n');
  }
  return null;
}
