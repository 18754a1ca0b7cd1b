/** Which handler prepares which kind of statement. */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Statement } from '../parse.js';
import type { Handler } from '../prepared.js';
import { deallocate, discard, transaction, variableSet, variableShow } from './session-statements.js';
import { createTable, createTableAs, createView, drop } from './ddl.js';
import { copy, del, insert, truncate, update } from './dml.js';
import { explain, select } from './select.js';
import { showColumns, showCreate, showObjects } from './show.js';
import { createSource } from './sources.js';
import { createSink } from './sinks.js';

const HANDLERS: Record<string, Handler> = {
  SelectStmt: select,
  ExplainStmt: explain,
  VariableSetStmt: variableSet,
  VariableShowStmt: variableShow,
  TransactionStmt: transaction,
  DiscardStmt: discard,
  DeallocateStmt: deallocate,
  CreateStmt: createTable,
  ViewStmt: createView,
  CreateTableAsStmt: createTableAs,
  DropStmt: drop,
  InsertStmt: insert,
  UpdateStmt: update,
  DeleteStmt: del,
  TruncateStmt: truncate,
  CopyStmt: copy,
  EddyShowObjects: showObjects,
  EddyShowColumns: showColumns,
  EddyShowCreate: showCreate,
  EddyCreateSource: createSource,
  EddyCreateSink: createSink,
};

/** PostgreSQL's words for statement kinds we don't run, for a clear 0A000. */
function statementName(kind: string): string {
  return kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

export function handlerFor(statement: Statement): Handler {
  const kind = Object.keys(statement.ast)[0]!;
  const handler = HANDLERS[kind];
  if (!handler) {
    return () => {
      throw new SqlError(SQLSTATE.featureNotSupported, `${statementName(kind)} is not supported by Eddy`);
    };
  }
  return handler;
}
