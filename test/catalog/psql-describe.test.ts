/**
 * psql's \d family against Eddy, through the wire: the queries psql sends (pg_class,
 * pg_attribute, pg_index, pg_policy, ... with OPERATOR(pg_catalog.~), COLLATE, ::regclass and
 * catalog functions) run, and their answers describe the relations. A table's \d and \d+, its
 * indexes' \d and \di are compared with a real PostgreSQL's, character for character.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';
import { psql } from './psql-run.js';
import pg from 'pg';

let eddy: EddyHandle;
let postgres: PostgresHandle;

const VIEW_DDL = 'CREATE VIEW catalog_big_orders AS SELECT id, amount FROM catalog_orders WHERE amount > 100';
const MATERIALIZED_VIEW_DDL = 'CREATE MATERIALIZED VIEW catalog_totals AS SELECT customer, sum(amount) AS total FROM catalog_orders GROUP BY customer';
const TABLE_DDL = "CREATE TABLE catalog_orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) DEFAULT 0, note varchar(20), placed timestamptz)";
/** Indexes on the table (btree over two columns, hash) and on the materialized view. */
const INDEX_DDL = [
  'CREATE INDEX catalog_orders_customer ON catalog_orders (customer, placed)',
  'CREATE INDEX catalog_orders_note_hash ON catalog_orders USING hash (note)',
  'CREATE INDEX catalog_totals_customer ON catalog_totals (customer)',
];

before(async () => {
  [eddy, postgres] = await Promise.all([startEddy(), startPostgres()]);
  const c = await eddy.client();
  await c.query(TABLE_DDL);
  await c.query('CREATE TABLE plain (x int8, y float8)');
  await c.query(VIEW_DDL);
  await c.query(MATERIALIZED_VIEW_DDL);
  for (const sql of INDEX_DDL) await c.query(sql);
});

after(async () => {
  await eddy?.stop();
  await postgres?.stop();
});

const eddyPsql = (...commands: string[]) => psql(eddy.port, 'eddy', 'eddy', ...commands);

/** The values in a psql listing's Name column, in order. */
function listedNames(output: string): string[] {
  const lines = output.split('\n').filter((line) => line.includes('|'));
  const column = lines[0]!.split('|').findIndex((h) => h.trim() === 'Name');
  return lines.slice(1).map((line) => line.split('|')[column]!.trim());
}

test('\\dt lists the tables, \\dv the views, \\dm the materialized views, \\d all of them', async () => {
  assert.deepEqual(listedNames(await eddyPsql('\\dt')), ['catalog_orders', 'plain']);
  assert.deepEqual(listedNames(await eddyPsql('\\dv')), ['catalog_big_orders']);
  assert.deepEqual(listedNames(await eddyPsql('\\dm')), ['catalog_totals']);
  const all = await eddyPsql('\\d');
  assert.deepEqual(listedNames(all), ['catalog_big_orders', 'catalog_orders', 'catalog_totals', 'plain']);
  assert.match(all, /catalog_totals\s*\|\s*materialized view/);
});

test('\\d and \\d+ of a table, \\d of a view and a materialized view print exactly what PostgreSQL prints', async () => {
  const pgClient = new pg.Client({ connectionString: postgres.url });
  await pgClient.connect();
  const cleanup = ['DROP MATERIALIZED VIEW IF EXISTS catalog_totals', 'DROP VIEW IF EXISTS catalog_big_orders', 'DROP TABLE IF EXISTS catalog_orders'];
  try {
    for (const sql of [...cleanup, TABLE_DDL, VIEW_DDL, MATERIALIZED_VIEW_DDL, ...INDEX_DDL]) await pgClient.query(sql);
    const user = new URL(postgres.url).username || 'postgres';
    const database = new URL(postgres.url).pathname.slice(1) || 'postgres';
    // view definitions differ (PostgreSQL prints its deparsed query, Eddy the text as written): not \\d+ of views.
    // An index's \\d shows the type it stores each key as (a hash index: integer hash codes).
    const indexes = ['\\d catalog_orders_customer', '\\d+ catalog_orders_note_hash', '\\d+ catalog_orders_pkey', '\\d catalog_totals_customer'];
    for (const command of ['\\d catalog_orders', '\\d+ catalog_orders', '\\d catalog_big_orders', '\\d catalog_totals', ...indexes]) {
      const expected = await psql(postgres.port, user, database, command);
      assert.equal(await eddyPsql(command), expected, command);
    }
  } finally {
    for (const sql of cleanup) await pgClient.query(sql);
    await pgClient.end();
  }
});

test('\\dconfig and \\dconfig+ (pg_settings joined with pg_parameter_acl) print what PostgreSQL prints', async () => {
  const user = new URL(postgres.url).username || 'postgres';
  const database = new URL(postgres.url).pathname.slice(1) || 'postgres';
  for (const command of ['\\dconfig statement_timeout', '\\dconfig+ statement_timeout', '\\dconfig+ extra_float_digits', '\\dconfig+ lock*']) {
    assert.equal(await eddyPsql(command), await psql(postgres.port, user, database, command), command);
  }
});

test('\\d of a table shows types, NOT NULL, the default and the primary key', async () => {
  const out = await eddyPsql('\\d catalog_orders');
  assert.match(out, /Table "public\.catalog_orders"/);
  assert.match(out, /id\s+\|\s+integer\s+\|\s+\|\s+not null\s+\|/);
  assert.match(out, /customer\s+\|\s+text\s+\|\s+\|\s+not null/);
  assert.match(out, /amount\s+\|\s+numeric\(10,2\)\s+\|\s+\|\s+\|\s+0/);
  assert.match(out, /note\s+\|\s+character varying\(20\)/);
  assert.match(out, /"catalog_orders_pkey" PRIMARY KEY, btree \(id\)/);
});

test('\\d+ of views and materialized views shows their definition', async () => {
  const view = await eddyPsql('\\d+ catalog_big_orders');
  assert.match(view, /View "public\.catalog_big_orders"/);
  assert.match(view, /View definition:\n SELECT id, amount FROM catalog_orders WHERE amount > 100;/);
  const mv = await eddyPsql('\\d+ catalog_totals');
  assert.match(mv, /Materialized view "public\.catalog_totals"/);
  assert.match(mv, /total\s+\|\s+numeric/);
  assert.match(mv, /View definition:\n SELECT customer, sum\(amount\) AS total FROM catalog_orders GROUP BY customer;/);
});

test('\\dn lists public, \\l the database, \\df runs (Eddy has no user functions)', async () => {
  assert.deepEqual(listedNames(await eddyPsql('\\dn')), ['public']);
  assert.match(await eddyPsql('\\l'), /eddy\s+\|\s+eddy\s+\|\s+UTF8/);
  assert.match(await eddyPsql('\\df'), /\(0 rows\)/);
});

test('\\d follows DDL: a dropped table is gone, a new one is there', async () => {
  const c = await eddy.client();
  await c.query('CREATE TABLE later (k text PRIMARY KEY)');
  assert.match(await eddyPsql('\\d later'), /"later_pkey" PRIMARY KEY, btree \(k\)/);
  await c.query('DROP TABLE later');
  await assert.rejects(eddyPsql('\\d later'), /Did not find any relation named "later"/);
});

test('\\dfS lists the built-in functions with their signatures', async () => {
  assert.match(await eddyPsql('\\dfS lower'), /pg_catalog \| lower \| text\s+\| text\s+\| func/);
  const json = await eddyPsql('\\dfS json_build_object');
  assert.match(json, /json_build_object \| json\s+\| VARIADIC "any"\s+\| func/);
  assert.match(await eddyPsql('\\dfS json_extract_path'), /json, VARIADIC text\[\]/);
});

test('the rest of the \\d family runs without error', async () => {
  const commands = [
    '\\d+', '\\dt+', '\\dv+', '\\dm+', '\\di', '\\di+', '\\ds', '\\dn+', '\\l+', '\\du', '\\du+', '\\dg', '\\dT', '\\dTS int*',
    '\\dx', '\\dp', '\\dE', '\\db', '\\dC', '\\do', '\\dA', '\\dP', '\\dX', '\\da', '\\dRp', '\\dRs', '\\dc', '\\des',
    '\\dew', '\\det', '\\deu', '\\drds', '\\dconfig', '\\sv catalog_big_orders', '\\d catalog_orders_pkey', '\\dS+ pg_class',
    '\\d information_schema.columns', '\\dt pg_catalog.*',
  ];
  for (const command of commands) await eddyPsql(command);
});

test('\\dt, \\dv, \\dm, \\di, \\d and \\dp list what PostgreSQL lists for the same objects of the same owner', async () => {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  const database = 'eddy_catalog_listing';
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eddy') THEN CREATE ROLE eddy LOGIN; END IF; END $$");
    await admin.query(`CREATE DATABASE ${database} OWNER eddy`);
    const owned = new pg.Client({ host: '127.0.0.1', port: postgres.port, user: 'eddy', database });
    await owned.connect();
    try {
      for (const sql of [TABLE_DDL, 'CREATE TABLE plain (x int8, y float8)', VIEW_DDL, MATERIALIZED_VIEW_DDL, ...INDEX_DDL]) await owned.query(sql);
    } finally {
      await owned.end();
    }
    for (const command of ['\\dt', '\\dv', '\\dm', '\\di', '\\di catalog_orders*', '\\d', '\\dp']) {
      assert.equal(await eddyPsql(command), await psql(postgres.port, 'eddy', database, command), command);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  }
});
