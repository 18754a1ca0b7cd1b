/**
 * The sqllogictest file format (as sqllogictest-rs reads it), for Eddy's regression files:
 *
 *   statement ok | statement error [regex] | statement count N
 *   <sql, up to a blank line>
 *
 *   query <types: I T R ...> [nosort | rowsort | valuesort] [label]
 *   <sql>
 *   ----
 *   <expected rows, up to a blank line: values separated by spaces>
 *
 * plus `skipif <engine>` / `onlyif <engine>` before a record, `halt`, `hash-threshold n` (ignored),
 * and `#` comments. NULL is `NULL`, the empty string `(empty)`; R columns print with 3 decimals.
 */

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export type SltRecord =
  | { kind: 'statement'; line: number; sql: string; expect: { ok: true } | { ok: false; pattern: RegExp | null } | { count: number }; conditions: Condition[] }
  | { kind: 'query'; line: number; sql: string; types: string; sort: SortMode; expected: string[]; conditions: Condition[] }
  | { kind: 'halt'; line: number; conditions: Condition[] };

export interface Condition {
  only: boolean;
  engine: string;
}

export class SltSyntaxError extends Error {}

export function parseSlt(text: string, file: string): SltRecord[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const records: SltRecord[] = [];
  let conditions: Condition[] = [];
  let i = 0;
  /** The line (1-based) of the record being read, for errors. */
  let at = 0;
  const fail = (why: string): never => {
    throw new SltSyntaxError(`${file}:${at}: ${why}`);
  };
  /** Lines from i up to a blank line (or `----` when `stopAtDashes`). */
  const block = (stopAtDashes: boolean): string[] => {
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !(stopAtDashes && lines[i]!.trim() === '----')) out.push(lines[i++]!);
    return out;
  };
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const words = line.split(/\s+/);
    at = i + 1;
    i++;
    switch (words[0]) {
      case 'skipif':
      case 'onlyif':
        conditions.push({ only: words[0] === 'onlyif', engine: words[1] ?? fail('skipif/onlyif needs an engine name') });
        continue;
      case 'hash-threshold':
        continue;
      case 'halt':
        records.push({ kind: 'halt', line: at, conditions });
        break;
      case 'statement': {
        const expect =
          words[1] === 'ok'
            ? ({ ok: true } as const)
            : words[1] === 'error'
              ? ({ ok: false, pattern: words.length > 2 ? new RegExp(line.replace(/^statement\s+error\s+/, '')) : null } as const)
              : words[1] === 'count'
                ? { count: Number(words[2]) }
                : fail(`statement ok | error | count n, not "${line}"`);
        const sql = block(false).join('\n');
        if (sql === '') fail('a statement without SQL');
        records.push({ kind: 'statement', line: at, sql, expect, conditions });
        break;
      }
      case 'query': {
        const types = words[1] ?? fail('query needs its column types');
        if (!/^[ITRB]+$/.test(types)) fail(`unknown column types "${types}"`);
        const sort = (words[2] ?? 'nosort') as SortMode;
        if (!['nosort', 'rowsort', 'valuesort'].includes(sort)) fail(`unknown sort mode "${sort}"`);
        const sql = block(true).join('\n');
        if (sql === '') fail('a query without SQL');
        let expected: string[] = [];
        if (lines[i]?.trim() === '----') {
          i++;
          expected = block(false).map((l) => l.trim().split(/\s+/).join(' '));
        }
        records.push({ kind: 'query', line: at, sql, types, sort, expected, conditions });
        break;
      }
      default:
        fail(`unknown record "${words[0]}"`);
    }
    conditions = [];
  }
  return records;
}

/** Whether a record runs on `engine` under its skipif / onlyif conditions. */
export function runsOn(record: SltRecord, engine: string): boolean {
  return record.conditions.every((c) => (c.only ? c.engine === engine : c.engine !== engine));
}

/** One value as sqllogictest prints it, by its column type letter. */
export function formatSltValue(value: string | null, type: string): string {
  if (value === null) return 'NULL';
  if (type === 'R') return Number(value).toFixed(3);
  if (type === 'B') return value === 't' || value === 'true' ? 'true' : 'false';
  if (value === '') return '(empty)';
  return value.split(/\s+/).join(' ');
}

/** Result rows as the file writes them, sorted as the record asks. */
export function formatSltRows(rows: (string | null)[][], types: string, sort: SortMode): string[] {
  const formatted = rows.map((r) => r.map((v, i) => formatSltValue(v, types[i] ?? 'T')));
  if (sort === 'valuesort') return formatted.flat().sort();
  const lines = formatted.map((r) => r.join(' '));
  return sort === 'rowsort' ? lines.sort() : lines;
}
