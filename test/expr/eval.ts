/**
 * Evaluates a standalone SQL expression (`SELECT expr`, no FROM) through Eddy's binder,
 * constant folder, compiler and text output, the way a query's select list would be.
 */
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import { T, type Value } from '../../src/types/types.js';
import { formatValue } from '../../src/types/text-io.js';
import { bindExpr, coerce, ParamTypes, type Scope } from '../../src/planner/bind-expr.js';
import { compileExpr, foldConstants } from '../../src/planner/compile-expr.js';
import type { EvalEnv } from '../../src/planner/expr-ir.js';

await loadModule();

const noColumns: Scope = {
  resolveColumn(fields, location) {
    throw new SqlError(SQLSTATE.undefinedColumn, `column "${fields.join('.')}" does not exist`, { position: location + 1 });
  },
};

export type EddyResult =
  | { ok: true; text: string | null; typeOid: number; paramTypes: string[] }
  | { ok: false; code: string; message: string; position?: number };

export function evalSql(sql: string, opts: { params?: Value[]; settings?: Record<string, string>; fold?: boolean } = {}): EddyResult {
  try {
    const tree = parseSync(sql) as any;
    const node = tree.stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val;
    const params = new ParamTypes();
    let expr = bindExpr(node, { scope: noColumns, params });
    // a select list resolves a still-unknown literal to text, as PostgreSQL does
    if (expr.type.oid === T.unknown.oid) expr = coerce(expr, T.text);
    if (opts.fold) expr = foldConstants(expr);
    const settings = { timezone: 'UTC', ...opts.settings };
    const env: EvalEnv = { params: opts.params ?? [], setting: (n) => settings[n as keyof typeof settings], now: Date.now() * 1000 };
    const value = compileExpr(expr)([], env);
    const text = value === null ? null : formatValue(expr.type, value, { timeZone: settings.timezone });
    return { ok: true, text, typeOid: expr.type.oid, paramTypes: params.resolved().map((t) => t.name) };
  } catch (err) {
    if (err instanceof SqlError) {
      return { ok: false, code: err.code, message: err.message, ...(err.extra.position ? { position: err.extra.position } : {}) };
    }
    throw err;
  }
}
