/**
 * The SqlSession the wire drives for each connection: a Session that parses statements and
 * dispatches each to the handler for its kind.
 */
import { SqlError, SQLSTATE, withErrorPosition } from '../errors.js';
import type { ColumnDesc, ExecResult, ParsedStatement, PreparedStatement, SqlSession } from '../wire/session-api.js';
import type { Value } from '../types/types.js';
import { parseQuery, type Statement } from './parse.js';
import { column, type Prepared } from './prepared.js';
import { handlerFor } from './handlers/index.js';
import { Session } from './session.js';
import { durationMs } from './settings.js';
import { checkReadOnly } from './read-only.js';
import { StatementCache, type LiftedStatement } from './statement-cache.js';
import { parseValue } from '../types/text-io.js';
import { T, typeByOid } from '../types/types.js';
import { whenDelivered } from './result-delivered.js';

export class ClientSession extends Session implements SqlSession {
  private readonly statementCache = new StatementCache();

  parse(sql: string): ParsedStatement[] {
    return this.statementCache.parse(sql, parseQuery);
  }

  parseSimple(sql: string): ParsedStatement[] {
    const lifted = this.statementCache.lifted(sql, parseQuery);
    return lifted ? [lifted] : this.parse(sql);
  }

  prepare(statement: ParsedStatement, paramTypeOids: number[]): PreparedStatement {
    const lifted = (statement as LiftedStatement).lifted;
    return lifted ? this.prepareLifted(statement as LiftedStatement) : this.preparePlain(statement as Statement, paramTypeOids);
  }

  /**
   * A simple-protocol statement with its values lifted runs the shared parameterized plan with
   * its own values, read as a literal of the parameter's type reads. When the parameterized
   * statement cannot be planned (a parameter where this session's planner wants a constant), the
   * text is planned as it is, and its shape goes that way from now on.
   */
  private prepareLifted(statement: LiftedStatement): Prepared {
    const { lifted } = statement;
    let inner: Prepared;
    try {
      inner = this.preparePlain(lifted.statement, lifted.paramTypeOids);
    } catch {
      lifted.refuse();
      const [plain] = this.statementCache.parse(statement.sql, parseQuery);
      return this.preparePlain(plain!, []);
    }
    const timeZone = this.settings.get('timezone');
    return {
      statement,
      paramTypes: [],
      columns: inner.columns,
      endsTransaction: inner.endsTransaction,
      run: () => inner.run(lifted.values.map((text, i) => literalValue(inner.paramTypes[i]!, text, timeZone, lifted.starts[i]! - statement.offset))),
    };
  }

  private preparePlain(stmt: Statement, paramTypeOids: number[]): Prepared {
    const version = () => `${this.db.catalogVersion}.${this.settings.version}`;
    return this.statementCache.prepared(stmt, paramTypeOids, version, () => {
      if (this.readOnly) checkReadOnly(stmt, this.user);
      return handlerFor(stmt)(this, stmt, paramTypeOids);
    });
  }

  async execute(prepared: PreparedStatement, params: Value[]): Promise<ExecResult> {
    const p = prepared as Prepared;
    if (this.transactionStatus() === 'E' && !p.endsTransaction) {
      throw new SqlError(SQLSTATE.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    this.statementTimer.arm(durationMs(this.settings.get('statement_timeout') ?? '0'));
    this.activity?.statementStarted(prepared.statement.sql);
    try {
      const result = this.statementTimer.track(await p.run(params));
      return this.activity ? whenDelivered(result, () => this.activity?.statementEnded()) : result;
    } catch (err) {
      this.statementTimer.disarm();
      this.activity?.statementEnded();
      throw err;
    }
  }

  describeCursor(name: string): ColumnDesc[] | null {
    return this.cursors.find(name)?.columns.map((c) => column(c.name, c.type, c.typmod)) ?? null;
  }
}

/** A lifted literal's value, with the literal's position on an error as the literal would have. */
function literalValue(typeOid: number, text: string, timeZone: string | undefined, at: number): Value {
  return withErrorPosition(at + 1, () => parseValue(typeByOid(typeOid) ?? T.text, text, -1, { timeZone }));
}
