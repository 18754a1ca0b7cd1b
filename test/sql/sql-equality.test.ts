/**
 * DISTINCT, UNION, INTERSECT and EXCEPT compare rows by SQL equality, as PostgreSQL does:
 * numeric 1.0 and 1.00 (and interval '1 day' and '24 hours') are one value, shown as one of the
 * forms it came in, in one-off SELECTs and in maintained views, whose shown form moves to another
 * member when the shown one is deleted. And a transaction block reads its own writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEddy, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy?.stop();
});

const col = async (sql: string): Promise<string[]> =>
  (await (await client()).query({ text: sql, rowMode: 'array' })).rows.map((r) => String(r[0]));
let shared: Awaited<ReturnType<EddyHandle['client']>> | null = null;
const client = async () => (shared ??= await eddy.client());

test('one-off DISTINCT and set operations treat 1.0 and 1.00 as one value', async () => {
  assert.deepEqual(await col(`SELECT DISTINCT x FROM (VALUES (1.0), (1.00), (2.0)) v(x) ORDER BY 1`), ['1.0', '2.0']);
  assert.deepEqual(await col(`SELECT DISTINCT x FROM (VALUES (interval '1 day'), (interval '24 hours')) v(x)`).then((r) => r.length), 1);
  assert.deepEqual(await col(`SELECT x FROM (VALUES (1.0)) a(x) INTERSECT SELECT x FROM (VALUES (1.00)) b(x)`), ['1.0']);
  assert.deepEqual(await col(`SELECT x FROM (VALUES (1.0)) a(x) EXCEPT SELECT x FROM (VALUES (1.00)) b(x)`), []);
  assert.deepEqual(await col(`SELECT x FROM (VALUES (1.0)) a(x) UNION SELECT x FROM (VALUES (1.00)) b(x)`), ['1.0']);
  assert.deepEqual(await col(`SELECT count(*) FROM (SELECT x FROM (VALUES (1.0), (1.00)) a(x) INTERSECT ALL SELECT x FROM (VALUES (1.000), (1.0000), (1.0)) b(x)) s`), ['2']);
  assert.deepEqual(await col(`SELECT count(*) FROM (SELECT x FROM (VALUES (1.0), (1.00), (1.000)) a(x) EXCEPT ALL SELECT x FROM (VALUES (1.0000)) b(x)) s`), ['2']);
});

test('maintained DISTINCT and INTERSECT keep one row per value, shown as a member still there', async () => {
  const c = await client();
  await c.query('CREATE TABLE amounts (id int PRIMARY KEY, n numeric)');
  await c.query('CREATE TABLE limits (n numeric)');
  await c.query('CREATE MATERIALIZED VIEW distinct_amounts AS SELECT DISTINCT n FROM amounts');
  await c.query('CREATE MATERIALIZED VIEW common AS SELECT n FROM amounts INTERSECT SELECT n FROM limits');
  await c.query('INSERT INTO amounts VALUES (1, 1.0), (2, 1.00), (3, 5)');
  await c.query('INSERT INTO limits VALUES (1.000), (7)');
  assert.deepEqual(await col('SELECT n FROM distinct_amounts ORDER BY n'), ['1.0', '5']);
  assert.deepEqual(await col('SELECT n FROM common'), ['1.0']);
  await c.query('DELETE FROM amounts WHERE id = 1');
  assert.deepEqual(await col('SELECT n FROM distinct_amounts ORDER BY n'), ['1.00', '5'], 'the shown form moves to the member left');
  assert.deepEqual(await col('SELECT n FROM common'), ['1.00']);
  await c.query('DELETE FROM amounts WHERE id = 2');
  assert.deepEqual(await col('SELECT n FROM distinct_amounts'), ['5']);
  assert.deepEqual(await col('SELECT n FROM common'), []);
});

test('reads inside a transaction block see its own writes, and only its own', async () => {
  const c = await client();
  const other = await eddy.client();
  await c.query('CREATE TABLE ledger (id int PRIMARY KEY, amount int)');
  await c.query('INSERT INTO ledger VALUES (1, 10)');
  await c.query('BEGIN');
  await c.query('INSERT INTO ledger VALUES (2, 20)');
  await c.query('UPDATE ledger SET amount = 11 WHERE id = 1');
  assert.deepEqual(await col('SELECT sum(amount) FROM ledger'), ['31']);
  assert.deepEqual(await col('SELECT count(*) FROM ledger a JOIN ledger b ON a.id = b.id'), ['2']);
  assert.deepEqual((await other.query('SELECT sum(amount) AS s FROM ledger')).rows[0].s, '10', 'others do not see the open block');
  await c.query('DELETE FROM ledger WHERE id = 2');
  assert.deepEqual(await col('SELECT amount FROM ledger'), ['11']);
  await c.query('ROLLBACK');
  assert.deepEqual(await col('SELECT amount FROM ledger'), ['10']);
  await c.query('BEGIN');
  await c.query('INSERT INTO ledger VALUES (3, 30)');
  await c.query('COMMIT');
  assert.deepEqual((await other.query('SELECT sum(amount) AS s FROM ledger')).rows[0].s, '40');
  await other.end();
});
