/**
 * Catalog answers PostgreSQL defines precisely, checked against a real PostgreSQL:
 * pg_size_pretty's units and rounding, format_type's spelling of every type Eddy has (with and
 * without modifiers), pg_type's rows for those types, pg_attribute's for a column of each,
 * pg_index's vectors (int2vector, oidvector) and the operator classes they name.
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

before(async () => {
  [eddy, postgres] = await Promise.all([startEddy(), startPostgres()]);
  e = await eddy.client();
  p = new pg.Client({ connectionString: postgres.url });
  await p.connect();
});

after(async () => {
  await p?.end();
  await eddy?.stop();
  await postgres?.stop();
});

async function both(sql: string): Promise<[unknown[], unknown[]]> {
  const [a, b] = await Promise.all([e.query(sql), p.query(sql)]);
  return [a.rows, b.rows];
}

test('pg_size_pretty agrees with PostgreSQL across units, boundaries and signs', async () => {
  const sizes = [0n, 1n, 10239n, 10240n, 10751n, 10752n, 20479n * 512n, 20479n * 512n + 1n, 1n << 20n, 123456789n, 10n << 30n, 5n << 40n, 3n << 50n, 9_000_000_000_000_000_000n];
  const values = [...sizes, ...sizes.map((s) => -s)].map((s) => `(${s}::int8)`).join(', ');
  const [eddyRows, pgRows] = await both(`SELECT v, pg_size_pretty(v) AS pretty FROM (VALUES ${values}) AS t(v) ORDER BY v`);
  assert.deepEqual(eddyRows, pgRows);
});

test('format_type spells each type as PostgreSQL does', async () => {
  const cases = [
    "'int4'", "'int8'", "'int2'", "'float4'", "'float8'", "'bool'", "'text'", "'bytea'", "'date'", "'interval'", "'json'", "'jsonb'",
    "'name'", "'oid'", "'char'",
  ].map((t) => `format_type(${t}::regtype, NULL)`);
  const withModifiers = [
    "format_type('numeric'::regtype, 655366)", // numeric(10,2)
    "format_type('varchar'::regtype, 24)", // character varying(20)
    "format_type('bpchar'::regtype, 9)", // character(5)
    "format_type('timestamptz'::regtype, 3)",
    "format_type('timestamp'::regtype, -1)",
    "format_type('numeric'::regtype, -1)",
  ];
  const [eddyRows, pgRows] = await both(`SELECT ${[...cases, ...withModifiers].map((c, i) => `${c} AS c${i}`).join(', ')}`);
  assert.deepEqual(eddyRows, pgRows);
});

test('x::regtype::text and x::regclass::text print the name as PostgreSQL does (asyncpg reads elemtype::regtype::text)', async () => {
  const exprs = [
    '23::regtype::text', '0::regtype::text', '1007::oid::regtype::text', '99999::regtype::text', "1184::regtype::varchar",
    '(SELECT typarray FROM pg_type WHERE oid = 25)::regtype::text', '2276::regtype::text', "'pg_class'::regclass::text",
    "'information_schema.tables'::regclass::text", "('pg_' || 'type')::regclass::text", 'NULL::oid::regtype::text',
  ];
  const [eddyRows, pgRows] = await both(`SELECT ${exprs.map((x, i) => `${x} AS c${i}`).join(', ')}`);
  assert.deepEqual(eddyRows, pgRows);
  const perRow = 'SELECT typname, typelem::regtype::text AS elem FROM pg_type WHERE oid IN (1007, 1009, 1231, 1185) ORDER BY oid';
  assert.deepEqual(...(await both(perRow)));
});

test('pg_type describes each of Eddy\'s types as PostgreSQL does', async () => {
  const typnames = (await e.query('SELECT typname FROM pg_type ORDER BY oid')).rows.map((r) => r.typname);
  assert.ok(typnames.length >= 20);
  const sql =
    'SELECT oid, typname, typnamespace, typlen, typbyval, typtype, typcategory, typdelim, typelem, typarray, typcollation, typalign, typstorage, ' +
    'typinput::oid AS typinput, typoutput::oid AS typoutput, typreceive::oid AS typreceive, typsend::oid AS typsend ' +
    'FROM pg_catalog.pg_type WHERE typname = ANY ($1) ORDER BY oid';
  // Eddy has no array parameters: it gets the same list as IN (...)
  const [a, b] = await Promise.all([e.query(sql.replace('= ANY ($1)', `IN (${typnames.map((t) => `'${t}'`).join(', ')})`)), p.query(sql, [typnames])]);
  assert.deepEqual(a.rows, b.rows);
});

test('pg_attribute and information_schema.columns describe a column of each type as PostgreSQL does', async () => {
  const columns = 'a bool, b bytea, c "char", d name, e int8, f int2, g int4, h text, i oid, j json, k float4, l float8, m char(3), n varchar(5), o date, p timestamp, q timestamptz, r interval, s numeric(8,3), t jsonb';
  await e.query(`CREATE TABLE catalog_every_type (${columns})`);
  await p.query('DROP TABLE IF EXISTS catalog_every_type');
  await p.query(`CREATE TABLE catalog_every_type (${columns})`);
  try {
    await sameCatalogRows(
      'SELECT column_name, ordinal_position, column_default, is_nullable, data_type, character_maximum_length, character_octet_length, ' +
        'numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision, interval_type, udt_schema, udt_name, is_identity, is_generated, is_updatable ' +
        "FROM information_schema.columns WHERE table_name = 'catalog_every_type' ORDER BY ordinal_position",
    );
    await sameCatalogRows(
      "SELECT attname, atttypid, attlen, attnum, atttypmod, attbyval, attalign, attstorage, attnotnull, attcollation, format_type(atttypid, atttypmod) AS type " +
        "FROM pg_attribute WHERE attrelid = (SELECT oid FROM pg_class WHERE relname = 'catalog_every_type') AND attnum > 0 ORDER BY attnum",
    );
  } finally {
    await p.query('DROP TABLE IF EXISTS catalog_every_type');
  }
});

async function sameCatalogRows(sql: string): Promise<void> {
  const [a, b] = await both(sql);
  assert.deepEqual(a, b);
}

test('array constructs over the catalog answer what PostgreSQL answers', async () => {
  await e.query('CREATE TABLE catalog_arrays_probe (a int)');
  await p.query('DROP TABLE IF EXISTS catalog_arrays_probe');
  await p.query('CREATE TABLE catalog_arrays_probe (a int)');
  try {
    const [eddyRows, pgRows] = await both(
      "SELECT array_to_string(c.relacl, ',') AS acl, array_to_string(c.reloptions || ARRAY(SELECT 'toast.' || x FROM unnest(c.reloptions) x), ', ') AS options, " +
        "'fillfactor=50' = ANY(c.reloptions) AS has_option, c.reloptions[1] AS first_option, c.relacl IS NULL AS no_acl, " +
        "array_to_string(ARRAY(SELECT polname FROM pg_policy WHERE polrelid = c.oid), ',') AS policies, cardinality(ARRAY(SELECT 1 FROM pg_policy)) AS n_policies, " +
        "array_upper(ARRAY(SELECT rolname FROM pg_roles WHERE oid = ANY(c.reloptions::oid[])), 1) AS roles_upper " +
        "FROM pg_class c WHERE c.relname = 'catalog_arrays_probe'",
    );
    assert.deepEqual(eddyRows, pgRows);
    assert.deepEqual(eddyRows, [{ acl: null, options: '', has_option: null, first_option: null, no_acl: true, policies: '', n_policies: 0, roles_upper: null }]);
  } finally {
    await p.query('DROP TABLE IF EXISTS catalog_arrays_probe');
  }
});

test('information_schema constraints and privileges of a table are PostgreSQL\'s', async () => {
  const ddl = 'CREATE TABLE catalog_constraint_probe (id int8, name text NOT NULL, note text, PRIMARY KEY (name, id))';
  await e.query(ddl);
  await p.query('DROP TABLE IF EXISTS catalog_constraint_probe');
  await p.query(ddl);
  try {
    // NOT NULL checks are named after the schema's and the table's oids, which differ
    const unnumbered = (column: string) => `regexp_replace(${column}, '^[0-9]+_[0-9]+_', '') AS ${column}`;
    await sameCatalogRows(
      `SELECT ${unnumbered('constraint_name')}, table_schema, table_name, constraint_type, is_deferrable, initially_deferred, enforced, nulls_distinct ` +
        "FROM information_schema.table_constraints WHERE table_name = 'catalog_constraint_probe' ORDER BY constraint_type, constraint_name",
    );
    await sameCatalogRows(
      `SELECT ${unnumbered('constraint_name')}, check_clause FROM information_schema.check_constraints c ` +
        "WHERE c.constraint_name IN (SELECT constraint_name FROM information_schema.table_constraints WHERE table_name = 'catalog_constraint_probe') ORDER BY 1",
    );
    await sameCatalogRows("SELECT column_name, constraint_name FROM information_schema.constraint_column_usage WHERE table_name = 'catalog_constraint_probe' ORDER BY 1");
    await sameCatalogRows(
      "SELECT constraint_name, column_name, ordinal_position, position_in_unique_constraint FROM information_schema.key_column_usage WHERE table_name = 'catalog_constraint_probe' ORDER BY ordinal_position",
    );
    await sameCatalogRows(
      "SELECT privilege_type, is_grantable, with_hierarchy, grantor = grantee AS by_owner FROM information_schema.table_privileges WHERE table_name = 'catalog_constraint_probe' ORDER BY 1",
    );
  } finally {
    await p.query('DROP TABLE IF EXISTS catalog_constraint_probe');
  }
});

test('pg_index.indkey, indcollation, indclass and indoption are int2vector and oidvector as in PostgreSQL', async () => {
  const ddl = [
    'CREATE TABLE catalog_vector_probe (a int, b varchar(5), c text, d bpchar(3), e name, f text[], g float8, PRIMARY KEY (c, a))',
    'CREATE INDEX catalog_vector_probe_b ON catalog_vector_probe USING hash (b)',
    'CREATE INDEX catalog_vector_probe_many ON catalog_vector_probe (d, e, f, b, g)',
  ];
  for (const sql of ddl) await e.query(sql);
  await p.query('DROP TABLE IF EXISTS catalog_vector_probe');
  for (const sql of ddl) await p.query(sql);
  const ofProbe = "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'catalog_vector_probe'::regclass";
  try {
    await sameCatalogRows(
      'SELECT i.relname, indkey, indcollation, indclass, indoption, indkey::text AS t, indkey[0] AS k0, indkey[1] AS k1, indclass[0] AS c0, ' +
        'array_length(indkey, 1) AS n, array_lower(indclass, 1) AS lo, array_upper(indoption, 1) AS hi, cardinality(indkey) AS card, ' +
        `indkey::int2[] AS keys, indclass::oid[] AS classes, indkey::int4[] AS wide, 3 = ANY (indkey) AS has3 ${ofProbe} ORDER BY 1`,
    );
    // SQLAlchemy's get_indexes and get_pk_constraint: unnest and generate_subscripts side by side
    await sameCatalogRows(`SELECT i.relname, unnest(indkey) AS attnum, unnest(indclass) AS opclass, generate_subscripts(indkey, 1) AS ord ${ofProbe} ORDER BY 1, 4`);
    await sameCatalogRows(`SELECT i.relname, generate_subscripts(indoption, 1, true) AS ord ${ofProbe} ORDER BY 1, 2 DESC`);
    await sameCatalogRows(
      'SELECT i.relname, c.opcname, c.opcdefault, a.amname, format_type(c.opcintype, NULL) AS intype FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid ' +
        "JOIN pg_opclass c ON c.oid = x.indclass[0] JOIN pg_am a ON a.oid = c.opcmethod WHERE x.indrelid = 'catalog_vector_probe'::regclass ORDER BY 1",
    );
    // pg_constraint.conkey holds the primary key's columns (it is not one of the always-NULL arrays)
    await sameCatalogRows(
      "SELECT c.conname, a.attname, c.conkey, c.conkey[1] AS first, array_length(c.conkey, 1) AS n, c.conkey IS NULL AS none, c.confkey IS NULL AS no_fkey " +
        "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.conrelid = 'catalog_vector_probe'::regclass ORDER BY 2",
    );
    // the index's own columns: a hash index stores int4 hash codes, a btree a name as cstring
    await sameCatalogRows(
      'SELECT i.relname, a.attnum, a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod) AS type, a.attlen, a.attbyval, a.attalign, a.attstorage, a.attcollation ' +
        "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_attribute a ON a.attrelid = x.indexrelid WHERE x.indrelid = 'catalog_vector_probe'::regclass ORDER BY 1, 2",
    );
    // every operator class Eddy lists is PostgreSQL's, row for row
    const oids = (await e.query('SELECT oid FROM pg_opclass')).rows.map((r) => r.oid);
    assert.ok(oids.length >= 40);
    await sameCatalogRows(`SELECT oid, opcmethod, opcname, opcnamespace, opcowner, opcfamily, opcintype, opcdefault, opckeytype FROM pg_opclass WHERE oid IN (${oids.join(', ')}) ORDER BY oid`);
  } finally {
    await p.query('DROP TABLE IF EXISTS catalog_vector_probe');
  }
});

test('int2vector and oidvector values: text form, subscripts, casts and the functions over arrays', async () => {
  await sameCatalogRows(
    "SELECT '1 2'::int2vector AS v, ' 3  4 '::int2vector AS spaced, ''::int2vector::text AS empty, '26 23'::oidvector AS o, ('26 23'::oidvector)[1] AS o1, " +
      "'1 2'::int2vector = '1 2'::int2vector AS eq, '1 2'::int2vector::int2[] = '{1,2}'::int2[] AS bounds_differ, '1 2'::int2vector || 3::int2 AS appended, " +
      "format_type('int2vector'::regtype, NULL) AS f1, format_type('oidvector'::regtype, NULL) AS f2, format_type(1006, NULL) AS f3",
  );
  await sameCatalogRows("SELECT unnest('7 8 9'::int2vector) + 1 AS x, generate_subscripts('7 8 9'::int2vector, 1) AS i");
  await sameCatalogRows("SELECT generate_subscripts('{5,6,7}'::int[], 1) AS up, generate_subscripts('[2:4]={5,6,7}'::int[], 1, true) AS down, generate_subscripts('{5}'::int[], 2) AS none");
  for (const sql of ["SELECT '{1,2}'::int2[]::int2vector", "SELECT '1,2'::int2vector"]) {
    const [a, b] = await Promise.all([e.query(sql).catch((err) => err.code), p.query(sql).catch((err) => err.code)]);
    assert.equal(a, b, sql);
  }
});

test('$1::regclass and $1::regtype look the bound name up when the statement runs', async () => {
  const sql = 'SELECT $1::regclass::oid AS rel, $2::regtype::oid AS type, $3::regclass::oid AS by_number';
  const params = ['pg_catalog.pg_class', 'character varying', '1259'];
  const [a, b] = await Promise.all([e.query(sql, params), p.query(sql, params)]);
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual(a.rows, [{ rel: 1259, type: 1043, by_number: 1259 }]);
  for (const [cast, name] of [['regclass', 'no_such_relation'], ['regtype', 'no_such_type']]) {
    const query = `SELECT $1::${cast}::oid`;
    const [x, y] = await Promise.all([e.query(query, [name]).catch((err) => err.code), p.query(query, [name]).catch((err) => err.code)]);
    assert.equal(x, y, query);
  }
});

test('pg_class, pg_index and pg_constraint rows of a table and its primary key are PostgreSQL\'s', async () => {
  const ddl = 'CREATE TABLE catalog_keyed_probe (a int, b text NOT NULL, c float8, PRIMARY KEY (c, a))';
  await e.query(ddl);
  await p.query('DROP TABLE IF EXISTS catalog_keyed_probe');
  await p.query(ddl);
  try {
    await sameCatalogRows(
      'SELECT relname, relkind, relnatts, relhasindex, relpersistence, relchecks, relhasrules, relhastriggers, relhassubclass, relrowsecurity, ' +
        "relforcerowsecurity, relispopulated, relreplident, relispartition, relam, reloftype, relisshared FROM pg_class WHERE relname IN ('catalog_keyed_probe', 'catalog_keyed_probe_pkey') ORDER BY 1",
    );
    await sameCatalogRows(
      'SELECT indnatts, indnkeyatts, indisunique, indisprimary, indisexclusion, indimmediate, indisclustered, indisvalid, indcheckxmin, indisready, ' +
        "indislive, indisreplident, indkey::text AS indkey, indexprs IS NULL AS no_exprs, indpred IS NULL AS no_pred FROM pg_index WHERE indrelid = 'catalog_keyed_probe'::regclass",
    );
    await sameCatalogRows(
      'SELECT conname, contype, condeferrable, condeferred, convalidated, confupdtype, confdeltype, confmatchtype, conislocal, coninhcount, connoinherit, ' +
        "conindid = (SELECT oid FROM pg_class WHERE relname = 'catalog_keyed_probe_pkey') AS on_index FROM pg_constraint WHERE conrelid = 'catalog_keyed_probe'::regclass",
    );
    await sameCatalogRows("SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'catalog_keyed_probe'::regclass");
    await sameCatalogRows(
      "SELECT k.n, pg_get_indexdef(i.indexrelid, k.n, false) AS def FROM pg_index i, generate_series(0, 3) AS k(n) WHERE i.indrelid = 'catalog_keyed_probe'::regclass ORDER BY 1",
    );
    await sameCatalogRows("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'catalog_keyed_probe'::regclass");
  } finally {
    await p.query('DROP TABLE IF EXISTS catalog_keyed_probe');
  }
});

test("a type's name called on one value is a cast (pgAdmin's bpchar(r.ev_type)), quote_ident quotes reserved words, CASE weighs ELSE first", async () => {
  await sameCatalogRows(`SELECT bpchar(ev_type) = '1'::bpchar AS select_rule, int4('7') AS i FROM (SELECT '1'::"char" AS ev_type) r`);
  await sameCatalogRows(`SELECT int4('7') AS i, text(12) AS t, bpchar('x'::"char") AS c, float8(2) AS f`);
  await sameCatalogRows(`SELECT quote_ident('default') AS a, quote_ident('user') AS b, quote_ident('name') AS c, quote_ident('Mixed') AS d, quote_ident('select') AS e`);
  await sameCatalogRows(`SELECT CASE WHEN nspname = 'public' THEN 'p.' || nspname ELSE nspname END AS n FROM pg_namespace WHERE nspname IN ('public', 'pg_catalog') ORDER BY 1`);
});
