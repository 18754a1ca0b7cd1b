/**
 * statement_timeout: a SELECT that computes for too long and statements that wait (FETCH from a
 * SUBSCRIBE cursor, a bare SUBSCRIBE, COPY (SUBSCRIBE ...)) end with 57014 "canceling statement
 * due to statement timeout"; the session, its transaction rules and the shared dataflow carry on.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
  const c = await eddy.client();
  await c.query('CREATE TABLE items (id int, qty int)');
  await c.query('INSERT INTO items VALUES (1, 5), (2, 7)');
  await c.query('CREATE MATERIALIZED VIEW total AS SELECT sum(qty) AS s FROM items');
  await c.end();
});
after(async () => {
  await eddy.stop();
});

/** Big enough to run for seconds (a cross join of 3000 x 3000 rows), so a 200 ms limit must cut it. */
const SLOW_SELECT = 'SELECT count(*) AS n FROM generate_series(1, 3000) a, generate_series(1, 3000) b WHERE a.a + b.b > 0';

async function timedOut(run: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await assert.rejects(run, (err: { code?: string; message: string }) => {
    assert.equal(err.code, '57014');
    assert.equal(err.message, 'canceling statement due to statement timeout');
    return true;
  });
  return Date.now() - started;
}

test('SET statement_timeout takes milliseconds or units and SHOW prints it as PostgreSQL does', async () => {
  const c = await eddy.client();
  const shown = async (value: string) => {
    await c.query(`SET statement_timeout = ${value}`);
    return (await c.query('SHOW statement_timeout')).rows[0].statement_timeout;
  };
  assert.equal(await shown('1500'), '1500ms');
  assert.equal(await shown(`'5s'`), '5s');
  assert.equal(await shown(`'2min'`), '2min');
  assert.equal(await shown('0'), '0');
  await assert.rejects(c.query(`SET statement_timeout = 'soon'`), { code: '22023' });
  await c.end();
});

test('a long SELECT ends with 57014 near its statement_timeout and the session goes on', async () => {
  const c = await eddy.client();
  // Without a limit the same shape of query answers (smaller, to stay quick).
  assert.deepEqual((await c.query('SELECT count(*)::int AS n FROM generate_series(1, 300) a, generate_series(1, 300) b')).rows, [{ n: 90_000 }]);
  await c.query(`SET statement_timeout = '200ms'`);
  const elapsed = await timedOut(c.query(SLOW_SELECT));
  console.log(`# SELECT cut by a 200 ms statement_timeout after ${elapsed} ms`);
  assert.ok(elapsed < 2000, `stopped well before the query's own end: ${elapsed} ms`);
  assert.deepEqual((await c.query('SELECT 1 AS v')).rows, [{ v: 1 }]);
  // Inside a transaction block the timeout fails the block, as any error does.
  await c.query('BEGIN');
  await timedOut(c.query(SLOW_SELECT));
  await assert.rejects(c.query('SELECT 1'), { code: '25P02' });
  await c.query('ROLLBACK');
  // The extended protocol too (a parameter makes node pg use it).
  await timedOut(c.query('SELECT count(*) FROM generate_series(1, 3000) a, generate_series(1, $1::int) b', [3000]));
  await c.end();
});

test('waiting statements end with 57014 at statement_timeout: FETCH, SUBSCRIBE, COPY (SUBSCRIBE)', async () => {
  const c = await eddy.client();
  await c.query(`SET statement_timeout = '300ms'`);
  await c.query('BEGIN');
  await c.query('DECLARE c CURSOR FOR SUBSCRIBE items WITH (SNAPSHOT = false)');
  const fetchWaited = await timedOut(c.query('FETCH ALL c'));
  assert.ok(fetchWaited >= 250, `FETCH waited for the limit first: ${fetchWaited} ms`);
  await c.query('ROLLBACK');
  const subscribeWaited = await timedOut(c.query('SUBSCRIBE items'));
  const copyWaited = await timedOut(c.query('COPY (SUBSCRIBE total) TO STDOUT'));
  console.log(`# 300 ms statement_timeout: FETCH ended after ${fetchWaited} ms, SUBSCRIBE ${subscribeWaited} ms, COPY (SUBSCRIBE) ${copyWaited} ms`);
  assert.ok(subscribeWaited >= 250 && copyWaited >= 250);
  // A FETCH with its own shorter TIMEOUT returns normally before statement_timeout.
  await c.query('BEGIN');
  await c.query('DECLARE d CURSOR FOR SUBSCRIBE items WITH (SNAPSHOT = false)');
  assert.deepEqual((await c.query(`FETCH ALL d WITH (TIMEOUT = '50ms')`)).rows, []);
  await c.query('COMMIT');
  await c.end();
});

test('timeouts leave the shared dataflow intact: the view keeps updating and no subscription is left behind', async () => {
  const listeners = eddy.database.dataflow.cycleListenerCount;
  const c = await eddy.client();
  await c.query(`SET statement_timeout = '100ms'`);
  await timedOut(c.query('SUBSCRIBE total'));
  await waitFor(() => eddy.database.dataflow.cycleListenerCount === listeners, { message: 'the timed-out subscription removed' });
  await c.query('INSERT INTO items VALUES (3, 100)');
  assert.deepEqual((await c.query('SELECT s::int AS s FROM total')).rows, [{ s: 112 }]);
  await c.query('DELETE FROM items WHERE id = 3');
  await c.end();
});
