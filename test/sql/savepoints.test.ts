/**
 * SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT (SQLAlchemy with psycopg opens one at
 * connect; psycopg's nested transaction() uses them), run step by step on Eddy and on a real
 * PostgreSQL: every statement's rows or SQLSTATE and the transaction status must be the same.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddyAndPostgres, type EddyAndPostgres } from '../support/eddy-and-postgres.js';

let sides: EddyAndPostgres;
let e: pg.Client;
let p: pg.Client;

before(async () => {
  sides = await startEddyAndPostgres('savepoints');
  ({ e, p } = sides);
  for (const c of [e, p]) await c.query('CREATE TABLE sp (x int)');
});
after(async () => {
  await sides?.stop();
});

async function outcome(c: pg.Client, sql: string): Promise<unknown> {
  try {
    const r = await c.query(sql);
    return { command: r.command, rows: r.rows };
  } catch (err) {
    return { code: (err as { code?: string }).code };
  }
}

async function sameSteps(steps: string[]): Promise<void> {
  for (const sql of steps) {
    assert.deepEqual(await outcome(e, sql), await outcome(p, sql), sql);
  }
}

const ROWS = 'SELECT x FROM sp ORDER BY x';

test('ROLLBACK TO undoes the writes and settings since the savepoint and keeps the ones before', async () => {
  await sameSteps([
    'BEGIN', 'INSERT INTO sp VALUES (1)', 'SAVEPOINT a', 'INSERT INTO sp VALUES (2)', "SET application_name = 'inner'",
    'SAVEPOINT b', 'INSERT INTO sp VALUES (3)', ROWS, 'ROLLBACK TO SAVEPOINT a', ROWS, 'SHOW application_name',
    // The savepoint survives its own ROLLBACK TO; b, made after it, does not.
    'INSERT INTO sp VALUES (4)', 'ROLLBACK TO a', ROWS, 'RELEASE SAVEPOINT b', 'ROLLBACK', 'COMMIT', ROWS,
  ]);
});

test('ROLLBACK TO recovers a failed block; RELEASE keeps the changes; COMMIT writes them', async () => {
  await sameSteps([
    'BEGIN', 'INSERT INTO sp VALUES (10)', 'SAVEPOINT s', 'SELECT 1/0', 'SELECT 1', 'SAVEPOINT t', 'ROLLBACK TO SAVEPOINT s',
    'SELECT 1 AS ok', 'SAVEPOINT r', 'INSERT INTO sp VALUES (11)', 'RELEASE r', 'ROLLBACK TO r', 'COMMIT', ROWS,
  ]);
});

test('savepoints outside a block, unknown names, a name used twice', async () => {
  await sameSteps([
    'SAVEPOINT nowhere', 'RELEASE SAVEPOINT nowhere', 'ROLLBACK TO SAVEPOINT nowhere',
    'BEGIN', 'SAVEPOINT d', 'INSERT INTO sp VALUES (20)', 'SAVEPOINT d', 'INSERT INTO sp VALUES (21)', 'ROLLBACK TO d', ROWS,
    'RELEASE d', 'ROLLBACK TO d', 'RELEASE d', 'RELEASE d', 'ROLLBACK',
  ]);
});
