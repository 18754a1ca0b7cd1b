/**
 * The extended query protocol's state and messages: prepared statements and portals by name,
 * Parse / Bind / Describe / Execute / Close. Errors are thrown; the connection reports them and
 * skips messages until Sync.
 */
import { SQLSTATE, SqlError } from '../errors.js';
import type { Value } from '../types/types.js';
import {
  decodeBind,
  decodeDescribeOrClose,
  decodeExecute,
  decodeParse,
  formatsFor,
  type FormatCode,
} from './frontend-messages.js';
import { protocolViolation } from './protocol-error.js';
import { ResultRun } from './result-sender.js';
import { shiftPosition } from './error-report.js';
import type { ParsedStatement, PreparedStatement } from './session-api.js';
import { decodeParam } from './value-codec.js';
import type { WireContext } from './wire-context.js';

/** A Parse of the empty string is legal; executing it answers EmptyQueryResponse. */
type Statement = { prepared: PreparedStatement } | { prepared: null };

interface Portal {
  readonly statement: Statement;
  readonly params: Value[];
  /** One per result column. */
  readonly formats: FormatCode[];
  /** Created by the first Execute; kept so a later Execute resumes where the limit stopped. */
  run: ResultRun | null;
}

export class ExtendedQuery {
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();

  constructor(private readonly ctx: WireContext) {}

  parse(body: Buffer): void {
    const msg = decodeParse(body);
    if (msg.statementName !== '' && this.statements.has(msg.statementName)) {
      throw new SqlError('42P05', `prepared statement "${msg.statementName}" already exists`);
    }
    const parsed = this.ctx.session.parse(msg.query);
    if (parsed.length > 1) {
      throw new SqlError(SQLSTATE.syntaxError, 'cannot insert multiple commands into a prepared statement');
    }
    this.statements.set(msg.statementName, parsed.length === 0 ? { prepared: null } : { prepared: this.prepare(parsed[0]!, msg.paramTypeOids) });
    this.ctx.writer.parseComplete();
  }

  private prepare(statement: ParsedStatement, paramTypeOids: number[]): PreparedStatement {
    try {
      return this.ctx.session.prepare(statement, paramTypeOids);
    } catch (err) {
      throw shiftPosition(err, statement.offset);
    }
  }

  bind(body: Buffer): void {
    const msg = decodeBind(body);
    const statement = this.statements.get(msg.statementName);
    if (!statement) throw unknownStatement(msg.statementName);
    if (msg.portalName !== '' && this.portals.has(msg.portalName)) {
      throw new SqlError('42P03', `portal "${msg.portalName}" already exists`);
    }
    const paramTypes = statement.prepared?.paramTypes ?? [];
    if (msg.params.length !== paramTypes.length) {
      throw protocolViolation(
        `bind message supplies ${msg.params.length} parameters, but prepared statement "${msg.statementName}" requires ${paramTypes.length}`,
      );
    }
    const paramFormats = formatsFor(msg.paramFormats, msg.params.length, 'parameter');
    const params = msg.params.map((bytes, i) => decodeParam(paramTypes[i]!, bytes, paramFormats[i]!, i + 1, this.ctx.textSettings));
    const columnCount = statement.prepared?.columns?.length ?? 0;
    const formats = formatsFor(msg.resultFormats, columnCount, 'result');
    this.closePortal(msg.portalName);
    this.portals.set(msg.portalName, { statement, params, formats, run: null });
    this.ctx.writer.bindComplete();
  }

  describe(body: Buffer): void {
    const { target, name } = decodeDescribeOrClose(body, 'Describe');
    const { writer } = this.ctx;
    if (target === 'S') {
      const statement = this.statements.get(name);
      if (!statement) throw unknownStatement(name);
      writer.parameterDescription(statement.prepared?.paramTypes ?? []);
      const columns = statement.prepared?.columns;
      // A statement has no result formats yet: Bind chooses them, so Describe says text.
      if (columns) writer.rowDescription(columns, []);
      else writer.noData();
    } else {
      const portal = this.portals.get(name);
      const cursorColumns = portal ? undefined : this.ctx.session.describeCursor?.(name);
      if (!portal && !cursorColumns) throw unknownPortal(name);
      const columns = portal ? portal.statement.prepared?.columns : cursorColumns;
      if (columns) writer.rowDescription(columns, portal?.formats ?? []);
      else writer.noData();
    }
  }

  async execute(body: Buffer): Promise<void> {
    const { portalName, maxRows } = decodeExecute(body);
    const portal = this.portals.get(portalName);
    if (!portal) throw unknownPortal(portalName);
    const prepared = portal.statement.prepared;
    if (prepared === null) {
      this.ctx.writer.emptyQueryResponse();
      return;
    }
    try {
      if (!portal.run) {
        portal.run = new ResultRun(this.ctx, await this.ctx.session.execute(prepared, portal.params), portal.formats);
        this.ctx.sendNotices();
      }
      await portal.run.run(maxRows);
    } catch (err) {
      // A portal whose execution failed cannot be resumed.
      this.closePortal(portalName);
      throw shiftPosition(err, prepared.statement.offset);
    }
    this.ctx.sendNotices();
  }

  close(body: Buffer): void {
    const { target, name } = decodeDescribeOrClose(body, 'Close');
    // Closing something that does not exist is not an error.
    if (target === 'S') this.statements.delete(name);
    else this.closePortal(name);
    this.ctx.writer.closeComplete();
  }

  /** A simple Query replaces the unnamed statement and portal, as in PostgreSQL. */
  dropUnnamed(): void {
    this.statements.delete('');
    this.closePortal('');
  }

  /** Portals live until their transaction ends; outside a transaction block that is every Sync. */
  endOfTransaction(): void {
    for (const name of [...this.portals.keys()]) this.closePortal(name);
  }

  /** The connection is gone: release every cursor. */
  closeAll(): void {
    this.endOfTransaction();
    this.statements.clear();
  }

  private closePortal(name: string): void {
    const portal = this.portals.get(name);
    if (!portal) return;
    portal.run?.close();
    this.portals.delete(name);
  }
}

function unknownStatement(name: string): SqlError {
  return new SqlError(SQLSTATE.invalidSqlStatementName, `prepared statement "${name}" does not exist`);
}

function unknownPortal(name: string): SqlError {
  return new SqlError(SQLSTATE.invalidCursorName, `portal "${name}" does not exist`);
}
