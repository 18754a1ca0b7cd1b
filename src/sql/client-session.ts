/**
 * The SqlSession the wire drives for each connection: a Session that parses statements and
 * dispatches each to the handler for its kind.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { ColumnDesc, ExecResult, ParsedStatement, PreparedStatement, SqlSession } from '../wire/session-api.js';
import type { Value } from '../types/types.js';
import { parseQuery, type Statement } from './parse.js';
import { column, type Prepared } from './prepared.js';
import { handlerFor } from './handlers/index.js';
import { Session } from './session.js';
import { durationMs } from './settings.js';
import { checkReadOnly } from './read-only.js';
import { StatementCache } from './statement-cache.js';
import { whenDelivered } from './result-delivered.js';

export class ClientSession extends Session implements SqlSession {
  private readonly statementCache = new StatementCache();

  parse(sql: string): ParsedStatement[] {
    return this.statementCache.parse(sql, parseQuery);
  }

  prepare(statement: ParsedStatement, paramTypeOids: number[]): PreparedStatement {
    const stmt = statement as Statement;
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
