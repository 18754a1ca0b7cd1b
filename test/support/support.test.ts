/** The test infrastructure itself: the PostgreSQL oracle, Eddy in-process, and waitFor. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { startEddy } from './eddy.js';
import { freshDatabase, startPostgres, startPostgresCluster } from './postgres.js';
import { waitFor } from './wait.js';

test('startPostgres gives a server with C collation in UTC, and fresh databases are isolated', async () => {
  const server = await startPostgres();
  const a = await freshDatabase(server.url, 'support');
  const b = await freshDatabase(server.url, 'support');
  const ca = new pg.Client({ connectionString: a.url });
  const cb = new pg.Client({ connectionString: b.url });
  await ca.connect();
  await cb.connect();
  try {
    await ca.query('CREATE TABLE t (x int)');
    await assert.rejects(cb.query('SELECT * FROM t'), { code: '42P01' });
    const settings = await ca.query(`SELECT current_setting('TimeZone') AS tz, 'é' > 'z' AND 'B' < 'a' AS codepoint_order, upper('é') AS up`);
    assert.deepEqual(settings.rows[0], { tz: 'UTC', codepoint_order: true, up: 'É' });
  } finally {
    await ca.end();
    await cb.end();
    await a.drop();
    await b.drop();
    await server.stop();
  }
});

test('a throwaway cluster is gone after stop()', async () => {
  const server = await startPostgresCluster({ stopOnExit: true });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const dataDir = (await client.query(`SELECT current_setting('data_directory') AS d`)).rows[0].d as string;
  await client.end();
  assert.ok(existsSync(dataDir));
  await server.stop();
  assert.ok(!existsSync(dataDir));
  await assert.rejects(async () => {
    const c = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
    } finally {
      await c.end().catch(() => {});
    }
  });
});

test('waitFor returns the first truthy value, retrying through errors', async () => {
  let calls = 0;
  const value = await waitFor(
    () => {
      calls++;
      if (calls < 3) throw new Error('not yet');
      return calls === 4 ? 'done' : null;
    },
    { timeoutMs: 5_000, intervalMs: 1 },
  );
  assert.equal(value, 'done');
  assert.equal(calls, 4);
});

test('waitFor times out naming what it awaited and the last error', async () => {
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('still broken');
      },
      { timeoutMs: 50, intervalMs: 5, message: 'the answer' },
    ),
    /timed out after 50 ms waiting for the answer; last error: still broken/,
  );
});

test('startEddy serves SQL over the wire, and restart() keeps the data dir', async () => {
  const eddy = await startEddy();
  try {
    const client = await eddy.client();
    assert.equal((await client.query('SELECT 1 + 1 AS two')).rows[0].two, 2);
    await client.query('CREATE TABLE kept (id int PRIMARY KEY, label text)');
    await client.query(`INSERT INTO kept VALUES (1, 'one')`);
    const dataDir = eddy.dataDir;
    await eddy.restart();
    assert.equal(eddy.dataDir, dataDir);
    const again = await eddy.client();
    assert.deepEqual((await again.query('SELECT id, label FROM kept')).rows, [{ id: 1, label: 'one' }]);
  } finally {
    await eddy.stop();
  }
  assert.ok(!existsSync(eddy.dataDir), 'a data dir startEddy made is removed by stop()');
});
