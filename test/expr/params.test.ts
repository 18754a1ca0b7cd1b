/**
 * Parameter type inference ($n without a type from the client) and evaluation with parameter
 * values, against PostgreSQL: PREPARE shows the types it inferred in pg_prepared_statements.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { startOracle, type Oracle } from './pg-oracle.js';
import { evalSql } from './eval.js';

let oracle: Oracle;
before(async () => {
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

/** The parameter types PostgreSQL infers for `SELECT expr`, as type names. */
async function postgresParamTypes(expr: string): Promise<string[] | string> {
  await oracle.value('DEALLOCATE ALL');
  const prepared = await oracle.value(`PREPARE p AS SELECT ${expr}`);
  if (!prepared.ok) return prepared.code;
  const r = await oracle.value("SELECT parameter_types::text FROM pg_prepared_statements WHERE name = 'p'");
  assert.ok(r.ok);
  return r.text!.replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/^"|"$/g, ''));
}

test('untyped parameters take their type from their context', async () => {
  const exprs = [
    '$1 + 1', '$1 + 1.5', '$1 || $2', "$1 = 'x'", '$1::int', 'CAST($1 AS date)', '$1', 'length($1)', 'substr($1, $2)', 'coalesce($1, 1)',
    'coalesce($1, $2)', '$1 IN (1, 2)', 'CASE WHEN $1 THEN 1 END', 'NOT $1', '$1 AND true', '$1 BETWEEN 1 AND 10', "$1 LIKE 'a%'",
    "date '2024-01-01' + $1", 'abs($1)', 'greatest($1, 2.5)', "$1 = $2", 'round($1, 2)', "$1 = now()",
  ];
  const failures: string[] = [];
  for (const expr of exprs) {
    const expected = await postgresParamTypes(expr);
    const actual = evalSql(`SELECT ${expr}`);
    const got = actual.ok ? actual.paramTypes : actual.code;
    if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${expr}: postgres ${JSON.stringify(expected)}, eddy ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('a parameter nothing types is text (where PostgreSQL raises 42P18)', async () => {
  for (const [expr, types] of [
    ['$1 IS NULL', ['text']],
    ['$2 + 1', ['text', 'integer']],
  ] as const) {
    assert.equal(await postgresParamTypes(expr), '42P18');
    const actual = evalSql(`SELECT ${expr}`);
    assert.deepEqual(actual.ok && actual.paramTypes, types);
  }
});

test('parameter values flow into the compiled expression', () => {
  const r = evalSql('SELECT $1 + 1', { params: [41] });
  assert.deepEqual(r.ok && [r.text, r.typeOid], ['42', 23]);
  const s = evalSql('SELECT $1 || $2', { params: ['a', 'b'] });
  assert.deepEqual(s.ok && s.text, 'ab');
  const n = evalSql('SELECT $1 * 2.0', { params: [new Decimal('1.25')] });
  assert.deepEqual(n.ok && n.text, '2.500');
  const missing = evalSql('SELECT $1 + 1', { params: [null] });
  assert.deepEqual(missing.ok && missing.text, null);
});
