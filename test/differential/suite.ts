/**
 * Registers the differential suite with node:test: one test per query (so the runner's summary
 * counts queries), plus the DML, table and setup checks every query depends on. The run itself
 * happens once, in `before`; each test then reports its query's outcome. The seed (see suiteSeed)
 * is in the suite's title and every failure: EDDY_DIFF_SEED=<seed> reproduces a run,
 * EDDY_DIFF_ROUNDS sets its length.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { freshDatabase, startPostgres, type PostgresHandle } from '../support/postgres.js';
import { suiteSeed } from './prng.js';
import { runDifferential, type DifferentialResult, type Subject } from './harness.js';
import { ALL_QUERIES, baseViews } from './queries/index.js';

export interface SubjectConnection {
  subject: Subject;
  close(): Promise<void>;
}

export function differentialSuite(title: string, opts: { rounds: number; connect(oracleServerUrl: string): Promise<SubjectConnection> }): void {
  const seed = suiteSeed();
  const rounds = process.env.EDDY_DIFF_ROUNDS ? Number(process.env.EDDY_DIFF_ROUNDS) : opts.rounds;
  // EDDY_DIFF_ONLY=<id prefix>: only the queries whose id starts with it (while working on a family).
  const only = process.env.EDDY_DIFF_ONLY;
  const queries = only ? ALL_QUERIES.filter((q) => q.id.startsWith(only)) : ALL_QUERIES;

  describe(`${title} (seed ${seed}, ${rounds} rounds${only ? `, only ${only}` : ''})`, () => {
    let server: PostgresHandle | undefined;
    let database: { url: string; drop(): Promise<void> } | undefined;
    let oracle: pg.Client | undefined;
    let connection: SubjectConnection | undefined;
    let result: DifferentialResult;

    before(
      async () => {
        server = await startPostgres();
        database = await freshDatabase(server.url, 'diff');
        oracle = new pg.Client({ connectionString: database.url });
        await oracle.connect();
        connection = await opts.connect(server.url);
        result = await runDifferential(oracle, connection.subject, {
          seed,
          rounds,
          queries,
          baseViews,
          log: (line) => process.stdout.write(`${title}: ${line}\n`),
        });
      },
      { timeout: 45 * 60_000 },
    );

    after(async () => {
      await connection?.close();
      await oracle?.end();
      await database?.drop();
      await server?.stop();
    });

    const none = (what: string, failures: string[]) => {
      if (failures.length > 0) assert.fail(`${what} (seed ${seed}):\n${failures.join('\n')}`);
    };
    test('base views are created', () => none('base views refused', result.setupFailures));
    test('every DML statement is accepted and affects the same rows', () => none('DML differs', result.dmlFailures));
    test('tables agree after every round', () => none('tables differ', result.tableFailures));

    for (const query of queries) {
      test(query.id, () => {
        const outcome = result.outcomes.get(query.id)!;
        if (outcome.failures.length > 0) {
          assert.fail(`${query.id} (seed ${seed})\n  ${query.sql}\n${outcome.failures.map((f) => `- ${f}`).join('\n')}`);
        }
      });
    }
  });
}
