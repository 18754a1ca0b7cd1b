/**
 * Everything created survives a restart: after restart() on the same data dir, Eddy lists the
 * same tables and views, every table and view holds the same rows, and the views go on being
 * maintained (checked against PostgreSQL after more DML).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { diffRows, runQuery, type ResultSet, type Sides } from '../differential/compare.js';
import { initialLoad, KeyAllocator, roundStatements } from '../differential/dml.js';
import { Prng, suiteSeed } from '../differential/prng.js';
import { ALL_QUERIES, baseViews } from '../differential/queries/index.js';
import { TABLES, type KeySets } from '../differential/schema.js';
import { startEddy, waitFor } from '../support/eddy.js';
import { freshDatabase, startPostgres } from '../support/postgres.js';

// Every query of the differential suite: each shape's stored definition must come back whole.
const VIEWS = ALL_QUERIES.map((q, i) => ({ name: `rv_${i + 1}`, ...q }));
const LISTINGS = ['SHOW TABLES', 'SHOW VIEWS', 'SHOW MATERIALIZED VIEWS'];

type Snapshot = Map<string, ResultSet>;

/** Every relation's rows, and with `listings` Eddy's catalog listings (PostgreSQL has no SHOW TABLES). */
async function snapshot(client: pg.Client, listings: boolean): Promise<Snapshot> {
  const result: Snapshot = new Map();
  const relations = [...TABLES.map((t) => t.name), ...baseViews.map((v) => v.name), ...VIEWS.map((v) => v.name)];
  for (const sql of [...(listings ? LISTINGS : []), ...relations.map((r) => `SELECT * FROM ${r}`)]) {
    result.set(sql, await runQuery(client, sql));
  }
  return result;
}

/** null when `actual` holds every statement's rows of `expected`; its extra entries are ignored. */
function diffSnapshots(expected: Snapshot, actual: Snapshot, sides: Sides): string | null {
  const problems: string[] = [];
  for (const [sql, rows] of expected) {
    const now = actual.get(sql);
    const diff = now ? diffRows(rows, now, false, sides) : `missing from ${sides.actual}`;
    if (diff) problems.push(`${sql}: ${diff}`);
  }
  return problems.length > 0 ? problems.join('\n') : null;
}

const ORACLE = { expected: 'PostgreSQL', actual: 'Eddy' };
const ACROSS_RESTART = { expected: 'before restart', actual: 'after restart' };

test('tables, views and their contents are identical after a restart, and views stay live', { timeout: 10 * 60_000 }, async () => {
  const seed = suiteSeed();
  const rng = new Prng(seed);
  const server = await startPostgres();
  const database = await freshDatabase(server.url, 'restart');
  const oracle = new pg.Client({ connectionString: database.url });
  await oracle.connect();
  const eddy = await startEddy();
  try {
    let client = await eddy.client();
    const both = async (sql: string) => {
      await oracle.query(sql);
      await client.query(sql).catch((err: Error) => assert.fail(`Eddy refused ${sql}: ${err.message} (seed ${seed})`));
    };
    for (const t of TABLES) await both(t.ddl);
    for (const sql of initialLoad(rng)) await both(sql);
    for (const v of baseViews) {
      await oracle.query(`CREATE VIEW ${v.name} AS ${v.sql}`);
      await client.query(`CREATE ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name} AS ${v.sql}`);
    }
    for (const v of VIEWS) {
      await oracle.query(`CREATE VIEW ${v.name} AS ${v.sql}`);
      await client
        .query(`CREATE MATERIALIZED VIEW ${v.name} AS ${v.sql}`)
        .catch((err: Error) => assert.fail(`Eddy refused view ${v.id}: ${err.message}\n  ${v.sql}`));
    }
    const keysOf = async (): Promise<KeySets> => {
      const keys = {} as KeySets;
      for (const t of TABLES) keys[t.name] = (await oracle.query(`SELECT id FROM ${t.name}`)).rows.map((r) => Number(r.id));
      return keys;
    };
    const allocator = new KeyAllocator(await keysOf());
    const round = async () => {
      for (const statement of roundStatements(rng, await keysOf(), allocator)) await both(statement.sql);
    };
    await round();
    await round();

    // Each wait keeps the last difference (or error) so a timeout reports what was wrong.
    let lastDiff: string | null = null;
    const agrees = async (compare: () => Promise<string | null>) => {
      try {
        lastDiff = await compare();
      } catch (err) {
        lastDiff = `query failed: ${(err as Error).message}`;
      }
      return lastDiff === null;
    };
    const settle = (what: string, timeoutMs: number, compare: () => Promise<string | null>) =>
      waitFor(() => agrees(compare), { timeoutMs, message: what }).catch(() => assert.fail(`${what} (seed ${seed}):\n${lastDiff}`));

    // What PostgreSQL says now is what Eddy must hold before and after the restart.
    const expected = await snapshot(oracle, false);
    let before: Snapshot = new Map();
    await settle('Eddy agrees with PostgreSQL before the restart', 10_000, async () => {
      before = await snapshot(client, true);
      return diffSnapshots(expected, before, ORACLE);
    });

    await eddy.restart();
    client = await eddy.client();
    await settle('the restarted server holds what it held before', 30_000, async () =>
      diffSnapshots(before, await snapshot(client, true), ACROSS_RESTART),
    );

    // Restored views are live: more DML, then every view again equals PostgreSQL's answer.
    await round();
    const expectedAfter = await snapshot(oracle, false);
    await settle('views follow DML after the restart', 10_000, async () =>
      diffSnapshots(expectedAfter, await snapshot(client, false), ORACLE),
    );
  } finally {
    await eddy.stop();
    await oracle.end();
    await database.drop();
    await server.stop();
  }
});

/** Creates and fills a table, then checks `select` gives `expected` before and after a restart. */
async function survivesRestart(setup: string[], select: string, expected: unknown[]): Promise<void> {
  const eddy = await startEddy();
  try {
    const rows = async () => (await (await eddy.client()).query(select)).rows;
    const client = await eddy.client();
    for (const sql of setup) await client.query(sql);
    assert.deepEqual(await rows(), expected);
    await eddy.restart();
    assert.deepEqual(await rows(), expected);
  } finally {
    await eddy.stop();
  }
}

test('array columns are stored and read back whole, before and after a restart', async () => {
  await survivesRestart(
    ['CREATE TABLE arrs (id int, a int4[], t text[], n numeric[])', `INSERT INTO arrs VALUES (1, '{1,NULL,-3}', '{"a b",NULL,""}', '{1.50,NaN}'), (2, '[0:1]={7,8}', '{}', NULL)`],
    'SELECT id, a::text AS a, t::text AS t, n::text AS n FROM arrs ORDER BY id',
    [
      { id: 1, a: '{1,NULL,-3}', t: '{"a b",NULL,""}', n: '{1.50,NaN}' },
      { id: 2, a: '[0:1]={7,8}', t: '{}', n: null },
    ],
  );
});

test('json keeps its text and jsonb its exact numbers across a restart', async () => {
  await survivesRestart(
    ['CREATE TABLE docs (id int, js json, jb jsonb)', `INSERT INTO docs VALUES (1, '{"n": 1e400,  "a": [1.50]}', '{"n": 12345678901234567890, "x": 1.50}'), (2, '"s"', 'null')`],
    'SELECT js::text AS js, jb::text AS jb FROM docs ORDER BY id',
    [
      { js: '{"n": 1e400,  "a": [1.50]}', jb: '{"n": 12345678901234567890, "x": 1.50}' },
      { js: '"s"', jb: 'null' },
    ],
  );
});
