/**
 * Protocol violations, with PostgreSQL's split: a message whose body does not parse, or that
 * is not allowed now, is an ERROR (the connection recovers at the next Sync); broken framing
 * (bad lengths, unknown message types) means we can no longer find message boundaries, so the
 * connection ends with a FATAL ErrorResponse.
 */
import { SQLSTATE, SqlError } from '../errors.js';

export function protocolViolation(message: string): SqlError {
  return new SqlError(SQLSTATE.protocolViolation, message);
}

export function fatalProtocolViolation(message: string, code: string = SQLSTATE.protocolViolation): SqlError {
  return new SqlError(code, message, { severity: 'FATAL' });
}

export function isFatal(err: SqlError): boolean {
  return err.extra.severity === 'FATAL';
}
