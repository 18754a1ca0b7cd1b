/**
 * Evaluates a standalone SQL expression (`SELECT expr`, no FROM) through Eddy's binder,
 * constant folder, compiler and text output, the way a query's select list would be.
 */
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import { T, type SqlType, type Value } from '../../src/types/types.js';
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

export interface EvalOptions {
  params?: Value[];
  settings?: Record<string, string>;
  fold?: boolean;
  /**
   * Columns c1, c2, ... of the row the expression reads, each given as the SQL of a constant
   * (evaluated first, as `SELECT ... FROM (SELECT lit AS c1, ... OFFSET 0) s` would in PostgreSQL).
   */
  columns?: string[];
}

/** Binds, compiles and runs the first select-list expression of `SELECT ...` against one row. */
function run(sql: string, scope: Scope, row: Value[], opts: EvalOptions): { value: Value; type: SqlType; params: ParamTypes } {
  const tree = parseSync(sql) as any;
  const node = tree.stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val;
  const params = new ParamTypes();
  let expr = bindExpr(node, { scope, params });
  // a select list resolves a still-unknown literal to text, as PostgreSQL does
  if (expr.type.oid === T.unknown.oid) expr = coerce(expr, T.text);
  if (opts.fold) expr = foldConstants(expr);
  return { value: compileExpr(expr)(row, envFor(opts)), type: expr.type, params };
}

function envFor(opts: EvalOptions): EvalEnv {
  const settings: Record<string, string> = { timezone: 'UTC', ...opts.settings };
  return { params: opts.params ?? [], setting: (n) => settings[n], now: Date.now() * 1000 };
}

export function evalSql(sql: string, opts: EvalOptions = {}): EddyResult {
  try {
    const columns = (opts.columns ?? []).map((c) => run(`SELECT ${c}`, noColumns, [], opts));
    const scope: Scope = {
      resolveColumn(fields, location) {
        const i = /^c(\d+)$/.exec(fields.join('.'))?.[1];
        if (i === undefined || !columns[Number(i) - 1]) return noColumns.resolveColumn(fields, location);
        return { index: Number(i) - 1, type: columns[Number(i) - 1]!.type };
      },
    };
    const { value, type, params } = run(sql, scope, columns.map((c) => c.value), opts);
    const text = value === null ? null : formatValue(type, value, { timeZone: envFor(opts).setting('timezone') });
    return { ok: true, text, typeOid: type.oid, paramTypes: params.resolved().map((t) => t.name) };
  } catch (err) {
    if (err instanceof SqlError) {
      return { ok: false, code: err.code, message: err.message, ...(err.extra.position ? { position: err.extra.position } : {}) };
    }
    throw err;
  }
}
