/**
 * Every error a user can see is a SqlError: it carries the PostgreSQL SQLSTATE that the wire
 * protocol puts in its ErrorResponse, and, where a token is at fault, its 1-based character
 * position in the query text (PostgreSQL's convention for the 'P' field).
 */
export class SqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: { position?: number; detail?: string; hint?: string; severity?: 'ERROR' | 'FATAL' } = {},
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * Runs `f`; a SqlError it raises without a position gets `position` (1-based), if there is one:
 * the literal being read, when the code reading it knows nothing of the query text.
 */
export function withErrorPosition<R>(position: number | undefined, f: () => R): R {
  try {
    return f();
  } catch (err) {
    if (err instanceof SqlError && err.extra.position === undefined && position !== undefined) {
      throw new SqlError(err.code, err.message, { ...err.extra, position });
    }
    throw err;
  }
}

/** The SQLSTATE codes Eddy raises, named as PostgreSQL's errcodes.txt names them. */
export const SQLSTATE = {
  successfulCompletion: '00000',
  warning: '01000',
  featureNotSupported: '0A000',
  invalidTextRepresentation: '22P02',
  badCopyFileFormat: '22P04',
  invalidParameterValue: '22023',
  divisionByZero: '22012',
  numericValueOutOfRange: '22003',
  datetimeFieldOverflow: '22008',
  invalidDatetimeFormat: '22007',
  stringDataRightTruncation: '22001',
  nullValueNotAllowed: '22004',
  invalidEscapeSequence: '22025',
  invalidRegularExpression: '2201B',
  characterNotInRepertoire: '22021',
  cardinalityViolation: '21000',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  checkViolation: '23514',
  invalidCursorName: '34000',
  invalidSqlStatementName: '26000',
  activeSqlTransaction: '25001',
  noActiveSqlTransaction: '25P01',
  inFailedSqlTransaction: '25P02',
  invalidSavepointSpecification: '3B001',
  syntaxError: '42601',
  invalidName: '42602',
  undefinedColumn: '42703',
  undefinedTable: '42P01',
  undefinedFunction: '42883',
  undefinedObject: '42704',
  undefinedParameter: '42P02',
  duplicateTable: '42P07',
  duplicateObject: '42710',
  duplicateColumn: '42701',
  duplicateAlias: '42712',
  ambiguousColumn: '42702',
  ambiguousFunction: '42725',
  datatypeMismatch: '42804',
  groupingError: '42803',
  invalidColumnReference: '42P10',
  indeterminateDatatype: '42P18',
  wrongObjectType: '42809',
  windowingError: '42P20',
  invalidPrecedingOrFollowingSize: '22013',
  invalidArgumentForNtile: '22014',
  invalidArgumentForNthValue: '22016',
  dependentObjectsStillExist: '2BP01',
  protocolViolation: '08P01',
  connectionFailure: '08006',
  queryCanceled: '57014',
  outOfMemory: '53200',
  diskFull: '53100',
  tooManyConnections: '53300',
  ioError: '58030',
  dataCorrupted: 'XX001',
  adminShutdown: '57P01',
  internalError: 'XX000',
  invalidParameterValueConfig: '22023',
  undefinedConfigParameter: '42704',
  insufficientPrivilege: '42501',
} as const;

/** Wraps anything thrown inside the engine as a SqlError, keeping real SqlErrors as they are. */
export function asSqlError(err: unknown): SqlError {
  if (err instanceof SqlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SqlError(SQLSTATE.internalError, message);
}
