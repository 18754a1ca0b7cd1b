/**
 * What the wire protocol needs from the SQL side, and nothing more: src/wire drives a
 * SqlSession per connection and knows nothing of planning, the engine or Kafka.
 * src/sql/session.ts implements it.
 */
import type { Value } from '../types/types.js';
import type { SqlError } from '../errors.js';

export interface ColumnDesc {
  name: string;
  typeOid: number;
  /** pg_attribute.atttypmod, -1 when none. */
  typmod: number;
  /** OID of the table the column comes from and its attribute number, 0 when none. */
  tableOid: number;
  columnAttr: number;
}

/** One statement of a query string, as split by the parser. */
export interface ParsedStatement {
  /** The statement's own text (for logs, SHOW CREATE, errors). */
  readonly sql: string;
  /** Offset of this statement's text inside the whole query string (for error positions). */
  readonly offset: number;
}

/** A statement bound to parameter types: what Parse creates and Describe (statement) reports. */
export interface PreparedStatement {
  readonly statement: ParsedStatement;
  /** One OID per $n; parameters whose type could not be inferred are text (25). */
  readonly paramTypes: number[];
  /** The row shape, or null when the statement returns no rows (NoData). */
  readonly columns: ColumnDesc[] | null;
}

export interface Notice {
  severity: 'NOTICE' | 'WARNING' | 'INFO' | 'DEBUG' | 'LOG';
  code: string;
  message: string;
}

/**
 * Rows are pulled, so Execute with a row limit can stop and resume (PortalSuspended), and so
 * SUBSCRIBE / FETCH can wait for rows that have not happened yet. `next(n)` resolves with up to n
 * rows and `done: true` once no row will ever follow.
 */
export interface RowCursor {
  next(maxRows: number): Promise<{ rows: Value[][]; done: boolean }>;
  /** Stops the cursor early (portal closed, connection gone); idempotent. */
  close(): void;
}

export type ExecResult =
  /** A statement that returns rows; `tag(n)` makes the CommandComplete tag for n rows sent. */
  | { kind: 'rows'; columns: ColumnDesc[]; cursor: RowCursor; tag: (rowCount: number) => string }
  /** A statement that returns no rows. */
  | { kind: 'command'; tag: string }
  /** The empty query (EmptyQueryResponse). */
  | { kind: 'empty' }
  /** COPY ... FROM STDIN: the wire sends CopyInResponse, feeds CopyData, then calls finish(). */
  | {
      kind: 'copy-in';
      format: 'text' | 'binary';
      columnCount: number;
      write(chunk: Uint8Array): void;
      /** Called on CopyDone: returns the CommandComplete tag. */
      finish(): Promise<string>;
      /** Called on CopyFail or a lost connection: nothing written is kept. */
      abort(reason: string): void;
    }
  /**
   * COPY ... TO STDOUT: the wire sends CopyOutResponse, then each chunk of each group as one
   * CopyData, then CopyDone. A group is what the producer has ready: the wire sends it on before
   * asking for the next group (which may wait, for SUBSCRIBE), waiting while the client lags.
   */
  | {
      kind: 'copy-out';
      format: 'text' | 'binary';
      columnCount: number;
      chunks: AsyncIterable<Uint8Array[]>;
      /** The CommandComplete tag, once every group was sent. */
      tag: () => string;
      /** Stops the producer early (connection gone). */
      close(): void;
    };

/**
 * Error positions: errors thrown by `parse` carry positions in the whole query string; errors
 * thrown by `prepare` and `execute` carry positions in the statement's own text, and the wire
 * adds the statement's offset before reporting them.
 */
export interface SqlSession {
  /** Startup parameters have been accepted; these ParameterStatus pairs go to the client. */
  parameterStatuses(): [string, string][];
  /** Splits a query string into statements. Throws SqlError 42601 with a position on bad syntax. */
  parse(sql: string): ParsedStatement[];
  /**
   * As parse, for the simple protocol: a statement may come with its inlined values taken out as
   * parameters, which prepare(statement, []) and execute then supply themselves.
   */
  parseSimple(sql: string): ParsedStatement[];
  /** Binds a statement to parameter types (0 = infer). Throws SqlError. */
  prepare(statement: ParsedStatement, paramTypeOids: number[]): PreparedStatement;
  /**
   * Runs a prepared statement with its parameter values (already decoded by the wire using
   * paramTypes). Rejects with SqlError.
   */
  execute(prepared: PreparedStatement, params: Value[]): Promise<ExecResult>;
  /** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
  transactionStatus(): 'I' | 'T' | 'E';
  /** Called when a statement failed, so the session can mark a transaction block as failed. */
  onError(err: SqlError): void;
  /** ParameterStatus messages that became due since the last call (e.g. after SET TimeZone). */
  takeParameterChanges(): [string, string][];
  /** Notices raised by the last statement, taken once. */
  takeNotices(): Notice[];
  /**
   * The row shape of a cursor opened by SQL (DECLARE), for Describe of the portal of that name
   * (psycopg's server-side cursors describe them so); null when there is no such cursor.
   */
  describeCursor?(name: string): ColumnDesc[] | null;
  /** CancelRequest for this session's backend: abort what is running or waiting. */
  cancel(): void;
  /** The connection is gone. */
  close(): void;
}

/** The connection a session serves, as pg_stat_activity and pg_terminate_backend need it. */
export interface ConnectionInfo {
  /** The process id sent in BackendKeyData (pg_backend_pid). */
  pid: number;
  /** The client's address and port (null when unknown). */
  clientAddress: string | null;
  clientPort: number | null;
  /** Over TLS. */
  encrypted: boolean;
  /** Ends the connection with FATAL 57P01 "terminating connection due to administrator command". */
  terminate(): void;
}

/** Creates a session for a new connection from its startup parameters (user, database, options...). */
export type SessionFactory = (startupParams: Record<string, string>, connection: ConnectionInfo) => SqlSession;
