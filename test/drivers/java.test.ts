/**
 * pgjdbc 42.7, run in Java (test/drivers/java/DriverCheck.java) against Eddy and a real
 * PostgreSQL: getObject of every type, PreparedStatement with every type in a batch, setFetchSize
 * cursors, DatabaseMetaData, SCRAM and TLS. pgjdbc comes from Maven Central and the checks are
 * compiled once into ~/.cache/eddy (test/support/drivers.ts); without a JDK these tests fail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { javaDriver, runDriverCheck } from '../support/drivers.js';
import { FIDELITY_COLUMNS } from './fidelity.js';
import { assertFaithful, startSecureListeners, startSides, type DriverSides, type SecureListeners } from './harness.js';

let sides: DriverSides;
let secure: SecureListeners;
let java: string[];

before(async () => {
  const [driver, s, l] = await Promise.all([javaDriver(), startSides('drivers_java'), startSecureListeners()]);
  java = [driver.java, '-cp', driver.classpath, 'DriverCheck'];
  [sides, secure] = [s, l];
});
after(async () => {
  await sides?.stop();
  await secure?.stop();
});

const check = (name: string, env: Record<string, string> = {}) => runDriverCheck(java, name, { ...sides.env, ...env });

test('pgjdbc getObject: every type decodes to the same Java values as from PostgreSQL', async () => {
  // pgjdbc refuses numeric[] holding NaN (no BigDecimal is NaN) on both sides: that column is not compared.
  assertFaithful(await check('fidelity'), (FIDELITY_COLUMNS.length - 1) * 4);
});

test('pgjdbc PreparedStatement: every type bound with its setter in a batch reads back as from PostgreSQL, text and binary', async () => {
  const { eddy, postgres } = await check('prepared');
  assert.equal(eddy.batch, '[1, 1, 1, 1]');
  assert.equal(eddy.rows.length, 4);
  assert.deepEqual(eddy, postgres);
});

test('pgjdbc setFetchSize: a 1000-row result read through a portal 7 rows at a time', async () => {
  assert.deepEqual(await check('fetch-size'), { rows: 1000, sum: 500500 });
});

test('pgjdbc DatabaseMetaData answers as PostgreSQL does for the same objects', async () => {
  const { eddy, postgres } = await check('metadata');
  const database = new URL(sides.pgUrl).pathname.slice(1);
  // The catalog column is the database's name, which differs by construction.
  const named = (rows: string[][], db: string) => rows.map((r) => r.map((cell) => (cell === db ? '<database>' : cell)));
  for (const method of ['getTables', 'getTablesOfTypes', 'getColumns', 'getPrimaryKeys', 'getIndexInfo', 'getSchemas', 'getTableTypes', 'getTypeInfo']) {
    assert.ok(eddy[method].length > 1, `${method} returned no rows`);
    assert.deepEqual(named(eddy[method], 'eddy'), named(postgres[method], database), method);
  }
  assert.equal(eddy.getTables.length, 1 + 6);
  assert.deepEqual(eddy.getCatalogs, [['table_cat'], ['eddy']]);
});

test('pgjdbc connects with SCRAM-SHA-256 and over TLS (verify-full)', async () => {
  assert.deepEqual(await check('connect', { EDDY_URL: secure.scramUrl }), { value: 42 });
  assert.deepEqual(await check('connect', { EDDY_URL: `${secure.tlsUrl}&ssl=true` }), { value: 42 });
});
