/**
 * The catalog queries pgjdbc's DatabaseMetaData sends (getTables, getColumns, getSchemas, as
 * pgjdbc 42.x writes them) and ORMs' index queries (Django, Rails), run on Eddy and on a real
 * PostgreSQL holding the same relations: the answers must be the same rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';

let eddy: EddyHandle;
let postgres: PostgresHandle;
let e: pg.Client;
let p: pg.Client;

const DDL = [
  'CREATE TABLE jdbc_accounts (id int8 PRIMARY KEY, owner varchar(30) NOT NULL, balance numeric(12,2) DEFAULT 0, opened date)',
  'CREATE TABLE jdbc_log (at timestamptz, line text)',
  'CREATE TABLE jdbc_pairs (a int, b text, c int, PRIMARY KEY (c, a))',
  'CREATE VIEW jdbc_rich AS SELECT id, owner FROM jdbc_accounts WHERE balance > 1000',
  'CREATE MATERIALIZED VIEW jdbc_by_owner AS SELECT owner, count(*) AS n FROM jdbc_accounts GROUP BY owner',
  'CREATE INDEX jdbc_accounts_owner ON jdbc_accounts (owner, opened)',
];
const CLEANUP = ['DROP MATERIALIZED VIEW IF EXISTS jdbc_by_owner', 'DROP VIEW IF EXISTS jdbc_rich', 'DROP TABLE IF EXISTS jdbc_log', 'DROP TABLE IF EXISTS jdbc_pairs', 'DROP TABLE IF EXISTS jdbc_accounts'];

before(async () => {
  [eddy, postgres] = await Promise.all([startEddy(), startPostgres()]);
  e = await eddy.client();
  p = new pg.Client({ connectionString: postgres.url });
  await p.connect();
  for (const sql of [...CLEANUP, ...DDL]) await p.query(sql);
  for (const sql of DDL) await e.query(sql);
});

after(async () => {
  if (p) for (const sql of CLEANUP) await p.query(sql).catch(() => {});
  await p?.end();
  await eddy?.stop();
  await postgres?.stop();
});

async function sameRows(sql: string, params: unknown[] = []): Promise<unknown[]> {
  const [a, b] = await Promise.all([e.query(sql, params), p.query(sql, params)]);
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual(a.fields.map((f) => f.name), b.fields.map((f) => f.name));
  return a.rows;
}

const GET_TABLES = `SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,
  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'
  WHEN true THEN CASE WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind
      WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX' ELSE NULL END
    WHEN n.nspname = 'pg_toast' THEN CASE c.relkind WHEN 'r' THEN 'SYSTEM TOAST TABLE' WHEN 'i' THEN 'SYSTEM TOAST INDEX' ELSE NULL END
    ELSE CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'p' THEN 'TEMPORARY TABLE' WHEN 'i' THEN 'TEMPORARY INDEX'
      WHEN 'S' THEN 'TEMPORARY SEQUENCE' WHEN 'v' THEN 'TEMPORARY VIEW' ELSE NULL END END
  WHEN false THEN CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'i' THEN 'INDEX'
    WHEN 'P' then 'PARTITIONED INDEX' WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'c' THEN 'TYPE'
    WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END
  ELSE NULL END AS TABLE_TYPE, d.description AS REMARKS, '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME,
  '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION
 FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0 and d.classoid = 'pg_class'::regclass)
 WHERE c.relnamespace = n.oid AND c.relname LIKE $1 AND (false
   OR ( c.relkind IN ('r','p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )
   OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' )
   OR ( c.relkind = 'i' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )
   OR ( c.relkind = 'm' ) )
 ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME`;

const GET_COLUMNS = `SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,
  a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum,
  nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,
  pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype
 FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)
 JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)
 LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)
 LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
 LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')
 LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')
 WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped AND n.nspname LIKE $1 AND c.relname LIKE $2) c
 WHERE true AND attname LIKE $3 ORDER BY nspname,c.relname,attnum`;

const GET_SCHEMAS = `SELECT nspname AS TABLE_SCHEM, NULL AS TABLE_CATALOG FROM pg_catalog.pg_namespace
 WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_' OR nspname = (pg_catalog.current_schemas(true))[1])
 AND (nspname !~ '^pg_toast_temp_' OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))
 ORDER BY TABLE_SCHEM`;

test('getTables: tables, views, materialized views, primary key indexes and an index, as PostgreSQL lists them', async () => {
  const rows = await sameRows(GET_TABLES, ['jdbc\\_%']);
  assert.equal(rows.length, 8);
});

test('getColumns: names, types, modifiers, NOT NULL, defaults and numbering, as PostgreSQL gives them', async () => {
  const rows = await sameRows(GET_COLUMNS, ['public', 'jdbc\\_%', '%']);
  assert.equal(rows.length, 4 + 2 + 3 + 2 + 2);
  await sameRows(GET_COLUMNS, ['public', 'jdbc_accounts', 'o%']);
});

test('getSchemas lists the same schemas', async () => {
  assert.deepEqual(
    (await sameRows(GET_SCHEMAS)).map((r: any) => r.table_schem),
    ['information_schema', 'pg_catalog', 'public'],
  );
});

const TYPE_INFO = `SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid FROM pg_catalog.pg_type
  LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r from pg_namespace as ns
    join ( select s.r, (current_schemas(false))[s.r] as nspname from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r
    using ( nspname ) ) as sp ON sp.nspoid = typnamespace`;

test("pgjdbc's TypeInfoCache: a type's name, schema visibility and array-ness (by oid and by name)", async () => {
  for (const oid of [3802, 1186, 23, 1043]) {
    await sameRows(`${TYPE_INFO} WHERE pg_type.oid = $1 ORDER BY sp.r, pg_type.oid DESC`, [oid]);
    await sameRows('SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = $1', [oid]);
  }
  const rows = await sameRows(`${TYPE_INFO} WHERE typname = $1 ORDER BY sp.r, pg_type.oid DESC LIMIT 1`, ['jsonb']);
  assert.deepEqual(rows, [{ is_array: false, typtype: 'b', typname: 'jsonb', oid: 3802 }]);
});

test("Npgsql's look at a type's receive function, and the search path as pgjdbc reads it", async () => {
  await sameRows('SELECT t.typname, p.proname, t.typelem FROM pg_type t LEFT JOIN pg_proc p ON p.oid = t.typreceive WHERE t.oid IN (16, 23, 25, 1700, 3802) ORDER BY t.oid');
  await sameRows('SELECT s.r, (current_schemas(false))[s.r] AS nspname FROM generate_series(1, array_upper(current_schemas(false), 1)) AS s(r)');
});

const GET_PRIMARY_KEYS = `SELECT result.TABLE_CAT, result.TABLE_SCHEM, result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME
 FROM (SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,
   (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,
   information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM
  FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)
  JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid)
  JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)
  WHERE true AND n.nspname = E'public' AND ct.relname LIKE $1 AND i.indisprimary ) result
 where result.A_ATTNUM = (result.KEYS).x ORDER BY result.table_name, result.pk_name, result.key_seq`;

test('getPrimaryKeys: key columns in key order, as PostgreSQL gives them', async () => {
  const rows = await sameRows(GET_PRIMARY_KEYS, ['jdbc\\_%']);
  assert.deepEqual(rows.map((r: any) => `${r.table_name}.${r.column_name}:${r.key_seq}`), ['jdbc_accounts.id:1', 'jdbc_pairs.c:1', 'jdbc_pairs.a:2']);
});

test("pg_constraint.conkey, pg_index.indoption and an index's relpages/reltuples, which pgjdbc 42.7's getPrimaryKeys and getIndexInfo read", async () => {
  await sameRows(`SELECT conname, conkey, confkey FROM pg_constraint WHERE conrelid = 'jdbc_pairs'::regclass`);
  await sameRows(`SELECT i.indoption[0] AS first, i.indoption[1] AS second, ci.relpages, ci.reltuples FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid WHERE i.indrelid = 'jdbc_pairs'::regclass`);
  // pgjdbc's shape: the expansion's .n and (keys).x matched to the column's attnum outside.
  const rows = await sameRows(`SELECT result.attname, result.n FROM (SELECT (information_schema._pg_expandarray(con.conkey)).n AS n,
      information_schema._pg_expandarray(con.conkey) AS keys, a.attname, a.attnum
    FROM pg_constraint con JOIN pg_attribute a ON a.attrelid = con.conrelid WHERE con.conrelid = 'jdbc_pairs'::regclass) result
    WHERE result.attnum = (result.keys).x ORDER BY result.n`);
  assert.deepEqual(rows, [{ attname: 'c', n: 1 }, { attname: 'a', n: 2 }]);
});

// Django 4's get_constraints: the keys and their options side by side from unnest(indkey, indoption)
const DJANGO_INDEXES = `SELECT indexname, array_agg(attname ORDER BY arridx) AS columns, indisunique, indisprimary,
    array_agg(ordering ORDER BY arridx) AS orders, amname, exprdef, s2.attoptions
  FROM (
    SELECT c2.relname as indexname, idx.*, attr.attname, am.amname,
      CASE WHEN idx.indexprs IS NOT NULL THEN pg_get_indexdef(idx.indexrelid) END AS exprdef,
      CASE am.amname WHEN 'btree' THEN CASE (option & 1) WHEN 1 THEN 'DESC' ELSE 'ASC' END END as ordering,
      c2.reloptions as attoptions
    FROM (SELECT * FROM pg_index i, unnest(i.indkey, i.indoption) WITH ORDINALITY koi(key, option, arridx)) idx
    LEFT JOIN pg_class c ON idx.indrelid = c.oid
    LEFT JOIN pg_class c2 ON idx.indexrelid = c2.oid
    LEFT JOIN pg_am am ON c2.relam = am.oid
    LEFT JOIN pg_attribute attr ON attr.attrelid = c.oid AND attr.attnum = idx.key
    WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)
  ) s2
  GROUP BY indexname, indisunique, indisprimary, amname, exprdef, attoptions ORDER BY 1`;

// Rails 7's indexes(table) and primary_keys(table)
const RAILS_INDEXES = `SELECT distinct i.relname, d.indisunique, d.indkey, pg_get_indexdef(d.indexrelid), t.oid = $1::regclass AS same_table,
    pg_catalog.obj_description(i.oid, 'pg_class') AS comment, d.indisvalid
  FROM pg_class t INNER JOIN pg_index d ON t.oid = d.indrelid INNER JOIN pg_class i ON d.indexrelid = i.oid
  LEFT JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE i.relkind IN ('i', 'I') AND d.indisprimary = 'f' AND t.relname = $2 AND n.nspname = ANY (current_schemas(false))
  ORDER BY i.relname`;
const RAILS_PRIMARY_KEYS = `SELECT a.attname FROM (
    SELECT indrelid, indkey, generate_subscripts(indkey, 1) idx FROM pg_index WHERE indrelid = $1::regclass AND indisprimary
  ) i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[i.idx] ORDER BY i.idx`;

test("Django's and Rails' index and primary key queries over pg_index's vectors answer as on PostgreSQL", async () => {
  const django = await sameRows(DJANGO_INDEXES, ['jdbc_accounts']);
  assert.deepEqual(django.map((r: any) => r.indexname), ['jdbc_accounts_owner', 'jdbc_accounts_pkey']);
  await sameRows(DJANGO_INDEXES, ['jdbc_pairs']);
  const rails = await sameRows(RAILS_INDEXES, ['jdbc_accounts', 'jdbc_accounts']);
  assert.equal(rails.length, 1);
  assert.deepEqual(await sameRows(RAILS_PRIMARY_KEYS, ['jdbc_pairs']), [{ attname: 'c' }, { attname: 'a' }]);
});
