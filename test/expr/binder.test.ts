/**
 * The binder's contract with the planner and the DML code: scopes, hooks, parameter types given
 * by the client, coercion contexts and common types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { SqlError } from '../../src/errors.js';
import { T, type SqlType, type Value } from '../../src/types/types.js';
import { bindExpr, coerce, commonType, ParamTypes, type BindContext, type Scope } from '../../src/planner/bind-expr.js';
import { compileExpr, compilePredicate } from '../../src/planner/compile-expr.js';
import type { EvalEnv, Expr } from '../../src/planner/expr-ir.js';

await loadModule();

const columns: Record<string, SqlType> = { a: T.int4, b: T.text, c: T.varchar, d: T.timestamptz };
const scope: Scope = {
  resolveColumn(fields) {
    const name = fields.at(-1)!;
    const index = Object.keys(columns).indexOf(name);
    if (index < 0) throw new SqlError('42703', `column "${name}" does not exist`);
    return { index, type: columns[name]! };
  },
};
const env = (params: Value[] = []): EvalEnv => ({ params, setting: (n) => (n === 'timezone' ? 'UTC' : undefined), now: 0 });
const parseExpr = (sql: string) => (parseSync(`SELECT ${sql}`) as any).stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val;
const bind = (sql: string, ctx: Partial<BindContext> = {}) => bindExpr(parseExpr(sql), { scope, params: new ParamTypes(), ...ctx });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof SqlError ? err.code : 'not a SqlError';
  }
  return 'no error';
};

test('columns come from the scope and compare with typed literals', () => {
  const pred = compilePredicate(bind("a > 1 AND b = 'x' AND c LIKE 'v%'"));
  assert.equal(pred([2, 'x', 'vv', 0], env()), true);
  assert.equal(pred([2, 'y', 'vv', 0], env()), false);
  assert.equal(pred([null, 'x', 'vv', 0], env()), false);
  assert.equal(code(() => bind('zz + 1')), '42703');
});

test('hooks bind subqueries and aggregate calls; without a hook a subquery is not supported', () => {
  const sub: Expr = { kind: 'const', value: 7, type: T.int4 };
  const ctx: Partial<BindContext> = {
    hooks: {
      subLink: () => sub,
      funcCall: (node) => (node.FuncCall.funcname.at(-1).String.sval === 'count' ? { kind: 'column', index: 0, type: T.int8 } : undefined),
    },
  };
  assert.equal(compileExpr(bind('(SELECT 1) + 1', ctx))([], env()), 8);
  assert.equal(bind('count(*) + 1', ctx).type, T.int8);
  assert.equal(compileExpr(bind('length(b)', ctx))([0, 'abc'], env()), 3);
  assert.equal(code(() => bind('(SELECT 1)')), '0A000');
  assert.equal(code(() => bind('count(*)')), '42883');
});

test('parameter types given by the client win over inference', () => {
  const params = new ParamTypes([T.int8.oid, 0]);
  const e = bind('$1 + $2', { params });
  assert.deepEqual(params.oids(), [T.int8.oid, T.int8.oid]);
  assert.equal(compileExpr(e)([], env([2n, 3n])), 5n);
  // uuid (2950) is a type Eddy does not have; int4[] (1007) it has
  assert.equal(code(() => new ParamTypes([2950])), '0A000');
  assert.deepEqual(new ParamTypes([1007]).oids(), [1007]);
});

test('assignment to varchar(n) refuses what is too long; an explicit cast truncates', () => {
  const typmod = 3 + 4;
  const assigned = compileExpr(coerce(bind("'abcd'::text"), T.varchar, 'assignment', typmod));
  assert.equal(code(() => assigned([], env())), '22001');
  assert.equal(compileExpr(coerce(bind("'abc  '::text"), T.varchar, 'assignment', typmod))([], env()), 'abc');
  assert.equal(compileExpr(coerce(bind("'abcd'::text"), T.varchar, 'explicit', typmod))([], env()), 'abc');
  assert.equal(code(() => coerce(bind("'abcd'"), T.varchar, 'assignment', typmod)), '22001');
  assert.equal(code(() => coerce(bind('true'), T.int4, 'assignment')), '42804');
  assert.equal(code(() => coerce(bind("'\\x01'::bytea"), T.int4, 'explicit')), '42846');
  assert.equal(code(() => coerce(bind('1.5'), T.int4, 'implicit')), '42804');
  assert.equal(compileExpr(coerce(bind('1.5'), T.int4, 'assignment'))([], env()), 2);
});

test('common types of UNION/CASE/COALESCE inputs, given as expressions or types', () => {
  assert.equal(commonType([T.int4, T.numeric], 'UNION'), T.numeric);
  assert.equal(commonType([T.int4, T.float8, T.numeric], 'UNION'), T.float8);
  assert.equal(commonType([T.unknown, T.unknown], 'UNION'), T.text);
  assert.equal(commonType([bind("'x'"), bind('c')], 'CASE'), T.varchar);
  // mutually implicit types keep the first (PostgreSQL: varchar UNION text is varchar)
  assert.equal(commonType([T.varchar, T.text], 'UNION'), T.varchar);
  assert.equal(commonType([T.text, T.varchar], 'UNION'), T.text);
  assert.equal(commonType([T.bpchar, T.varchar], 'UNION'), T.bpchar);
  assert.equal(commonType([T.date, T.timestamptz], 'UNION'), T.timestamptz);
  assert.equal(code(() => commonType([T.int4, T.text], 'UNION')), '42804');
});

test('timestamptz literals are read in the session zone at run time', () => {
  const e = compileExpr(bind("d < '2024-01-01 00:00'"));
  const midnightUtc = Date.UTC(2024, 0, 1) * 1000;
  const inZone = (zone: string): EvalEnv => ({ params: [], setting: (n) => (n === 'timezone' ? zone : undefined), now: 0 });
  assert.equal(e([0, '', '', midnightUtc - 1], inZone('UTC')), true);
  assert.equal(e([0, '', '', midnightUtc + 1], inZone('UTC')), false);
  assert.equal(e([0, '', '', midnightUtc + 1], inZone('America/New_York')), true);
});

test("'now' and 'today' literals read the statement's clock in the session zone at run time", () => {
  const today = compileExpr(bind("'today'::date"));
  const now = Date.UTC(2024, 0, 1, 3, 0) * 1000;
  const at = (zone: string): EvalEnv => ({ params: [], setting: (n) => (n === 'timezone' ? zone : undefined), now });
  const days = Date.UTC(2024, 0, 1) / 86_400_000;
  assert.equal(today([], at('UTC')), days);
  assert.equal(today([], at('America/New_York')), days - 1);
  assert.equal(compileExpr(bind("'now'::timestamptz"))([], at('UTC')), now);
});
