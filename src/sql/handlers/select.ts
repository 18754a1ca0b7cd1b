/**
 * SELECT (read between update cycles, over snapshots of the relations it reads, so every query
 * sees all views at one cycle) and EXPLAIN (the dataflow a query becomes).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { ParamTypes } from '../../planner/bind-expr.js';
import { column, paramPrepared, rowsResult, textColumns, type Handler } from '../prepared.js';
import { planSelect } from '../query.js';

export const select: Handler = (session, statement, paramOids) => {
  const node = statement.ast.SelectStmt;
  if (node.intoClause) throw new SqlError(SQLSTATE.featureNotSupported, 'SELECT ... INTO is not supported');
  if (node.lockingClause) throw new SqlError(SQLSTATE.featureNotSupported, 'SELECT ... FOR UPDATE/SHARE is not supported: Eddy has no row locks');
  const params = new ParamTypes(paramOids);
  const planned = planSelect(session, statement.ast, params);
  const columns = planned.columns.map((c) => column(c.name, c.type, c.typmod));
  return paramPrepared(statement, params, columns, (values) => rowsResult(columns, planned.read(session.evalEnv(values))));
};

/** EXPLAIN of a query with parameters ($1) plans it as PostgreSQL does, with the parameters unbound: they print as $1. */
export const explain: Handler = (session, statement, paramOids) => {
  const node = statement.ast.ExplainStmt;
  const query = node.query;
  if (!query.SelectStmt) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'EXPLAIN supports SELECT queries only');
  }
  const params = new ParamTypes(paramOids);
  const planned = planSelect(session, query, params);
  const columns = textColumns('QUERY PLAN');
  return paramPrepared(statement, params, columns, () =>
    rowsResult(columns, planned.explain().split('\n').map((line) => [line]), 'EXPLAIN'),
  );
};
