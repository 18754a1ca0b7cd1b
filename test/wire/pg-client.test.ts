/**
 * The real server through node `pg`, the way applications reach it: simple and extended
 * protocol, named prepared statements, binary results, NULL parameters, errors with recovery on
 * the same connection, and many clients at once.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy.stop();
});

/** The SQLSTATE a query fails with. */
async function sqlstateOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code: string }).code;
  }
  assert.fail('expected the query to fail');
}

test('simple protocol: text results with their types', async () => {
  const c = await eddy.client();
  const r = await c.query("SELECT 1 AS one, 'x'::text AS t, 1.5::numeric AS n");
  assert.deepEqual(r.rows, [{ one: 1, t: 'x', n: '1.5' }]);
  assert.deepEqual(
    r.fields.map((f) => [f.name, f.dataTypeID]),
    [['one', 23], ['t', 25], ['n', 1700]],
  );
  assert.equal(r.command, 'SELECT');
  assert.equal(r.rowCount, 1);
});

test('extended protocol with parameters, including NULL', async () => {
  const c = await eddy.client();
  assert.deepEqual((await c.query('SELECT $1::int + 1 AS v', [41])).rows, [{ v: 42 }]);
  assert.deepEqual((await c.query('SELECT $1::int + 1 AS v', [null])).rows, [{ v: null }]);
  assert.deepEqual((await c.query('SELECT $1::text AS v', ['héllo'])).rows, [{ v: 'héllo' }]);
});

test('named prepared statements are parsed once and reused', async () => {
  const c = await eddy.client();
  for (let i = 0; i < 5; i++) {
    const r = await c.query({ name: 'plus-one', text: 'SELECT $1::int + 1 AS v', values: [i] });
    assert.deepEqual(r.rows, [{ v: i + 1 }]);
  }
});

test('binary results decode to the same values as text results', async () => {
  const c = await eddy.client();
  // node-pg reads DataRow fields as UTF-8 strings even in binary mode, which mangles bytes >= 0x80
  // (PostgreSQL's own replies suffer the same); these values' binary forms avoid such bytes.
  // Exact binary bytes are checked in binary-io.test.ts and raw-protocol.test.ts.
  const sql = "SELECT $1::int + 1 AS i, 'x'::text AS t, 2::float8 AS f, 2.5::float4 AS r, 100::numeric AS n, true AS b";
  const text = await c.query({ text: sql, values: [1] });
  const binaryConfig: pg.QueryConfig & { binary: boolean } = { text: sql, values: [1], binary: true };
  const binary = await c.query(binaryConfig);
  assert.ok(binary.fields.every((f) => f.format === 'binary'));
  assert.ok(text.fields.every((f) => f.format === 'text'));
  const row = binary.rows[0];
  assert.deepEqual(
    { i: row.i, t: Buffer.from(row.t).toString('utf8'), f: row.f, r: row.r, n: Number(row.n), b: row.b },
    { ...text.rows[0], n: Number(text.rows[0].n) },
  );
});

test('errors carry their SQLSTATE and the same connection recovers', async () => {
  const c = await eddy.client();
  assert.equal(await sqlstateOf(c.query('SELECT 1/0')), '22012');
  assert.deepEqual((await c.query('SELECT 1 AS v')).rows, [{ v: 1 }]);
  assert.equal(await sqlstateOf(c.query('SELEC 1')), '42601');
  assert.equal(await sqlstateOf(c.query('SELECT $1::int', ['not a number'])), '22P02');
  assert.equal(await sqlstateOf(c.query('SELECT 1/0 + $1::int', [1])), '22012');
  assert.deepEqual((await c.query('SELECT $1::int + 1 AS v', [1])).rows, [{ v: 2 }]);
});

test('SET sends ParameterStatus and SHOW reads it back', async () => {
  const c = await eddy.client();
  const reported: [string, string][] = [];
  const connection = (c as unknown as { connection: import('node:events').EventEmitter }).connection;
  connection.on('parameterStatus', (m: { parameterName: string; parameterValue: string }) => reported.push([m.parameterName, m.parameterValue]));
  await c.query("SET TimeZone = 'Europe/Paris'");
  assert.deepEqual(reported, [['TimeZone', 'Europe/Paris']]);
  const shown = await c.query('SHOW TimeZone');
  assert.deepEqual(Object.values(shown.rows[0]), ['Europe/Paris']);
});

test('64 concurrent clients each run their own queries', async () => {
  const clients = await Promise.all(Array.from({ length: 64 }, () => eddy.client()));
  const results = await Promise.all(
    clients.map(async (c, i) => {
      const out: number[] = [];
      for (let j = 0; j < 5; j++) out.push((await c.query('SELECT $1::int + 1 AS v', [i * 10 + j])).rows[0].v);
      return out;
    }),
  );
  results.forEach((out, i) => assert.deepEqual(out, [1, 2, 3, 4, 5].map((k) => i * 10 + k)));
  await Promise.all(clients.map((c) => c.end()));
});

test('a pool reuses connections across many queries', async () => {
  const pool = new pg.Pool({ connectionString: eddy.url, max: 4 });
  try {
    const sums = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.query('SELECT $1::int + 1 AS v', [i])));
    assert.deepEqual(sums.map((r) => r.rows[0].v), Array.from({ length: 40 }, (_, i) => i + 1));
  } finally {
    await pool.end();
  }
});
