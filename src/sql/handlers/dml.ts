/**
 * INSERT, UPDATE, DELETE, TRUNCATE and COPY FROM STDIN on tables. Expressions are bound when the
 * statement is prepared (so Describe knows the parameter types and errors come at Parse, as in
 * PostgreSQL) and evaluated per row when it runs.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Row } from '../../engine/batch.js';
import type { CompiledExpr, EvalEnv, Expr } from '../../planner/expr-ir.js';
import { FromScope } from '../../planner/scope.js';
import { figureColumnName } from '../../planner/column-names.js';
import { bindExpr, coerce, ParamTypes } from '../../planner/bind-expr.js';
import { compileExpr, compilePredicate } from '../../planner/compile-expr.js';
import { parseValue } from '../../types/text-io.js';
import { decodeBinary } from '../../types/binary-io.js';
import { castValue } from '../../types/casts.js';
import type { Value } from '../../types/types.js';
import { column, commandResult, paramPrepared, rowsResult, type Handler, type Prepared } from '../prepared.js';
import type { TableRelation } from '../../catalog/relation.js';
import type { Statement } from '../parse.js';
import { copyOptions, CopyRowEncoder, parseBinaryCopyRows, parseCopyRows } from '../copy-format.js';
import type { Session } from '../session.js';
import { planSelect } from '../query.js';
import type { ColumnDesc, ExecResult } from '../../wire/session-api.js';

function tableScope(rel: TableRelation): FromScope {
  return new FromScope([
    { alias: rel.name, columns: rel.columns.map((c, index) => ({ name: c.name, type: c.type, typmod: c.typmod, index })) },
  ]);
}

const EMPTY_SCOPE = new FromScope([]);

/** Binds an expression to be stored in column `col` (assignment cast, as PostgreSQL does). */
function bindForColumn(node: any, rel: TableRelation, col: number, scope: FromScope, params: ParamTypes): Expr {
  const target = rel.columns[col]!;
  return coerce(bindExpr(node, { scope, params }), target.type, 'assignment', target.typmod);
}

function columnIndex(rel: TableRelation, name: string, location: number): number {
  const i = rel.columns.findIndex((c) => c.name === name);
  if (i < 0) {
    throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" of relation "${rel.name}" does not exist`, { position: location + 1 });
  }
  return i;
}

/** The default of each column as an expression (NULL where none). */
function defaults(rel: TableRelation, params: ParamTypes): Expr[] {
  return rel.data.columns.map((_, i) => columnDefault(rel, i, params));
}

/** One column's default as an expression (NULL where none). */
function columnDefault(rel: TableRelation, col: number, params: ParamTypes): Expr {
  const c = rel.data.columns[col]!;
  return c.defaultExpr ? bindForColumn(c.defaultExpr, rel, col, EMPTY_SCOPE, params) : { kind: 'const', value: null, type: c.type };
}

/** RETURNING: the listed expressions over the written rows, or nothing. */
function returning(list: any[] | undefined, rel: TableRelation, params: ParamTypes) {
  if (!list || list.length === 0) return null;
  const scope = tableScope(rel);
  const items: { name: string; expr: Expr }[] = [];
  for (const t of list) {
    const target = t.ResTarget;
    if (target.val.ColumnRef?.fields?.some((f: any) => f.A_Star)) {
      rel.columns.forEach((c, index) => items.push({ name: c.name, expr: { kind: 'column', index, type: c.type } }));
    } else {
      const expr = bindExpr(target.val, { scope, params });
      const name = target.name ?? figureColumnName(target.val);
      items.push({ name, expr });
    }
  }
  const columns: ColumnDesc[] = items.map((i) => column(i.name, i.expr.type));
  const fns = items.map((i) => compileExpr(i.expr));
  return { columns, project: (rows: Row[], env: EvalEnv) => rows.map((r) => fns.map((f) => f(r, env))) };
}

function finish(tag: string, rows: Row[], ret: ReturnType<typeof returning>, env: EvalEnv): ExecResult {
  return ret ? rowsResult(ret.columns, ret.project(rows, env), () => tag) : commandResult(tag);
}

export const insert: Handler = (session, statement, paramOids) => {
  const node = statement.ast.InsertStmt;
  if (node.onConflictClause) throw new SqlError(SQLSTATE.featureNotSupported, 'INSERT ... ON CONFLICT is not supported');
  if (node.withClause) throw new SqlError(SQLSTATE.featureNotSupported, 'WITH on INSERT is not supported');
  const rel = session.db.table(node.relation.relname, node.relation.location);
  const params = new ParamTypes(paramOids);
  const targets: number[] = node.cols
    ? node.cols.map((c: any) => columnIndex(rel, c.ResTarget.name, c.ResTarget.location))
    : rel.columns.map((_, i) => i);
  const defaultExprs = defaults(rel, params);
  const ret = returning(node.returningList, rel, params);
  const select = node.selectStmt?.SelectStmt;
  let produce: (env: EvalEnv) => Row[];
  if (!select) {
    // INSERT ... DEFAULT VALUES
    const fns = defaultExprs.map(compileExpr);
    produce = (env) => [fns.map((f) => f([], env))];
  } else if (select.valuesLists && !select.sortClause && !select.limitCount) {
    const rows: CompiledExpr[][] = select.valuesLists.map((list: any) => {
      const items: any[] = list.List.items;
      if (items.length > targets.length) throw new SqlError(SQLSTATE.syntaxError, 'INSERT has more expressions than target columns');
      const exprs = [...defaultExprs];
      items.forEach((item, i) => {
        if (!item.SetToDefault) exprs[targets[i]!] = bindForColumn(item, rel, targets[i]!, EMPTY_SCOPE, params);
      });
      return exprs.map(compileExpr);
    });
    produce = (env) => rows.map((fns: CompiledExpr[]) => fns.map((f) => f([], env)));
  } else {
    const query = planSelect(session, node.selectStmt, params);
    if (query.columns.length > targets.length) throw new SqlError(SQLSTATE.syntaxError, 'INSERT has more expressions than target columns');
    const casts = query.columns.map((c, i) =>
      compileExpr(coerce({ kind: 'column', index: i, type: c.type }, rel.columns[targets[i]!]!.type, 'assignment', rel.columns[targets[i]!]!.typmod)),
    );
    const defaultFns = defaultExprs.map(compileExpr);
    produce = (env) => {
      const source = query.read(env);
      return source.map((r) => {
        const row = defaultFns.map((f) => f([], env));
        casts.forEach((cast, i) => (row[targets[i]!] = cast(r, env)));
        return row;
      });
    };
  }
  return paramPrepared(statement, params, ret?.columns ?? null, (values) => {
    const env = session.evalEnv(values);
    const rows = produce(env);
    session.writes.write(rel, { deletes: [], inserts: rows }, session.inTransactionBlock());
    return finish(`INSERT 0 ${rows.length}`, rows, ret, env);
  });
};

export const update: Handler = (session, statement, paramOids) => {
  const node = statement.ast.UpdateStmt;
  if (node.fromClause) throw new SqlError(SQLSTATE.featureNotSupported, 'UPDATE ... FROM is not supported');
  const rel = session.db.table(node.relation.relname, node.relation.location);
  const params = new ParamTypes(paramOids);
  const scope = tableScope(rel);
  const sets = node.targetList.map((t: any) => {
    const col = columnIndex(rel, t.ResTarget.name, t.ResTarget.location);
    const expr = t.ResTarget.val.SetToDefault ? columnDefault(rel, col, params) : bindForColumn(t.ResTarget.val, rel, col, scope, params);
    return { col, fn: compileExpr(expr) };
  });
  const where = node.whereClause ? compilePredicate(bindExpr(node.whereClause, { scope, params })) : () => true;
  const ret = returning(node.returningList, rel, params);
  return paramPrepared(statement, params, ret?.columns ?? null, (values) => {
    const env = session.evalEnv(values);
    const deletes: number[] = [];
    const inserts: Row[] = [];
    for (const [id, row] of session.writes.visibleRows(rel)) {
      if (!where(row, env)) continue;
      const next = [...row];
      for (const s of sets) next[s.col] = s.fn(row, env);
      deletes.push(id);
      inserts.push(next);
    }
    session.writes.write(rel, { deletes, inserts }, session.inTransactionBlock());
    return finish(`UPDATE ${inserts.length}`, inserts, ret, env);
  });
};

export const del: Handler = (session, statement, paramOids) => {
  const node = statement.ast.DeleteStmt;
  if (node.usingClause) throw new SqlError(SQLSTATE.featureNotSupported, 'DELETE ... USING is not supported');
  const rel = session.db.table(node.relation.relname, node.relation.location);
  const params = new ParamTypes(paramOids);
  const where = node.whereClause ? compilePredicate(bindExpr(node.whereClause, { scope: tableScope(rel), params })) : () => true;
  const ret = returning(node.returningList, rel, params);
  return paramPrepared(statement, params, ret?.columns ?? null, (values) => {
    const env = session.evalEnv(values);
    const victims = session.writes.visibleRows(rel).filter(([, row]) => where(row, env));
    session.writes.write(rel, { deletes: victims.map(([id]) => id), inserts: [] }, session.inTransactionBlock());
    return finish(`DELETE ${victims.length}`, victims.map(([, row]) => row), ret, env);
  });
};

export const truncate: Handler = (session, statement) => {
  const node = statement.ast.TruncateStmt;
  const rels = node.relations.map((r: any) => session.db.table(r.RangeVar.relname, r.RangeVar.location));
  return paramPrepared(statement, new ParamTypes([]), null, () => {
    for (const rel of rels) {
      if (session.inTransactionBlock()) {
        session.writes.write(rel, { deletes: session.writes.visibleRows(rel).map(([id]) => id), inserts: [] }, true);
      } else {
        session.db.truncate(rel);
      }
    }
    return commandResult('TRUNCATE TABLE');
  });
};

export const copy: Handler = (session, statement) => {
  const node = statement.ast.CopyStmt;
  if (node.filename) throw new SqlError(SQLSTATE.featureNotSupported, 'COPY to or from a server file is not supported; use STDIN / STDOUT');
  return node.is_from ? copyFrom(session, statement, node) : copyTo(session, statement, node);
};

function copyFrom(session: Session, statement: Statement, node: any): Prepared {
  if (!node.relation) throw new SqlError(SQLSTATE.syntaxError, 'COPY FROM needs a table');
  const rel = session.db.table(node.relation.relname, node.relation.location);
  const targets: number[] = node.attlist
    ? node.attlist.map((a: any) => columnIndex(rel, a.String.sval, 0))
    : rel.columns.map((_, i) => i);
  const opts = copyOptions(node.options);
  const params = new ParamTypes([]);
  const defaultFns = defaults(rel, params).map(compileExpr);
  return paramPrepared(statement, params, null, () => {
    const chunks: Buffer[] = [];
    return {
      kind: 'copy-in',
      format: opts.format === 'binary' ? 'binary' : 'text',
      columnCount: targets.length,
      write: (chunk) => chunks.push(Buffer.from(chunk)),
      abort: () => (chunks.length = 0),
      finish: async () => {
        const env = session.evalEnv([]);
        const input = Buffer.concat(chunks);
        // A field's value from its text or, in binary, from its type's binary form with the
        // column's typmod applied as a cast to the column type would (numeric(12,3), varchar(n)).
        const value = (col: TableRelation['columns'][number], field: string | Buffer): Value =>
          typeof field === 'string'
            ? parseValue(col.type, field, col.typmod)
            : col.typmod < 0
              ? decodeBinary(col.type, field)
              : castValue(decodeBinary(col.type, field), col.type, col.type, col.typmod, env);
        const lines = opts.format === 'binary' ? parseBinaryCopyRows(input) : parseCopyRows(input.toString('utf8'), opts);
        const rows = lines.map((fields, lineNo) => {
          if (fields.length !== targets.length) {
            throw new SqlError(SQLSTATE.badCopyFileFormat, fields.length < targets.length ? 'missing data for column' : 'extra data after last expected column', {
              detail: `COPY ${rel.name}, line ${lineNo + 1}`,
            });
          }
          const row = defaultFns.map((f) => f([], env));
          fields.forEach((text, i) => {
            const col = rel.columns[targets[i]!]!;
            row[targets[i]!] = text === null ? null : value(col, text);
          });
          return row;
        });
        session.writes.write(rel, { deletes: [], inserts: rows }, session.inTransactionBlock());
        return `COPY ${rows.length}`;
      },
    };
  });
}

/** Rows encoded and handed to the wire at a time by COPY TO STDOUT. */
const COPY_GROUP_ROWS = 1000;

/** `COPY t [(cols)] TO STDOUT` reads the relation as `SELECT cols FROM t`; `COPY (query) TO STDOUT` runs the query. */
function copyTo(session: Session, statement: Statement, node: any): Prepared {
  const query = node.query ?? {
    SelectStmt: {
      targetList: (node.attlist ?? [{ A_Star: {} }]).map((a: any) => ({
        ResTarget: { val: { ColumnRef: { fields: [a.A_Star ? a : { String: { sval: a.String.sval } }], location: -1 } }, location: -1 },
      })),
      fromClause: [{ RangeVar: { relname: node.relation.relname, inh: true, relpersistence: 'p', location: node.relation.location } }],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    },
  };
  if (!query.SelectStmt) throw new SqlError(SQLSTATE.featureNotSupported, 'COPY (query) TO STDOUT supports SELECT queries only');
  const opts = copyOptions(node.options);
  const params = new ParamTypes([]);
  const planned = planSelect(session, query, params);
  return paramPrepared(statement, params, null, () => {
    const rows = planned.read(session.evalEnv([]));
    const encoder = new CopyRowEncoder(planned.columns, opts, session.settings.get('timezone'));
    let stopped = false;
    async function* chunks(): AsyncGenerator<Uint8Array[]> {
      const head = encoder.head();
      if (head) yield [head];
      for (let at = 0; at < rows.length && !stopped; at += COPY_GROUP_ROWS) {
        yield rows.slice(at, at + COPY_GROUP_ROWS).map((row) => encoder.row(row));
      }
      const end = encoder.end();
      if (end && !stopped) yield [end];
    }
    return {
      kind: 'copy-out',
      format: encoder.binary ? 'binary' : 'text',
      columnCount: planned.columns.length,
      chunks: chunks(),
      tag: () => `COPY ${rows.length}`,
      close: () => (stopped = true),
    };
  });
}
