/**
 * Statements that only touch the session: SET / RESET / SHOW, transaction control, DISCARD and
 * DEALLOCATE. Drivers send these on every connection, so they must behave as PostgreSQL's do.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { commandResult, rowsResult, simplePrepared, textColumns, type Handler } from '../prepared.js';
import { displayName } from '../settings.js';
import type { Statement } from '../parse.js';

/** The text of a SET argument list, as PostgreSQL flattens it (several values joined by ", "). */
function setValue(args: any[] | undefined): string {
  return (args ?? [])
    .map((arg) => {
      const node = arg.TypeCast ? arg.TypeCast.arg : arg;
      const c = node.A_Const;
      if (!c) throw new SqlError(SQLSTATE.syntaxError, 'SET expects literal values');
      if (c.sval) return c.sval.sval;
      if (c.ival) return String(c.ival.ival ?? 0);
      if (c.fval) return c.fval.fval;
      if (c.boolval) return c.boolval.boolval ? 'on' : 'off';
      if (c.isnull) throw new SqlError(SQLSTATE.invalidParameterValue, 'SET requires a value');
      return String(c.ival?.ival ?? 0);
    })
    .join(', ');
}

export const variableSet: Handler = (session, statement) => {
  const node = statement.ast.VariableSetStmt;
  return simplePrepared(statement, null, () => {
    switch (node.kind) {
      case 'VAR_SET_VALUE':
      case 'VAR_SET_DEFAULT':
      case 'VAR_RESET': {
        const value = node.kind === 'VAR_SET_VALUE' ? setValue(node.args) : null;
        session.setSetting(node.name, value, node.is_local === true);
        return commandResult(node.kind === 'VAR_RESET' ? 'RESET' : 'SET');
      }
      case 'VAR_RESET_ALL':
        session.settings.resetAll();
        return commandResult('RESET');
      case 'VAR_SET_MULTI':
        // SET TRANSACTION / SET SESSION CHARACTERISTICS: Eddy's reads are always serializable.
        return commandResult('SET');
      default:
        throw new SqlError(SQLSTATE.featureNotSupported, `SET ${node.kind} is not supported`);
    }
  });
};

export const variableShow: Handler = (session, statement) => {
  const name: string = statement.ast.VariableShowStmt.name;
  if (name === 'all') {
    const columns = textColumns('name', 'setting', 'description');
    return simplePrepared(statement, columns, () => rowsResult(columns, session.settings.all(), SHOW_TAG));
  }
  // Check the name at prepare time so Describe already fails for an unknown setting.
  session.settings.show(name);
  const columns = textColumns(displayName(name));
  return simplePrepared(statement, columns, () => rowsResult(columns, [[session.settings.show(name)]], SHOW_TAG));
};

/** PostgreSQL's SHOW completes with a bare "SHOW", no row count. */
const SHOW_TAG = () => 'SHOW';

export const transaction: Handler = (session, statement) => {
  const kind: string = statement.ast.TransactionStmt.kind;
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return simplePrepared(statement, null, () => {
        if (!session.beginTransaction()) {
          session.notice('WARNING', SQLSTATE.activeSqlTransaction, 'there is already a transaction in progress');
        }
        return commandResult('BEGIN');
      });
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_ROLLBACK':
      return simplePrepared(
        statement,
        null,
        () => {
          const commit = kind === 'TRANS_STMT_COMMIT';
          const was = session.endTransaction(commit);
          if (was === 'I') session.notice('WARNING', SQLSTATE.noActiveSqlTransaction, 'there is no transaction in progress');
          // A COMMIT of a failed block rolls back, and says so in its tag, as PostgreSQL does.
          return commandResult(commit && was !== 'E' ? 'COMMIT' : 'ROLLBACK');
        },
        true,
      );
    case 'TRANS_STMT_SAVEPOINT':
      // In a failed block only ROLLBACK TO and the block's end may run, as in PostgreSQL.
      return simplePrepared(statement, null, () => {
        session.savepoint(savepointName(statement));
        return commandResult('SAVEPOINT');
      });
    case 'TRANS_STMT_RELEASE':
      return simplePrepared(statement, null, () => {
        session.releaseSavepoint(savepointName(statement));
        return commandResult('RELEASE');
      });
    case 'TRANS_STMT_ROLLBACK_TO':
      return simplePrepared(
        statement,
        null,
        () => {
          session.rollbackToSavepoint(savepointName(statement));
          return commandResult('ROLLBACK');
        },
        true,
      );
    default:
      return simplePrepared(statement, null, () => {
        throw new SqlError(SQLSTATE.featureNotSupported, `transaction statement ${kind} is not supported`);
      });
  }
};

export const discard: Handler = (session, statement) =>
  simplePrepared(statement, null, () => {
    const target = String(statement.ast.DiscardStmt.target).replace('DISCARD_', '');
    if (target === 'ALL') {
      if (session.inTransactionBlock()) {
        throw new SqlError(SQLSTATE.activeSqlTransaction, 'DISCARD ALL cannot run inside a transaction block');
      }
      // what PostgreSQL's DISCARD ALL does that Eddy has: CLOSE ALL and RESET ALL (connection
      // poolers send it so that one client's settings do not reach the next)
      session.cursors.closeAll();
      session.settings.resetAll();
    }
    return commandResult(`DISCARD ${target}`);
  });

export const deallocate: Handler = (_session, statement) =>
  // Named statements live in the wire layer; DEALLOCATE by SQL is accepted for drivers that send it.
  simplePrepared(statement, null, () => commandResult(statement.ast.DeallocateStmt.isall ? 'DEALLOCATE ALL' : 'DEALLOCATE'));

/** The savepoint a SAVEPOINT, RELEASE or ROLLBACK TO statement names. */
function savepointName(statement: Statement): string {
  return statement.ast.TransactionStmt.savepoint_name;
}
