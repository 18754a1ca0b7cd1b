/**
 * The harness must be able to fail: PostgreSQL's own materialized views are never refreshed, so
 * used as the subject's views they go stale after the first round of DML, and the harness has to
 * say so for the views while the same queries run ad hoc still agree.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { freshDatabase, startPostgres } from '../support/postgres.js';
import { runDifferential } from './harness.js';
import { ALL_QUERIES, baseViews } from './queries/index.js';

test('stale views are reported with their round and rows; ad hoc answers still agree', async () => {
  const server = await startPostgres();
  const oracleDb = await freshDatabase(server.url, 'detect_oracle');
  const subjectDb = await freshDatabase(server.url, 'detect_subject');
  const oracle = new pg.Client({ connectionString: oracleDb.url });
  const subject = new pg.Client({ connectionString: subjectDb.url });
  await oracle.connect();
  await subject.connect();
  try {
    // Every round writes line_items at some point with near certainty over five rounds; a sum
    // over all of it then changes.
    const query = ALL_QUERIES.find((q) => q.id === 'aggregates/global-sum')!;
    const result = await runDifferential(
      oracle,
      { name: 'stale PostgreSQL', client: subject, viewKeyword: 'MATERIALIZED VIEW', visibilityTimeoutMs: 0 },
      { seed: 7, rounds: 5, queries: [query], baseViews },
    );
    assert.deepEqual(result.dmlFailures, []);
    assert.deepEqual(result.tableFailures, []);
    const failures = result.outcomes.get(query.id)!.failures;
    assert.equal(failures.length, 1, failures.join('\n'));
    assert.match(failures[0], /^view v_1 \(SELECT \* FROM it\) in round [1-5] \(seed 7\), after:\n/);
    assert.match(failures[0], /missing from stale PostgreSQL \(1\)/);
    assert.match(failures[0], /extra in stale PostgreSQL \(1\)/);
  } finally {
    await oracle.end();
    await subject.end();
    await oracleDb.drop();
    await subjectDb.drop();
    await server.stop();
  }
});
