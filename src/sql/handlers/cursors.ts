/**
 * DECLARE ... CURSOR FOR SELECT, FETCH and CLOSE: what drivers' server-side cursors send (psycopg's
 * named cursors), and how SUBSCRIBE cursors (handlers/subscribe.ts) are read.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { ParamTypes } from '../../planner/bind-expr.js';
import type { Value } from '../../types/types.js';
import type { SqlCursor } from '../cursors.js';
import type { FetchStatement } from '../grammar/subscribe.js';
import { column, commandResult, rowsResult, simplePrepared, type Handler } from '../prepared.js';
import { planSelect } from '../query.js';
import type { Session } from '../session.js';

/** DeclareCursorStmt's option bits, as PostgreSQL's parsenodes.h numbers them. */
export const CURSOR_OPT_BINARY = 0x0001;
export const CURSOR_OPT_HOLD = 0x0020;

/** PostgreSQL's rules for where a cursor may be declared, and what Eddy's cursors cannot do. */
export function checkCursorAllowed(session: Session, options: number): void {
  if (options & CURSOR_OPT_BINARY) throw new SqlError(SQLSTATE.featureNotSupported, 'BINARY cursors are not supported; ask for binary results through the extended protocol');
  if (!(options & CURSOR_OPT_HOLD) && !session.inTransactionBlock()) {
    throw new SqlError(SQLSTATE.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
  }
}

/** A SELECT cursor reads its rows when declared, as PostgreSQL's snapshot does, and hands them out in order. */
function selectCursor(columns: SqlCursor['columns'], rows: Value[][]): SqlCursor {
  let at = 0;
  return {
    columns,
    async fetch(count) {
      const end = count === 'all' ? rows.length : Math.min(rows.length, at + count);
      const out = rows.slice(at, end);
      at = end;
      return out;
    },
    close() {
      at = rows.length;
    },
  };
}

export const declareCursor: Handler = (session, statement) => {
  const node = statement.ast.DeclareCursorStmt;
  const params = new ParamTypes([]);
  const planned = planSelect(session, node.query, params);
  if (params.resolved().length > 0) throw new SqlError(SQLSTATE.undefinedParameter, 'DECLARE CURSOR cannot have parameters here');
  return simplePrepared(statement, null, () => {
    const options: number = node.options ?? 0;
    checkCursorAllowed(session, options);
    const rows = planned.read(session.evalEnv([]));
    session.cursors.declare(node.portalname, selectCursor(planned.columns, rows), (options & CURSOR_OPT_HOLD) !== 0);
    return commandResult('DECLARE CURSOR');
  });
};

export const fetch: Handler = (session, statement) => {
  const stmt: FetchStatement = statement.ast.EddyFetch;
  const cursor = session.cursors.get(stmt.cursor);
  const columns = cursor.columns.map((c) => column(c.name, c.type, c.typmod));
  return simplePrepared(statement, columns, async () => {
    const rows = await session.cursors.get(stmt.cursor).fetch(stmt.count, stmt.timeoutMs);
    return rowsResult(columns, rows, 'FETCH');
  });
};

export const closeCursor: Handler = (session, statement) => {
  const name: string | undefined = statement.ast.ClosePortalStmt.portalname;
  return simplePrepared(statement, null, () => {
    if (name === undefined) session.cursors.closeAll();
    else session.cursors.close(name);
    return commandResult('CLOSE CURSOR');
  });
};
