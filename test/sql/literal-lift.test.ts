/**
 * Simple-protocol texts that differ only in their inlined values share one parameterized plan
 * (src/sql/statement-cache.ts, literal-scan.ts, literal-lift.ts). What each text answers must
 * still be what PostgreSQL answers for it: the same rows, or the same error at the same position,
 * for texts of one shape sent one after another, around SET TimeZone and DDL that changes what
 * the shape's columns are.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { freshDatabase, startPostgres, type PostgresHandle } from '../support/postgres.js';
import { StatementCache } from '../../src/sql/statement-cache.js';
import { parseQuery } from '../../src/sql/parse.js';
import { scanLiterals } from '../../src/sql/literal-scan.js';

let eddy: EddyHandle;
let postgres: PostgresHandle;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let eddyClient: pg.Client;
let pgClient: pg.Client;

// Every value as the text the server sent, so both are compared as they print.
const asText = { getTypeParser: () => (value: string) => value };

before(async () => {
  eddy = await startEddy();
  postgres = await startPostgres();
  database = await freshDatabase(postgres.url, 'lift');
  eddyClient = await eddy.client();
  pgClient = new pg.Client({ connectionString: database.url, types: asText });
  await pgClient.connect();
});
after(async () => {
  await pgClient?.end();
  await database?.drop();
  await postgres?.stop();
  await eddy?.stop();
});

type Answer = { rows: unknown[][] } | { code: string; position: string | undefined };

async function answer(client: pg.Client, text: string): Promise<Answer> {
  try {
    // No values: node pg sends the text with the simple protocol.
    const result = await client.query({ text, rowMode: 'array', types: asText });
    return { rows: result.rows };
  } catch (err) {
    const e = err as { code: string; position?: string };
    return { code: e.code, position: e.position };
  }
}

/** Runs each text on both servers, in order, and compares what each answers. */
async function same(...texts: string[]): Promise<void> {
  for (const text of texts) {
    assert.deepEqual(await answer(eddyClient, text), await answer(pgClient, text), text);
  }
}

test('texts of one shape share the parameterized statement; other shapes do not', () => {
  const cache = new StatementCache();
  const a = cache.lifted('SELECT * FROM t WHERE id = 1', parseQuery);
  const b = cache.lifted('SELECT * FROM t WHERE id = 22', parseQuery);
  assert.ok(a && b);
  assert.equal(a.lifted.statement, b.lifted.statement);
  assert.deepEqual([a.lifted.values, b.lifted.values], [['1'], ['22']]);
  assert.equal(cache.lifted('SELECT * FROM t WHERE id = 3000000000', parseQuery)?.lifted.paramTypeOids[0], 20);
  assert.equal(cache.lifted('SELECT 1', parseQuery), null, 'a literal naming a result column stays');
  assert.equal(cache.lifted("SELECT * FROM t WHERE n = E'a\\nb'", parseQuery), null, 'escape strings are not scanned');
  assert.equal(cache.lifted('SELECT * FROM t WHERE id = 1; SELECT 2', parseQuery), null, 'one statement only');
  const first = cache.lifted('SELECT a FROM t WHERE id = 1 ORDER BY 1', parseQuery);
  assert.deepEqual(first?.lifted.values, ['1']);
  assert.equal(cache.lifted('SELECT a FROM t WHERE id = 1 ORDER BY 2', parseQuery), null, 'another ORDER BY position is another statement');
});

test('the scan finds what the lexer would, and gives up where it would need more', () => {
  const values = (sql: string) => scanLiterals(sql)?.literals.map((l) => `${l.cls}:${l.value}`) ?? null;
  assert.deepEqual(values(`SELECT "col 1", t2.x FROM t2 /* 'no' /* nested 3 */ */ WHERE a = 'it''s' -- 4\n AND b > .5e3`), ['string:it\'s', 'numeric:.5e3']);
  assert.deepEqual(values('SELECT * FROM t WHERE a IN (2147483647, 2147483648, 9223372036854775808)'), ['int4:2147483647', 'int8:2147483648', 'numeric:9223372036854775808']);
  for (const refused of ['SELECT * FROM t WHERE a = $1', 'SELECT $$x$$', "SELECT * FROM t WHERE a = 'x'\n'y'", 'SELECT 0x1F', 'SELECT 1_000', "SELECT U&'d'", "SELECT 'é'"]) {
    assert.equal(scanLiterals(refused), null, refused);
  }
  assert.equal(scanLiterals('SELECT * FROM t WHERE a = 1')?.key, scanLiterals('SELECT * FROM t WHERE a = 22')?.key);
  assert.notEqual(scanLiterals('SELECT * FROM t WHERE a = 1')?.key, scanLiterals("SELECT * FROM t WHERE a = '1'")?.key);
});

test('reads, writes and errors answer as PostgreSQL does, value after value', async () => {
  const setup = [
    'CREATE TABLE ll (id int PRIMARY KEY, name text, amount numeric(12,2), big bigint, at timestamptz, tags text[])',
    "INSERT INTO ll VALUES (1, 'a', 1.5, 10, '2020-01-01 00:00:00+00', '{a,b}')",
    "INSERT INTO ll VALUES (2, 'it''s', 2.25, 3000000000, '2020-06-01 12:00:00+00', '{b}')",
    "INSERT INTO ll VALUES (3, '', 100, -4, '2021-01-01 00:00:00+09', '{}')",
    "INSERT INTO ll VALUES (4, 'd', 7, 5, '2021-01-01', NULL)",
  ];
  await same("SET TimeZone = 'UTC'", ...setup);
  await same(
    'SELECT id, name FROM ll WHERE id = 1',
    'SELECT id, name FROM ll WHERE id = 3',
    'SELECT id, name FROM ll WHERE id = 0',
    'SELECT id, name FROM ll WHERE id = 2147483647',
    'SELECT id, name FROM ll WHERE id = 2147483648',
    'SELECT id, name FROM ll WHERE id = 99999999999999999999',
    'SELECT id, name FROM ll WHERE id = 2.0',
    'SELECT id, name FROM ll WHERE id = 2.5',
    'SELECT id, name FROM ll WHERE id = -1',
  );
  await same("SELECT id FROM ll WHERE name = 'a'", "SELECT id FROM ll WHERE name = 'it''s'", "SELECT id FROM ll WHERE name = ''", "SELECT id FROM ll WHERE name = 'zz'");
  await same('SELECT id, name FROM ll WHERE id < 10 ORDER BY 1', 'SELECT id, name FROM ll WHERE id < 3 ORDER BY 2', 'SELECT id, name FROM ll WHERE id < 9 ORDER BY 1 DESC');
  await same('SELECT id FROM ll WHERE id IN (1, 2) ORDER BY id', 'SELECT id FROM ll WHERE id IN (3, 4) ORDER BY id', 'SELECT id FROM ll WHERE id IN (1, 2, 3) ORDER BY id');
  await same('SELECT id + 1, amount * 2 FROM ll WHERE big >= 5 ORDER BY 1', 'SELECT id + 1, amount * 2 FROM ll WHERE big >= 3000000000 ORDER BY 1');
  await same('SELECT id FROM ll WHERE amount = 1e2', 'SELECT id FROM ll WHERE amount = 2.25e0', 'SELECT id FROM ll WHERE amount > .5 ORDER BY id');
  await same("SELECT id FROM ll WHERE tags = '{a,b}'", "SELECT id FROM ll WHERE tags = '{}'", "SELECT id FROM ll WHERE tags = '{b'");
  await same("SELECT id FROM ll WHERE at > '2020-06-01' ORDER BY id", "SELECT id FROM ll WHERE at > '2020-12-31 16:00' ORDER BY id");
  await same("SET TimeZone = 'Asia/Tokyo'", "SELECT id FROM ll WHERE at > '2020-12-31 16:00' ORDER BY id", "SELECT id FROM ll WHERE at >= '2021-01-01' ORDER BY id", "SET TimeZone = 'UTC'");
  await same("SELECT id FROM ll WHERE id = 'x'", "SELECT id FROM ll WHERE id = '4'", "SELECT id FROM ll WHERE at > 'never'");
  await same(
    'UPDATE ll SET amount = amount + 1.25 WHERE id = 2',
    'UPDATE ll SET amount = amount + 2.50 WHERE id = 3',
    'UPDATE ll SET amount = amount + 2 WHERE id = 4',
    "UPDATE ll SET name = 'e' WHERE id = 4",
    'UPDATE ll SET amount = 99999999999 WHERE id = 1',
    'SELECT id, name, amount FROM ll ORDER BY id',
  );
  await same('DELETE FROM ll WHERE id = 4', 'DELETE FROM ll WHERE id = 44', "INSERT INTO ll (id, name) VALUES (5, 'x')", "INSERT INTO ll (id, name) VALUES (5, 'y')", 'SELECT id, name FROM ll ORDER BY id');
});

test('after DDL a shape is planned again against the new columns', async () => {
  await same('CREATE TABLE ll2 (id int, v text)', "INSERT INTO ll2 VALUES (5, 'five')", 'SELECT v FROM ll2 WHERE id = 5', 'SELECT v FROM ll2 WHERE id = 6');
  await same('DROP TABLE ll2', 'CREATE TABLE ll2 (id text, v int)', "INSERT INTO ll2 VALUES ('5', 5)");
  await same('SELECT v FROM ll2 WHERE id = 5', "SELECT v FROM ll2 WHERE id = '5'", "SELECT v FROM ll2 WHERE id = '6'");
});
