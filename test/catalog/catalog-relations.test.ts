/**
 * pg_catalog and information_schema read through the wire with node pg: they describe what the
 * database holds, follow DDL as it happens (also inside materialized views over them), resolve
 * as PostgreSQL's search path does, and survive a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
let c: pg.Client;

before(async () => {
  eddy = await startEddy();
  c = await eddy.client();
  await c.query('CREATE TABLE people (id int8 PRIMARY KEY, name varchar(40) NOT NULL, born date, score numeric(6,2), active bool DEFAULT true)');
  await c.query('CREATE TABLE events (at timestamptz, payload jsonb)');
  await c.query('CREATE VIEW adults AS SELECT id, name FROM people WHERE born < DATE \'2006-01-01\'');
  await c.query('CREATE MATERIALIZED VIEW scores AS SELECT active, avg(score) AS mean FROM people GROUP BY active');
});

after(async () => {
  await eddy?.stop();
});

test('information_schema.columns lists every column of the tables and views, in order, with its type', async () => {
  const { rows } = await c.query(
    "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, character_maximum_length, numeric_precision, numeric_scale, column_default " +
      "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
  );
  // what the tables say about themselves, through an ordinary SELECT *
  for (const table of ['people', 'events', 'adults']) {
    const described = rows.filter((r) => r.table_name === table);
    const probe = await c.query(`SELECT * FROM ${table} LIMIT 0`);
    assert.deepEqual(described.map((r) => r.column_name), probe.fields.map((f) => f.name), table);
    assert.deepEqual(described.map((r) => r.ordinal_position), probe.fields.map((_, i) => i + 1));
  }
  const column = (t: string, n: string) => rows.find((r) => r.table_name === t && r.column_name === n);
  assert.deepEqual(
    { ...column('people', 'name') },
    { table_name: 'people', column_name: 'name', ordinal_position: 2, data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 40, numeric_precision: null, numeric_scale: null, column_default: null },
  );
  assert.equal(column('people', 'id').is_nullable, 'NO');
  assert.equal(column('people', 'id').data_type, 'bigint');
  assert.equal(column('people', 'score').numeric_precision, 6);
  assert.equal(column('people', 'score').numeric_scale, 2);
  assert.equal(column('people', 'active').column_default, 'true');
  assert.equal(column('events', 'at').data_type, 'timestamp with time zone');
  // PostgreSQL leaves materialized views out of information_schema
  assert.equal(rows.some((r) => r.table_name === 'scores'), false);
});

test('information_schema.tables and pg_class agree on what exists and its kind', async () => {
  const tables = await c.query("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  assert.deepEqual(tables.rows, [
    { table_name: 'adults', table_type: 'VIEW' },
    { table_name: 'events', table_type: 'BASE TABLE' },
    { table_name: 'people', table_type: 'BASE TABLE' },
  ]);
  const classes = await c.query(
    "SELECT c.relname, c.relkind, c.relnatts FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
  );
  assert.deepEqual(classes.rows, [
    { relname: 'adults', relkind: 'v', relnatts: 2 },
    { relname: 'events', relkind: 'r', relnatts: 2 },
    { relname: 'people', relkind: 'r', relnatts: 5 },
    { relname: 'people_pkey', relkind: 'i', relnatts: 1 },
    { relname: 'scores', relkind: 'm', relnatts: 2 },
  ]);
  const attrs = await c.query(
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull FROM pg_attribute a WHERE a.attrelid = (SELECT oid FROM pg_class WHERE relname = 'people') AND a.attnum > 0 ORDER BY a.attnum",
  );
  assert.deepEqual(attrs.rows.map((r) => `${r.attname} ${r.type}${r.attnotnull ? ' not null' : ''}`), [
    'id bigint not null',
    'name character varying(40) not null',
    'born date',
    'score numeric(6,2)',
    'active boolean',
  ]);
});

test('a materialized view over information_schema.tables follows CREATE and DROP', async () => {
  await c.query("CREATE MATERIALIZED VIEW public_tables AS SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  const names = async () => (await c.query('SELECT table_name FROM public_tables ORDER BY 1')).rows.map((r) => r.table_name);
  assert.deepEqual(await names(), ['events', 'people']);
  await c.query('CREATE TABLE arrivals (x int)');
  await waitFor(async () => (await names()).includes('arrivals'), { message: 'arrivals in the view' });
  assert.deepEqual(await names(), ['arrivals', 'events', 'people']);
  await c.query('DROP TABLE arrivals');
  await waitFor(async () => !(await names()).includes('arrivals'), { message: 'arrivals gone from the view' });
  await c.query('DROP MATERIALIZED VIEW public_tables');
});

test('names resolve as on PostgreSQL\'s search path: pg_catalog first, information_schema only qualified', async () => {
  const unqualified = await c.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname IN ('pg_catalog', 'public', 'information_schema')");
  assert.equal(unqualified.rows[0].n, 3);
  const qualified = await c.query("SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = 11");
  assert.deepEqual(qualified.rows, [{ nspname: 'pg_catalog' }]);
  assert.equal((await c.query('SELECT count(*)::int AS n FROM public.people')).rows[0].n, 0);
  await assert.rejects(c.query('SELECT * FROM tables'), (err: any) => err.code === '42P01');
  await assert.rejects(c.query('SELECT * FROM pg_catalog.people'), (err: any) => err.code === '42P01' && /pg_catalog\.people/.test(err.message));
  await assert.rejects(c.query('SELECT * FROM nowhere.pg_class'), (err: any) => err.code === '42P01');
});

test('catalog functions: visibility, definitions, owners, privileges', async () => {
  const { rows } = await c.query(
    "SELECT pg_table_is_visible(c.oid) AS visible, pg_get_viewdef(c.oid) AS def, pg_get_userbyid(c.relowner) AS owner, " +
      "has_table_privilege(c.oid, 'SELECT') AS can_select FROM pg_class c WHERE c.relname = 'adults'",
  );
  assert.deepEqual(rows, [{ visible: true, def: " SELECT id, name FROM people WHERE born < DATE '2006-01-01';", owner: 'eddy', can_select: true }]);
  const index = await c.query("SELECT pg_get_indexdef(i.indexrelid) AS def, pg_get_constraintdef(k.oid) AS con FROM pg_index i JOIN pg_constraint k ON k.conindid = i.indexrelid WHERE i.indrelid = (SELECT oid FROM pg_class WHERE relname = 'people')");
  assert.deepEqual(index.rows, [{ def: 'CREATE UNIQUE INDEX people_pkey ON public.people USING btree (id)', con: 'PRIMARY KEY (id)' }]);
  const infoVisible = await c.query("SELECT pg_table_is_visible(c.oid) AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'information_schema' AND c.relname = 'tables'");
  assert.deepEqual(infoVisible.rows, [{ v: false }]);
  const types = await c.query("SELECT format_type(oid, NULL) AS t FROM pg_type WHERE typname IN ('int4', 'timestamptz', 'varchar') ORDER BY 1");
  assert.deepEqual(types.rows.map((r) => r.t), ['character varying', 'integer', 'timestamp with time zone']);
});

test('after a restart the catalog describes the replayed relations, also inside a view over it', async () => {
  await c.query("CREATE MATERIALIZED VIEW public_classes AS SELECT relname, relkind FROM pg_class WHERE relnamespace = 2200 AND relname <> 'public_classes'");
  await eddy.restart();
  c = await eddy.client();
  const expected = ['adults:v', 'events:r', 'people:r', 'people_pkey:i', 'scores:m'];
  const { rows } = await c.query("SELECT relname, relkind FROM pg_class WHERE relnamespace = 2200 AND relname <> 'public_classes' ORDER BY 1");
  assert.deepEqual(rows.map((r) => `${r.relname}:${r.relkind}`), expected);
  const viewed = await c.query('SELECT relname, relkind FROM public_classes ORDER BY 1');
  assert.deepEqual(viewed.rows.map((r) => `${r.relname}:${r.relkind}`), expected);
  await c.query('DROP MATERIALIZED VIEW public_classes');
});

test('object-name literals and to_regclass name relations, types and schemas by oid', async () => {
  const { rows } = await c.query(
    "SELECT 'people'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'people') AS people, " +
      "'public.\"people\"'::regclass::oid AS quoted, 'pg_catalog.pg_class'::regclass::oid AS pg_class, " +
      "'integer'::regtype::oid AS int4, 'character varying'::regtype::oid AS varchar, 'information_schema'::regnamespace::oid AS info, " +
      "to_regclass('people') IS NOT NULL AS found, to_regclass('nobody') AS missing",
  );
  const peopleOid = (await c.query("SELECT oid FROM pg_class WHERE relname = 'people'")).rows[0].oid;
  assert.deepEqual(rows, [{ people: true, quoted: peopleOid, pg_class: 1259, int4: 23, varchar: 1043, info: 13183, found: true, missing: null }]);
  await assert.rejects(c.query("SELECT 'nobody'::regclass"), (err: any) => err.code === '42P01' && err.position === '8');
  await assert.rejects(c.query("SELECT 'nosuchtype'::regtype"), (err: any) => err.code === '42704');
  await assert.rejects(c.query("SELECT 'nowhere'::regnamespace"), (err: any) => err.code === '3F000');
});

test("to_regtype: a type's oid by any of its names, NULL for a name that is no type (psycopg's TypeInfo.fetch)", async () => {
  const { rows } = await c.query(
    "SELECT to_regtype('int4')::oid AS a, to_regtype('INTEGER')::oid AS b, to_regtype('pg_catalog.text')::oid AS c, " +
      "to_regtype('character varying')::oid AS d, to_regtype('int4[]')::oid AS e, to_regtype('hstore') AS f, to_regtype('nope.int4') AS g",
  );
  assert.deepEqual(rows, [{ a: 23, b: 23, c: 25, d: 1043, e: 1007, f: null, g: null }]);
});

test('a source is described as a table', async () => {
  await c.query("CREATE SOURCE clock FROM TIME TABLE (PERIOD '1 hour')");
  const { rows } = await c.query(
    "SELECT c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = 'clock' AND a.attnum > 0 ORDER BY a.attnum",
  );
  assert.deepEqual(rows, [
    { relkind: 'r', attname: 'timestamp', type: 'timestamp with time zone' },
    { relkind: 'r', attname: 'tick', type: 'bigint' },
  ]);
  // a table to read, not to write: information_schema says so
  const info = await c.query("SELECT table_name, table_type, is_insertable_into FROM information_schema.tables WHERE table_name IN ('clock', 'people') ORDER BY 1");
  assert.deepEqual(info.rows, [
    { table_name: 'clock', table_type: 'BASE TABLE', is_insertable_into: 'NO' },
    { table_name: 'people', table_type: 'BASE TABLE', is_insertable_into: 'YES' },
  ]);
  await c.query('DROP SOURCE clock');
  assert.equal((await c.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'clock'")).rows[0].n, 0);
});

test('the database and user a client connects with are in pg_database and pg_roles', async () => {
  const other = new pg.Client({ host: '127.0.0.1', port: eddy.port, database: 'analytics', user: 'alice' });
  await other.connect();
  const { rows } = await other.query(
    "SELECT d.datname, r.rolname, r.rolsuper, pg_get_userbyid(r.oid) AS by_id FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user",
  );
  assert.deepEqual(rows, [{ datname: 'analytics', rolname: 'alice', rolsuper: true, by_id: 'alice' }]);
  const owners = await other.query("SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class");
  assert.deepEqual(owners.rows, [{ owner: 'eddy' }]);
  await other.end();
});

test('a view over the catalog that uses its array columns reads like the query it stands for', async () => {
  await c.query("CREATE VIEW acl_report AS SELECT relname, array_to_string(relacl, ',') AS acl FROM pg_class WHERE relname = 'people'");
  assert.deepEqual((await c.query('SELECT * FROM acl_report')).rows, [{ relname: 'people', acl: null }]);
  await c.query('DROP VIEW acl_report');
});

test('array constructs over data Eddy has are computed from it, not answered with NULL', async () => {
  const names = await c.query("SELECT array_to_string(ARRAY(SELECT relname FROM pg_class WHERE relnamespace = 2200 AND relname IN ('people', 'events') ORDER BY relname), ',') AS names");
  assert.deepEqual(names.rows, [{ names: 'events,people' }]);
  // over the catalog's array columns (NULL in Eddy: no ACLs) the same construct is NULL
  const { rows } = await c.query("SELECT array_to_string(relacl, ',') AS acl FROM pg_class WHERE relname = 'people'");
  assert.deepEqual(rows, [{ acl: null }]);
});

test('pgjdbc numbers attributes with row_number() over the catalog, filtered or joined', async () => {
  const numbering = 'SELECT a.attname, row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ';
  const numbered = await c.query(numbering + "WHERE c.relname = 'people' AND a.attnum > 0 AND NOT a.attisdropped");
  assert.deepEqual(numbered.rows.map((r) => `${r.attname}:${r.n}`).sort(), ['active:5', 'born:3', 'id:1', 'name:2', 'score:4']);
  // filtering attributes changes the numbering, as in PostgreSQL
  const filtered = await c.query(numbering + "WHERE c.relname = 'people' AND a.attnum > 0 AND a.attname <> 'id'");
  assert.deepEqual(filtered.rows.map((r) => `${r.attname}:${r.n}`).sort(), ['active:4', 'born:2', 'name:1', 'score:3']);
});

test('defaults are shown as written, whatever quotes and parentheses they hold', async () => {
  await c.query(`CREATE TABLE "Odd" ("a b" int DEFAULT (1 + 2) NOT NULL, c text DEFAULT 'x, y)', d int DEFAULT 5, e text default (')'))`);
  const { rows } = await c.query(
    "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
      "WHERE a.attrelid = '\"Odd\"'::regclass ORDER BY a.attnum",
  );
  assert.deepEqual(rows, [
    { attname: 'a b', def: '(1 + 2)' },
    { attname: 'c', def: "'x, y)'" },
    { attname: 'd', def: '5' },
    { attname: 'e', def: "(')')" },
  ]);
  await c.query('DROP TABLE "Odd"');
});

test('pg_proc marks set-returning functions and its polymorphic argument types are pg_type rows', async () => {
  const { rows } = await c.query(
    "SELECT p.proname, p.proretset, t.typname FROM pg_proc p JOIN pg_type t ON t.oid = split_part(p.proargtypes, ' ', 1)::oid " +
      "WHERE p.proname IN ('unnest', 'array_length', 'jsonb_each') ORDER BY 1",
  );
  assert.deepEqual(rows, [
    { proname: 'array_length', proretset: false, typname: 'anyarray' },
    { proname: 'jsonb_each', proretset: true, typname: 'jsonb' },
    { proname: 'unnest', proretset: true, typname: 'anyarray' },
  ]);
});
