/**
 * What a read-only user (`user:password:readonly` in the password file) may run: reads of every
 * kind (SELECT, SHOW, EXPLAIN, SUBSCRIBE, cursors, COPY ... TO) and the session's own state (SET,
 * transactions); anything that changes the catalog or a table's rows is 42501.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Statement } from './parse.js';

const READS = new Set([
  'SelectStmt',
  'ExplainStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'TransactionStmt',
  'DiscardStmt',
  'DeallocateStmt',
  'EddyShowObjects',
  'EddyShowColumns',
  'EddyShowCreate',
  'EddySubscribe',
  'EddyCopySubscribe',
  'EddyDeclareSubscribe',
  'DeclareCursorStmt',
  'EddyFetch',
  'ClosePortalStmt',
]);

export function checkReadOnly(statement: Statement, user: string): void {
  const kind = Object.keys(statement.ast)[0]!;
  if (READS.has(kind)) return;
  if (kind === 'CopyStmt' && !statement.ast.CopyStmt.is_from) return;
  throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: user "${user}" is read-only (it may SELECT, SHOW and SUBSCRIBE)`);
}
