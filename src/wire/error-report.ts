/**
 * From a thrown error to ErrorResponse fields. SqlErrors keep their SQLSTATE, severity and
 * position; anything else is a bug in Eddy, reported as XX000 (and logged by the caller).
 */
import { SQLSTATE, SqlError } from '../errors.js';
import type { ErrorFields } from './message-writer.js';

export function errorFields(err: SqlError): ErrorFields {
  return {
    severity: err.extra.severity ?? 'ERROR',
    code: err.code,
    message: err.message,
    detail: err.extra.detail,
    hint: err.extra.hint,
    position: err.extra.position,
  };
}

/** A non-SqlError is an internal error: the client sees XX000 with its message. */
export function asReportable(err: unknown): SqlError {
  if (err instanceof SqlError) return err;
  return new SqlError(SQLSTATE.internalError, err instanceof Error ? err.message : String(err));
}

/**
 * Positions in errors about one statement count from that statement's text; the client's
 * query string may hold more before it, and PostgreSQL's 'P' field counts from the start of
 * the whole string.
 */
export function shiftPosition(err: unknown, offset: number): unknown {
  if (!(err instanceof SqlError) || err.extra.position === undefined || offset === 0) return err;
  const shifted = new SqlError(err.code, err.message, { ...err.extra, position: err.extra.position + offset });
  shifted.stack = err.stack;
  return shifted;
}
