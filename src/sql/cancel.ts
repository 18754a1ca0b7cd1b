/**
 * Why a statement stops before it is done: a client's CancelRequest or the session's
 * statement_timeout. Both are 57014 in PostgreSQL, told apart by the message.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export const userCancel = (): SqlError => new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');

export const statementTimeout = (): SqlError => new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to statement timeout');
