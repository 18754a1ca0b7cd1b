/**
 * The shapes every statement handler shares: a handler prepares a parsed statement into a
 * Prepared (parameter types, result columns, and how to run it), and results are built with the
 * small helpers below.
 */
import type { ColumnDesc, ExecResult, PreparedStatement, RowCursor } from '../wire/session-api.js';
import type { Value } from '../types/types.js';
import { T, type SqlType } from '../types/types.js';
import type { Statement } from './parse.js';
import type { Session } from './session.js';
import type { ParamTypes } from '../planner/bind-expr.js';

export interface Prepared extends PreparedStatement {
  readonly statement: Statement;
  run(params: Value[]): Promise<ExecResult> | ExecResult;
  /** Statements allowed while a transaction block is failed (ROLLBACK, COMMIT). */
  readonly endsTransaction?: boolean;
}

export type Handler = (session: Session, statement: Statement, paramTypeOids: number[]) => Prepared;

export function column(name: string, type: SqlType, typmod = -1): ColumnDesc {
  return { name, typeOid: type.oid, typmod, tableOid: 0, columnAttr: 0 };
}

export function textColumns(...names: string[]): ColumnDesc[] {
  return names.map((n) => column(n, T.text));
}

/** A cursor over rows that are all known already. */
export function arrayCursor(rows: Value[][]): RowCursor {
  let at = 0;
  return {
    async next(maxRows: number) {
      const end = maxRows > 0 ? Math.min(rows.length, at + maxRows) : rows.length;
      const chunk = rows.slice(at, end);
      at = end;
      return { rows: chunk, done: at >= rows.length };
    },
    close() {
      at = rows.length;
    },
  };
}

/** Rows known already; `tag` is the command word (tag "WORD n") or the whole tag to send. */
export function rowsResult(columns: ColumnDesc[], rows: Value[][], tag: string | (() => string) = 'SELECT'): ExecResult {
  return { kind: 'rows', columns, cursor: arrayCursor(rows), tag: typeof tag === 'string' ? (n) => `${tag} ${n}` : tag };
}

export function commandResult(tag: string): ExecResult {
  return { kind: 'command', tag };
}

/** A prepared statement whose parameter types were inferred while binding it (call after binding). */
export function paramPrepared(
  statement: Statement,
  params: ParamTypes,
  columns: ColumnDesc[] | null,
  run: (params: Value[]) => Promise<ExecResult> | ExecResult,
): Prepared {
  return { statement, paramTypes: params.oids(), columns, run };
}

/** A prepared statement with no parameters and a fixed row shape (or none). */
export function simplePrepared(
  statement: Statement,
  columns: ColumnDesc[] | null,
  run: () => Promise<ExecResult> | ExecResult,
  endsTransaction = false,
): Prepared {
  return { statement, paramTypes: [], columns, run, endsTransaction };
}
