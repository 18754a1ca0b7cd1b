/**
 * The differential run: the same tables, data and random DML in PostgreSQL (the oracle) and in a
 * subject (Eddy, or a second PostgreSQL database when the suite checks itself). Every query is a
 * view in the subject; after each round of DML every view must hold what PostgreSQL answers for
 * its query, and the query run ad hoc on the subject (simple protocol in even rounds, a reused
 * prepared statement in odd ones) must answer the same.
 */
import { loadModule, parseSync } from 'libpg-query';
import type pg from 'pg';
import { diffColumns, diffRows, runQuery, type ResultSet } from './compare.js';
import { describeStatement, initialLoad, KeyAllocator, roundStatements, type DmlStatement } from './dml.js';
import { Prng } from './prng.js';
import type { DiffQuery } from './query.js';
import type { BaseView } from './queries/views.js';
import { TABLES, type KeySets } from './schema.js';

await loadModule();

export interface Subject {
  /** For messages: "Eddy", or which PostgreSQL database. */
  name: string;
  client: pg.Client;
  /** Eddy maintains views incrementally; PostgreSQL's own materialized views would go stale. */
  viewKeyword: 'MATERIALIZED VIEW' | 'VIEW';
  /** How long a table write may take to become visible to the subject's reads. */
  visibilityTimeoutMs: number;
  /**
   * The initial load in another order, so the subject's physical row order differs from the
   * oracle's: an ORDER BY that is not total then shows up as a difference.
   */
  reverseLoad?: boolean;
}

export interface DifferentialOptions {
  seed: number;
  rounds: number;
  queries: DiffQuery[];
  baseViews: BaseView[];
  log?: (line: string) => void;
}

export interface QueryOutcome {
  query: DiffQuery;
  viewName: string;
  /** Every way this query failed, each once (a failing view or ad hoc query is not re-checked). */
  failures: string[];
}

export interface DifferentialResult {
  outcomes: Map<string, QueryOutcome>;
  /** Setup statements (base views) the subject refused. */
  setupFailures: string[];
  /** DML the subject refused or counted differently. */
  dmlFailures: string[];
  /** Tables whose contents differed after a round. */
  tableFailures: string[];
}

const describeError = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code} ${e.message}` : String(e.message ?? err);
};

/** True when the query's own top-level ORDER BY makes row order part of its answer. */
function isOrdered(sql: string): boolean {
  const stmt = parseSync(sql).stmts[0]?.stmt as { SelectStmt?: { sortClause?: unknown[] } } | undefined;
  return (stmt?.SelectStmt?.sortClause?.length ?? 0) > 0;
}

async function readKeys(oracle: pg.Client): Promise<KeySets> {
  const keys = {} as KeySets;
  for (const t of TABLES) {
    const result = await oracle.query(`SELECT id FROM ${t.name}`);
    keys[t.name] = result.rows.map((r: { id: string | number }) => Number(r.id));
  }
  return keys;
}

export async function runDifferential(oracle: pg.Client, subject: Subject, opts: DifferentialOptions): Promise<DifferentialResult> {
  const log = opts.log ?? (() => {});
  const rng = new Prng(opts.seed);
  const result: DifferentialResult = { outcomes: new Map(), setupFailures: [], dmlFailures: [], tableFailures: [] };
  const sub = subject.client;

  // Tables and their first rows: the subject refusing these is fatal, nothing else can be tested.
  const load = initialLoad(rng);
  for (const t of TABLES) {
    await oracle.query(t.ddl);
    await sub.query(t.ddl).catch((err) => {
      throw new Error(`${subject.name} refused the suite's table: ${describeError(err)}\n${t.ddl}`);
    });
  }
  for (const sql of load) await oracle.query(sql);
  for (const sql of subject.reverseLoad ? [...load].reverse() : load) {
    await sub.query(sql).catch((err) => {
      throw new Error(`${subject.name} refused the initial load: ${describeError(err)}\n${sql}`);
    });
  }

  for (const v of opts.baseViews) {
    await oracle.query(`CREATE VIEW ${v.name} AS ${v.sql}`);
    const ddl = `CREATE ${v.materialized && subject.viewKeyword === 'MATERIALIZED VIEW' ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name} AS ${v.sql}`;
    await sub.query(ddl).catch((err) => result.setupFailures.push(`${describeError(err)}\n  ${ddl}`));
  }

  interface Check {
    outcome: QueryOutcome;
    ordered: boolean;
    viewAlive: boolean;
    adhocAlive: boolean;
  }
  const checks: Check[] = [];
  for (const [i, query] of opts.queries.entries()) {
    const outcome: QueryOutcome = { query, viewName: `v_${i + 1}`, failures: [] };
    result.outcomes.set(query.id, outcome);
    const check: Check = { outcome, ordered: isOrdered(query.sql), viewAlive: true, adhocAlive: true };
    checks.push(check);
    try {
      await oracle.query(query.sql);
    } catch (err) {
      outcome.failures.push(`the suite's query is invalid on PostgreSQL: ${describeError(err)}`);
      check.viewAlive = check.adhocAlive = false;
      continue;
    }
    try {
      await sub.query(`CREATE ${subject.viewKeyword} ${outcome.viewName} AS ${query.sql}`);
    } catch (err) {
      outcome.failures.push(`${subject.name} refused CREATE ${subject.viewKeyword}: ${describeError(err)}`);
      check.viewAlive = false;
    }
  }
  log(`created ${checks.filter((c) => c.viewAlive).length} of ${checks.length} views in ${subject.name}`);

  const compareAll = async (round: number, statements: DmlStatement[]) => {
    const context = () =>
      `round ${round} (seed ${opts.seed})` +
      (statements.length > 0 ? `, after:\n${statements.map((s) => `      ${describeStatement(s)}`).join('\n')}` : '');
    for (const check of checks) {
      if (!check.viewAlive && !check.adhocAlive) continue;
      const { outcome } = check;
      const expected = await runQuery(oracle, outcome.query.sql).catch((err: Error) => err);
      if (expected instanceof Error) {
        outcome.failures.push(`PostgreSQL failed the query in ${context()}: ${describeError(expected)}`);
        check.viewAlive = check.adhocAlive = false;
        continue;
      }
      if (check.viewAlive) {
        const problem = await compareOne(subject, `SELECT * FROM ${outcome.viewName}`, expected, false);
        if (problem) {
          outcome.failures.push(`view ${outcome.viewName} (SELECT * FROM it) in ${context()}:\n${problem}`);
          check.viewAlive = false;
        }
      }
      if (check.adhocAlive) {
        // Odd rounds go through the extended protocol, re-executing one prepared statement per
        // query: its typing must match, and a statement prepared rounds ago must see new data.
        const prepared = round % 2 === 1 ? `diff_${outcome.viewName}` : undefined;
        const problem = await compareOne(subject, outcome.query.sql, expected, check.ordered, prepared);
        if (problem) {
          const how = prepared ? `prepared statement ${prepared} (extended protocol)` : 'ad hoc query';
          outcome.failures.push(`${how} in ${context()}:\n${problem}`);
          check.adhocAlive = false;
        }
      }
    }
  };

  await compareAll(0, []);
  let keys = await readKeys(oracle);
  const allocator = new KeyAllocator(keys);
  for (let round = 1; round <= opts.rounds; round++) {
    const statements = roundStatements(rng, keys, allocator);
    // Some rounds go as one multi-statement query string: several writes land in one update
    // cycle, and the statement splitter and implicit transaction are exercised.
    const batched = rng.chance(0.25);
    const requests: DmlStatement[] = batched ? [{ sql: statements.map((s) => s.sql).join(';\n') }] : statements;
    for (const statement of requests) {
      const request = statement.params ?? statement.sql;
      const shown = describeStatement(statement);
      const expected = await oracle.query(request).catch((err) => {
        throw new Error(`the suite generated DML that PostgreSQL refuses (seed ${opts.seed}, round ${round}): ${describeError(err)}\n${shown}`);
      });
      try {
        const actual = await sub.query(request);
        const counts = (r: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(r) ? r : [r]).map((x) => x.rowCount).join(', ');
        if (counts(actual) !== counts(expected)) {
          result.dmlFailures.push(`round ${round}: ${shown}\n  PostgreSQL affected ${counts(expected)} rows, ${subject.name} ${counts(actual)}`);
        }
      } catch (err) {
        result.dmlFailures.push(`round ${round}: ${subject.name} refused ${shown}\n  ${describeError(err)}`);
      }
    }
    keys = await readKeys(oracle);
    await awaitTables(oracle, subject, round, result);
    await compareAll(round, statements);
    const failing = checks.filter((c) => !c.viewAlive || !c.adhocAlive).length;
    log(`round ${round}/${opts.rounds}: ${statements.length} statements, ${failing} queries failing so far`);
  }
  return result;
}

async function compareOne(
  subject: Subject,
  sql: string,
  expected: ResultSet,
  ordered: boolean,
  preparedName?: string,
): Promise<string | null> {
  let actual: ResultSet;
  try {
    actual = await runQuery(subject.client, sql, preparedName);
  } catch (err) {
    return `  query failed: ${describeError(err)}`;
  }
  const sides = { expected: 'PostgreSQL', actual: subject.name };
  return diffColumns(expected, actual, sides) ?? diffRows(expected, actual, ordered, sides);
}

/**
 * A barrier: waits until the subject's tables show this round's writes. Reads see every view
 * at one update cycle, so once the tables agree the views must too, and are read just once.
 */
async function awaitTables(oracle: pg.Client, subject: Subject, round: number, result: DifferentialResult): Promise<void> {
  const deadline = Date.now() + subject.visibilityTimeoutMs;
  for (const t of TABLES) {
    if (result.tableFailures.some((f) => f.startsWith(`${t.name}:`))) continue;
    const sql = `SELECT * FROM ${t.name}`;
    const expected = await runQuery(oracle, sql);
    for (;;) {
      const problem = await compareOne(subject, sql, expected, false);
      if (!problem) break;
      if (Date.now() > deadline) {
        result.tableFailures.push(`${t.name}: differs after round ${round}:\n${problem}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
