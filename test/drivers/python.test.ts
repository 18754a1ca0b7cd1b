/**
 * The Python drivers, run in Python against Eddy and a real PostgreSQL: psycopg 3 (text and
 * binary results), asyncpg, SQLAlchemy 2 and pandas (test/drivers/python/check.py). The drivers
 * come from PyPI into a cached venv (test/support/drivers.ts); without them these tests fail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pythonDrivers, runDriverCheck } from '../support/drivers.js';
import { FIDELITY_COLUMNS } from './fidelity.js';
import { assertFaithful, startSecureListeners, startSides, type DriverSides, type SecureListeners } from './harness.js';

const CHECK = join(import.meta.dirname, 'python', 'check.py');
let sides: DriverSides;
let secure: SecureListeners;
let python: string;

before(async () => {
  [python, sides, secure] = await Promise.all([pythonDrivers(), startSides('drivers_python'), startSecureListeners()]);
});
after(async () => {
  await sides?.stop();
  await secure?.stop();
});

const check = (name: string, env: Record<string, string> = {}) => runDriverCheck([python, CHECK], name, { ...sides.env, ...env });

// Python's date and datetime have no infinities and no BC years, so psycopg refuses the columns
// holding them (d, ts, tstz, atz) on PostgreSQL and Eddy alike: 4 columns x 4 rows not compared.
const PSYCOPG_VALUES = (FIDELITY_COLUMNS.length - 4) * 4;

test('psycopg 3, text results: every type decodes to the same Python values as from PostgreSQL', async () => {
  assertFaithful(await check('fidelity-psycopg-text'), PSYCOPG_VALUES);
});

test('psycopg 3, binary results: every type decodes to the same Python values as from PostgreSQL', async () => {
  assertFaithful(await check('fidelity-psycopg-binary'), PSYCOPG_VALUES);
});

const ARRAY_COLUMNS = FIDELITY_COLUMNS.filter((c) => ['ai', 'at', 'an', 'ab', 'atz'].includes(c));
const SCALAR_COLUMNS = FIDELITY_COLUMNS.filter((c) => !ARRAY_COLUMNS.includes(c));

test('asyncpg (binary): every scalar type decodes to the same values as from PostgreSQL', async () => {
  const result = await runDriverCheck([python, CHECK], 'fidelity-asyncpg', { ...sides.env, FIDELITY_COLUMNS: SCALAR_COLUMNS.join(',') });
  // asyncpg refuses the infinite and BC dates and timestamps as psycopg does (3 columns here).
  assertFaithful(result, (SCALAR_COLUMNS.length - 3) * 4);
});

// asyncpg introspects array types with a query that joins pg_range, reads a WITH RECURSIVE CTE
// correlated to the outer query and prints oid::regtype::text.
test('asyncpg: array columns, which make it introspect their types, decode to the same values as from PostgreSQL', async () => {
  const result = await runDriverCheck([python, CHECK], 'fidelity-asyncpg', { ...sides.env, FIDELITY_COLUMNS: ARRAY_COLUMNS.join(',') });
  assertFaithful(result, (ARRAY_COLUMNS.length - 1) * 4);
});

test("asyncpg's type introspection query answers as on PostgreSQL", async () => {
  const { eddy, postgres } = await check('asyncpg-introspection');
  assert.equal(eddy.length, 13); // the 7 types, and the element types of the 6 arrays
  assert.deepEqual(eddy, postgres);
});

test('asyncpg: copy_records_to_table (all columns and a subset) writes the rows PostgreSQL gets', async () => {
  const { eddy, postgres } = await check('copy-records-asyncpg');
  assert.deepEqual(eddy.tags, ['COPY 2', 'COPY 1']);
  assert.equal(eddy.rows.length, 3);
  assert.deepEqual(eddy, postgres);
});

test('psycopg: server-side cursors (DECLARE, FETCH itersize rows at a time) in text and binary, as on PostgreSQL', async () => {
  const [eddy, postgres] = await Promise.all([check('server-cursor'), runDriverCheck([python, CHECK], 'server-cursor', { ...sides.env, EDDY_URL: sides.pgUrl })]);
  assert.equal(eddy.rows, 1000);
  assert.deepEqual(eddy, postgres);
});

test('psycopg: COPY FROM STDIN in text (write_row), CSV (write) and binary (set_types) gives the rows PostgreSQL gets', async () => {
  const [eddy, postgres] = await Promise.all([check('copy-from'), runDriverCheck([python, CHECK], 'copy-from', { ...sides.env, EDDY_URL: sides.pgUrl })]);
  assert.equal(eddy.count, 603);
  assert.deepEqual(eddy, postgres);
});

test('psycopg: cursor.stream() over a bare SUBSCRIBE sees the snapshot, then rows inserted meanwhile', async () => {
  assert.deepEqual(await check('subscribe-stream'), { columns: ['_ts', '_diff', 'x'], rows: [[1, 1], [1, 2], [1, 3]], after: 3 });
});

test("psycopg: cursor.copy('COPY (SUBSCRIBE ...) TO STDOUT') sees rows as they are inserted, and cancel ends it", async () => {
  assert.deepEqual(await check('subscribe-copy'), { rows: [['1', '10'], ['1', '20'], ['1', '30']], after: 3 });
});

test('pandas.read_sql through SQLAlchemy and psycopg: the same dtypes and values as from PostgreSQL', async () => {
  // pandas goes through psycopg, which refuses the infinite dates and timestamps (d, ts, tstz, atz).
  const columns = FIDELITY_COLUMNS.filter((c) => !['d', 'ts', 'tstz', 'atz'].includes(c));
  const { eddy, postgres } = await runDriverCheck([python, CHECK], 'pandas', { ...sides.env, FIDELITY_COLUMNS: columns.join(',') });
  assert.equal(Object.keys(eddy.dtypes).length, columns.length);
  assert.deepEqual(eddy, postgres);
});

test('SQLAlchemy 2 inspect() and Table autoload answer as on PostgreSQL', async () => {
  // get_pk_constraint and get_indexes unnest pg_index.indkey and indclass (int2vector, oidvector)
  // and cast a bound parameter to regclass
  const { eddy, postgres } = await check('sqlalchemy');
  assert.deepEqual(eddy.sa_pairs.pk.constrained_columns, ['c', 'a']);
  assert.deepEqual(eddy.sa_accounts.indexes.map((i: { column_names: string[] }) => i.column_names), [['owner', 'opened']]);
  assert.equal(eddy.sa_pairs.indexes[0].dialect_options.postgresql_using, 'hash');
  assert.deepEqual(eddy, postgres);
});

test('psycopg and asyncpg connect with SCRAM-SHA-256 and over TLS (verify-full)', async () => {
  assert.deepEqual(await check('connect-psycopg', { EDDY_URL: secure.scramUrl }), { value: 42, tls: false });
  assert.deepEqual(await check('connect-psycopg', { EDDY_URL: secure.tlsUrl }), { value: 42, tls: true });
  assert.deepEqual(await check('connect-asyncpg', { EDDY_URL: secure.scramUrl }), { value: 42 });
  assert.deepEqual(await check('connect-asyncpg', { EDDY_URL: secure.tlsUrl }), { value: 42 });
});
