/** Which handler prepares which kind of statement. */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Statement } from '../parse.js';
import { simplePrepared, type Handler } from '../prepared.js';
import { deallocate, discard, transaction, variableSet, variableShow } from './session-statements.js';
import { createTable, createTableAs, createView, drop } from './ddl.js';
import { createIndex, dropIndex } from './indexes.js';
import { copy, del, insert, truncate, update } from './dml.js';
import { explain, select } from './select.js';
import { showColumns, showCreate, showObjects } from './show.js';
import { copySubscribe, declareSubscribe, subscribe } from './subscribe.js';
import { closeCursor, declareCursor, fetch } from './cursors.js';

/**
 * A handler of DDL without parameters or result rows whose module loads when such a statement
 * first runs: CREATE SOURCE and CREATE SINK bring Kafka's client, the decoders and encoders and
 * the schema registry's client (kafkajs, avsc, protobufjs), which a server without sources or
 * sinks never needs; loading them at start would cost it ~100 ms.
 */
function loadedOnRun(load: () => Promise<Handler>): Handler {
  return (session, statement, paramTypeOids) => simplePrepared(statement, null, async () => (await load())(session, statement, paramTypeOids).run([]));
}

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
  DropStmt: (session, statement, paramOids) => (statement.ast.DropStmt.removeType === 'OBJECT_INDEX' ? dropIndex : drop)(session, statement, paramOids),
  IndexStmt: createIndex,
  InsertStmt: insert,
  UpdateStmt: update,
  DeleteStmt: del,
  TruncateStmt: truncate,
  CopyStmt: copy,
  EddyShowObjects: showObjects,
  EddyShowColumns: showColumns,
  EddyShowCreate: showCreate,
  EddyCreateSource: loadedOnRun(async () => (await import('./sources.js')).createSource),
  EddyCreateSink: loadedOnRun(async () => (await import('./sinks.js')).createSink),
  EddySubscribe: subscribe,
  EddyCopySubscribe: copySubscribe,
  EddyDeclareSubscribe: declareSubscribe,
  DeclareCursorStmt: declareCursor,
  EddyFetch: fetch,
  ClosePortalStmt: closeCursor,
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
