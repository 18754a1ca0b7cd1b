/**
 * Tables through the wire: constraints, defaults, DML with RETURNING, transaction blocks,
 * COPY (text and CSV through psql's \copy), TRUNCATE, DROP with dependents, and the catalog's
 * SHOW statements — each checked against what the materialized views over the tables show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type pg from 'pg';
import { eddySessionPerFile } from '../support/fixtures.js';

const env = eddySessionPerFile();

async function rows(sql: string): Promise<unknown[][]> {
  const r = await env.db.query({ text: sql, rowMode: 'array' });
  return r.rows;
}

async function failsWith(sql: string, code: string, message?: RegExp): Promise<pg.DatabaseError> {
  const err = await env.db.query(sql).then(
    () => assert.fail(`expected ${sql} to fail with ${code}`),
    (e: pg.DatabaseError) => e,
  );
  assert.equal(err.code, code, `${sql}: ${err.message}`);
  if (message) assert.match(err.message, message);
  return err;
}

test('primary keys, NOT NULL and defaults are enforced as in PostgreSQL', async () => {
  await env.db.query(`CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(10,2) DEFAULT 0, note text)`);
  await env.db.query(`INSERT INTO accounts (id, owner) VALUES (1, 'ann'), (2, 'bob')`);
  assert.deepEqual(await rows('SELECT id, owner, balance, note FROM accounts ORDER BY id'), [
    [1, 'ann', '0.00', null],
    [2, 'bob', '0.00', null],
  ]);
  const dup = await failsWith(`INSERT INTO accounts VALUES (1, 'again', 5, null)`, '23505', /duplicate key value/);
  assert.match(dup.detail ?? '', /Key \(id\)=\(1\) already exists/);
  await failsWith(`INSERT INTO accounts (id) VALUES (3)`, '23502', /null value in column "owner"/);
  await failsWith(`INSERT INTO accounts VALUES (NULL, 'x')`, '23502', /column "id"/);
  // A failed statement changes nothing.
  await failsWith(`INSERT INTO accounts VALUES (3, 'cy'), (3, 'cy2')`, '23505');
  assert.deepEqual(await rows('SELECT count(*) FROM accounts'), [['2']]);
  // numeric(10,2) rounds on assignment, as PostgreSQL does.
  await env.db.query(`UPDATE accounts SET balance = 10.005 WHERE id = 1`);
  assert.deepEqual(await rows('SELECT balance FROM accounts WHERE id = 1'), [['10.01']]);
  await failsWith(`CREATE TABLE accounts (x int)`, '42P07', /relation "accounts" already exists/);
  await env.db.query(`CREATE TABLE IF NOT EXISTS accounts (x int)`);
  await failsWith(`CREATE TABLE checked (x int CHECK (x > 0))`, '0A000', /CHECK/);
});

test('INSERT, UPDATE and DELETE report counts and RETURNING rows, and views follow', async () => {
  await env.db.query(`CREATE TABLE items (id int PRIMARY KEY, kind text, qty int)`);
  await env.db.query(`CREATE MATERIALIZED VIEW kinds AS SELECT kind, sum(qty) AS total, count(*) AS n FROM items GROUP BY kind`);
  const inserted = await env.db.query(`INSERT INTO items VALUES (1, 'a', 5), (2, 'a', 7), (3, 'b', 1) RETURNING id, qty * 2 AS double`);
  assert.equal(inserted.command, 'INSERT');
  assert.equal(inserted.rowCount, 3);
  assert.deepEqual(inserted.rows.map((r) => [r.id, r.double]), [[1, 10], [2, 14], [3, 2]]);
  assert.deepEqual(await rows('SELECT kind, total, n FROM kinds ORDER BY kind'), [['a', '12', '2'], ['b', '1', '1']]);

  const updated = await env.db.query(`UPDATE items SET qty = qty + 1, kind = 'b' WHERE id = $1`, [2]);
  assert.equal(updated.rowCount, 1);
  assert.deepEqual(await rows('SELECT kind, total, n FROM kinds ORDER BY kind'), [['a', '5', '1'], ['b', '9', '2']]);

  const deleted = await env.db.query(`DELETE FROM items WHERE kind = 'b' RETURNING id`);
  assert.deepEqual(deleted.rows.map((r) => r.id).sort(), [2, 3]);
  assert.deepEqual(await rows('SELECT kind, total, n FROM kinds ORDER BY kind'), [['a', '5', '1']]);

  await env.db.query(`INSERT INTO items SELECT id + 10, kind, qty FROM items`);
  assert.deepEqual(await rows('SELECT kind, total, n FROM kinds'), [['a', '10', '2']]);
  await env.db.query('TRUNCATE items');
  assert.deepEqual(await rows('SELECT count(*) FROM kinds'), [['0']]);
});

test('a transaction block commits its writes together, or none at ROLLBACK', async () => {
  await env.db.query(`CREATE TABLE ledger (id int PRIMARY KEY, amount int)`);
  await env.db.query(`CREATE MATERIALIZED VIEW ledger_total AS SELECT count(*) AS n, sum(amount) AS total FROM ledger`);
  await env.db.query('BEGIN');
  await env.db.query('INSERT INTO ledger VALUES (1, 10), (2, 20)');
  await env.db.query('UPDATE ledger SET amount = 25 WHERE id = 2'); // sees the block's own insert
  assert.deepEqual(await rows('SELECT n, total FROM ledger_total'), [['0', null]], 'nothing visible before COMMIT');
  await env.db.query('COMMIT');
  assert.deepEqual(await rows('SELECT n, total FROM ledger_total'), [['2', '35']]);

  await env.db.query('BEGIN');
  await env.db.query('DELETE FROM ledger');
  await env.db.query('ROLLBACK');
  assert.deepEqual(await rows('SELECT n, total FROM ledger_total'), [['2', '35']]);

  // An error fails the block: further statements are refused until ROLLBACK.
  await env.db.query('BEGIN');
  await failsWith('SELECT 1/0', '22012');
  await failsWith('SELECT 1', '25P02', /current transaction is aborted/);
  const end = await env.db.query('COMMIT');
  assert.equal(end.command, 'ROLLBACK');
  assert.deepEqual(await rows('SELECT 1'), [[1]]);
});

test('COPY FROM STDIN in text and CSV formats, through psql', async () => {
  await env.db.query(`CREATE TABLE imported (id int PRIMARY KEY, name text, score double precision, seen date)`);
  // psql runs as a child process: the server lives in this process, so it must not be blocked.
  const psql = (command: string, input: string) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(env.eddy.port), '-U', 'eddy', '-c', command]);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
      child.stdin.end(input);
    });
  assert.match(await psql('\\copy imported FROM STDIN', '1\tann\t1.5\t2024-01-02\n2\t\\N\t-3\t2024-02-29\n3\ttab\\there\t0\t\\N\n'), /COPY 3/);
  assert.match(
    await psql("\\copy imported (id, name, score) FROM STDIN WITH (FORMAT csv, HEADER true)", 'id,name,score\n4,"quoted, with comma",2.25\n5,"say ""hi""",\n6,,7\n'),
    /COPY 3/,
  );
  assert.deepEqual(await rows('SELECT id, name, score, seen::text FROM imported ORDER BY id'), [
    [1, 'ann', 1.5, '2024-01-02'],
    [2, null, -3, '2024-02-29'],
    [3, 'tab\there', 0, null],
    [4, 'quoted, with comma', 2.25, null],
    [5, 'say "hi"', null, null],
    [6, null, 7, null],
  ]);
  await assert.rejects(psql('\\copy imported FROM STDIN', 'x\ty\t1\t2024-01-01\n'), /invalid input syntax for type integer/);
  assert.deepEqual(await rows('SELECT count(*) FROM imported'), [['6']]);

  // And back out: COPY TO STDOUT of a table's columns, and of a query as CSV.
  const text = await psql('COPY imported (id, name) TO STDOUT', '');
  assert.equal(text, '1\tann\n2\t\\N\n3\ttab\\there\n4\tquoted, with comma\n5\tsay "hi"\n6\t\\N\n');
  const csv = await psql('COPY (SELECT id, name, score FROM imported WHERE id >= 4 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)', '');
  assert.equal(csv, 'id,name,score\n4,"quoted, with comma",2.25\n5,"say ""hi""",\n6,,7\n');
});

test('DROP refuses while others depend, naming them; CASCADE drops them too', async () => {
  await env.db.query(`CREATE TABLE base (x int)`);
  await env.db.query(`CREATE VIEW plain AS SELECT x FROM base WHERE x > 0`);
  await env.db.query(`CREATE MATERIALIZED VIEW over_plain AS SELECT count(*) AS n FROM plain`);
  const err = await failsWith('DROP TABLE base', '2BP01', /other objects depend on it/);
  assert.match(err.detail ?? '', /view plain depends on table base/);
  await failsWith('DROP VIEW base', '42809', /"base" is not a view/);
  await env.db.query('DROP TABLE base CASCADE');
  await failsWith('SELECT * FROM over_plain', '42P01');
  await failsWith('SELECT * FROM plain', '42P01');
  await env.db.query('DROP TABLE IF EXISTS base');
  await failsWith('DROP TABLE base', '42P01');
});

test('SHOW lists objects, columns and definitions; EXPLAIN shows the dataflow', async () => {
  await env.db.query(`CREATE TABLE shown (id bigint PRIMARY KEY, label varchar(20), price numeric(8,3))`);
  await env.db.query(`CREATE VIEW shown_view AS SELECT id FROM shown`);
  await env.db.query(`CREATE MATERIALIZED VIEW shown_mv AS SELECT label, count(*) FROM shown GROUP BY label`);
  assert.ok((await rows('SHOW TABLES')).some(([n]) => n === 'shown'));
  assert.deepEqual(await rows('SHOW VIEWS'), [['shown_view']]);
  assert.ok((await rows('SHOW MATERIALIZED VIEWS')).some(([n]) => n === 'shown_mv'));
  assert.deepEqual(await rows('SHOW COLUMNS FROM shown'), [
    ['id', 'NO', 'bigint'],
    ['label', 'YES', 'character varying(20)'],
    ['price', 'YES', 'numeric(8,3)'],
  ]);
  assert.deepEqual(await rows('SHOW CREATE MATERIALIZED VIEW shown_mv'), [
    ['shown_mv', 'CREATE MATERIALIZED VIEW shown_mv AS SELECT label, count(*) FROM shown GROUP BY label'],
  ]);
  const plan = (await rows('EXPLAIN SELECT label, count(*) FROM shown WHERE price > 1 GROUP BY label')).map(([l]) => l).join('\n');
  assert.match(plan, /Aggregate/);
  assert.match(plan, /Filter|WHERE/i);
  assert.match(plan, /shown/);
});

test('views follow updates between values SQL calls equal but prints differently', async () => {
  // numeric 1.5 = 1.50 and interval '1 mon' = '30 days' in SQL, yet clients see the difference.
  await env.db.query(`CREATE TABLE printed (id int PRIMARY KEY, amount numeric, span interval)`);
  await env.db.query(`CREATE MATERIALIZED VIEW printed_rows AS SELECT id, amount, span FROM printed`);
  await env.db.query(`CREATE MATERIALIZED VIEW printed_total AS SELECT sum(amount) AS total FROM printed`);
  await env.db.query(`INSERT INTO printed VALUES (1, 1.5, '1 mon')`);
  await env.db.query(`UPDATE printed SET amount = 1.50, span = '30 days'`);
  assert.deepEqual(await rows('SELECT id, amount::text, span::text FROM printed_rows'), [[1, '1.50', '30 days']]);
  assert.deepEqual(await rows('SELECT total::text FROM printed_total'), [['1.50']]);
});
