/** Type names as SQL writes them resolve to PostgreSQL's type OIDs and typmods (as RowDescription reports them). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { SqlError } from '../../src/errors.js';
import { resolveTypeName } from '../../src/planner/type-names.js';
import { startOracle, type Oracle } from './pg-oracle.js';

let oracle: Oracle;
before(async () => {
  await loadModule();
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

const NAMES = [
  'int', 'integer', 'int4', 'smallint', 'int2', 'bigint', 'int8', 'real', 'float4', 'float', 'float(10)', 'float(30)', 'float8',
  'double precision', 'numeric', 'numeric(5,2)', 'numeric(7)', 'decimal(10,3)', 'dec', 'text', 'varchar', 'varchar(20)',
  'character varying(3)', 'char', 'char(5)', 'character(2)', 'bpchar', 'bool', 'boolean', 'bytea', 'date', 'timestamp', 'timestamp(3)',
  'timestamp without time zone', 'timestamptz', 'timestamp with time zone', 'timestamptz(0)', 'interval', 'interval day',
  'interval hour to second(3)', 'json', 'jsonb', 'oid', 'name', '"char"', 'pg_catalog.int4', 'nosuchtype', 'public.int4x',
  'numeric(0)', 'varchar(0)', 'numeric(1001)',
];

test('type names resolve as PostgreSQL resolves them', async () => {
  const failures: string[] = [];
  for (const name of NAMES) {
    const sql = `SELECT NULL::${name}`;
    const expected = await oracle.value(sql);
    let actual: { oid: number; typmod: number } | string;
    try {
      const cast = (parseSync(sql) as any).stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val.TypeCast;
      const { type, typmod } = resolveTypeName(cast.typeName);
      actual = { oid: type.oid, typmod };
    } catch (err) {
      if (!(err instanceof SqlError)) throw err;
      actual = err.code;
    }
    const want = expected.ok ? { oid: expected.typeOid, typmod: expected.typmod } : expected.code;
    if (JSON.stringify(actual) !== JSON.stringify(want)) failures.push(`${name}: postgres ${JSON.stringify(want)}, eddy ${JSON.stringify(actual)}`);
  }
  assert.deepEqual(failures, []);
});
