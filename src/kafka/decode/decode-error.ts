/**
 * Why one Kafka message could not be decoded. Bad data is the user's to fix, so it is a SqlError
 * with a SQLSTATE (the source keeps it in eddy_source_errors, or stops with it under
 * ON ERROR = 'fail'); the message names the column and what was wrong with the bytes.
 */
import { SqlError, SQLSTATE } from '../../errors.js';

/** PostgreSQL's invalid_binary_representation, what its binary input functions raise. */
export const INVALID_BINARY_REPRESENTATION = '22P03';

export class DecodeError extends SqlError {
  constructor(message: string, code: string = SQLSTATE.invalidTextRepresentation, detail?: string) {
    super(code, message, detail === undefined ? {} : { detail });
    this.name = 'DecodeError';
  }

  /** Puts what was being decoded in front of an error from a type's input function. */
  static wrap(context: string, error: unknown): DecodeError {
    if (error instanceof SqlError) return new DecodeError(`${context}: ${error.message}`, error.code, error.extra.detail);
    throw error; // not a data problem: a bug, which must not be counted as a bad message
  }
}
