/**
 * Runs sqllogictest records over the wire (node pg, results as the server's text).
 *
 * - runSlt: the plain mode, against one server (Eddy, or PostgreSQL to check a file itself).
 * - runSltMaintained: Eddy and a PostgreSQL side by side. Statements run on both; each query
 *   becomes a materialized view in Eddy (its expected rows checked at once), and after every
 *   later statement that succeeds, every such view is compared with the query's answer in
 *   PostgreSQL at that point: the views must stay right while the tables change under them.
 *   A query Eddy cannot maintain is counted apart, never as a pass.
 */
import pg from 'pg';
import { formatSltRows, runsOn, type SltRecord } from './slt-format.js';

export interface SltFailure {
  line: number;
  message: string;
}

export interface SltReport {
  /** Records that ran (statements and queries; in maintained mode also each view check). */
  ran: number;
  passed: number;
  failures: SltFailure[];
  /** Maintained mode: queries Eddy could not make into a view (with why). */
  notMaintainable: SltFailure[];
}

const rawText = { getTypeParser: () => (text: string) => text };

async function rows(client: pg.Client, sql: string): Promise<(string | null)[][]> {
  const result = await client.query({ text: sql, rowMode: 'array', types: rawText as never });
  // A multi-statement string yields one result per statement: the last one is the answer.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as (string | null)[][];
}

/** Checks one statement record against what the server did; null when it behaved as expected. */
async function statement(client: pg.Client, r: Extract<SltRecord, { kind: 'statement' }>): Promise<string | null> {
  try {
    const result = await client.query(r.sql);
    const last = Array.isArray(result) ? result.at(-1) : result;
    if ('count' in r.expect && last?.rowCount !== r.expect.count) return `expected count ${r.expect.count}, got ${last?.rowCount}`;
    if ('ok' in r.expect && !r.expect.ok) return 'expected an error, the statement succeeded';
    return null;
  } catch (err) {
    const message = (err as Error).message;
    if ('ok' in r.expect && !r.expect.ok) return r.expect.pattern && !r.expect.pattern.test(message) ? `error "${message}" does not match ${r.expect.pattern}` : null;
    return `statement failed: ${message}`;
  }
}

function compare(expected: string[], got: string[]): string | null {
  if (expected.length === got.length && expected.every((l, i) => l === got[i])) return null;
  return `expected:\n    ${expected.join('\n    ')}\n  got:\n    ${got.join('\n    ')}`;
}

async function query(client: pg.Client, r: Extract<SltRecord, { kind: 'query' }>): Promise<string | null> {
  try {
    return compare(r.expected, formatSltRows(await rows(client, r.sql), r.types, r.sort));
  } catch (err) {
    return `query failed: ${(err as Error).message}`;
  }
}

export async function runSlt(records: SltRecord[], client: pg.Client, engine: string): Promise<SltReport> {
  const report: SltReport = { ran: 0, passed: 0, failures: [], notMaintainable: [] };
  for (const r of records) {
    if (!runsOn(r, engine)) continue;
    if (r.kind === 'halt') break;
    report.ran++;
    const failure = r.kind === 'statement' ? await statement(client, r) : await query(client, r);
    if (failure === null) report.passed++;
    else report.failures.push({ line: r.line, message: failure });
  }
  return report;
}

interface MaintainedView {
  name: string;
  record: Extract<SltRecord, { kind: 'query' }>;
}

export async function runSltMaintained(records: SltRecord[], eddy: pg.Client, oracle: pg.Client): Promise<SltReport> {
  const report: SltReport = { ran: 0, passed: 0, failures: [], notMaintainable: [] };
  const views: MaintainedView[] = [];
  const check = (line: number, failure: string | null) => {
    report.ran++;
    if (failure === null) report.passed++;
    else report.failures.push({ line, message: failure });
  };
  const dropViews = async () => {
    for (const v of views.splice(0)) await eddy.query(`DROP MATERIALIZED VIEW IF EXISTS ${v.name}`);
  };
  for (const r of records) {
    if (!runsOn(r, 'eddy') || !runsOn(r, 'postgresql')) continue;
    if (r.kind === 'halt') break;
    if (r.kind === 'query') {
      const name = `slt_view_${r.line}`;
      try {
        await eddy.query(`CREATE MATERIALIZED VIEW ${name} AS ${r.sql.replace(/;\s*$/, '')}`);
      } catch (err) {
        report.notMaintainable.push({ line: r.line, message: (err as Error).message });
        continue;
      }
      views.push({ name, record: r });
      // A view has no order: its rows are compared sorted.
      const sort = r.sort === 'nosort' ? 'rowsort' : r.sort;
      const want = r.sort === 'nosort' ? [...r.expected].sort() : r.expected;
      check(r.line, compare(want, formatSltRows(await rows(eddy, `SELECT * FROM ${name}`), r.types, sort)));
      continue;
    }
    // Schema changes would be refused while views depend on the tables: the views end first.
    if (/^\s*(drop|alter)\b/i.test(r.sql)) await dropViews();
    const failure = await statement(eddy, r);
    check(r.line, failure);
    await oracle.query(r.sql).catch(() => {});
    if (failure !== null) continue;
    for (const v of views) {
      const sort = v.record.sort === 'nosort' ? 'rowsort' : v.record.sort;
      const want = formatSltRows(await rows(oracle, v.record.sql), v.record.types, sort);
      const got = formatSltRows(await rows(eddy, `SELECT * FROM ${v.name}`), v.record.types, sort);
      const diff = compare(want, got);
      check(v.record.line, diff && `the view of line ${v.record.line} after the statement at line ${r.line}:\n  ${diff}`);
    }
  }
  await dropViews();
  return report;
}

export function printReport(label: string, report: SltReport): void {
  for (const f of report.failures) console.log(`FAIL ${label}:${f.line}\n  ${f.message}`);
  const rate = report.ran === 0 ? 100 : (100 * report.passed) / report.ran;
  const apart = report.notMaintainable.length > 0 ? `, ${report.notMaintainable.length} queries not maintainable` : '';
  console.log(`${label}: ${report.passed}/${report.ran} passed (${rate.toFixed(1)}%)${apart}`);
}
