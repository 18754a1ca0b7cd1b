/**
 * What pg_stat_activity says of one session: when it started, the statement it runs or last ran,
 * and since when; its state follows from that and the transaction status, as PostgreSQL's does.
 */
import type { Value } from '../types/types.js';
import type { ConnectionInfo } from '../wire/session-api.js';

/** Microseconds since the epoch, as timestamptz values are. */
const nowMicros = () => Date.now() * 1000;

export interface ActivityIdentity {
  connection: ConnectionInfo;
  databaseOid: number | null;
  userOid: number | null;
  applicationName: () => string;
  transactionStatus: () => 'I' | 'T' | 'E';
}

export class SessionActivity {
  private readonly backendStart = nowMicros();
  private query = '';
  private running = false;
  private queryStart: number | null = null;
  private stateChange = this.backendStart;
  private blockStart: number | null = null;

  constructor(private readonly who: ActivityIdentity) {}

  statementStarted(sql: string): void {
    this.running = true;
    this.query = sql;
    this.queryStart = this.stateChange = nowMicros();
  }

  statementEnded(): void {
    if (!this.running) return;
    this.running = false;
    this.stateChange = nowMicros();
  }

  /** A transaction block began (BEGIN) or ended. */
  block(open: boolean): void {
    this.blockStart = open ? (this.queryStart ?? nowMicros()) : null;
  }

  row(): Record<string, Value> {
    const { connection, transactionStatus } = this.who;
    const status = transactionStatus();
    const state = this.running ? 'active' : status === 'I' ? 'idle' : status === 'T' ? 'idle in transaction' : 'idle in transaction (aborted)';
    return {
      datid: this.who.databaseOid,
      pid: connection.pid,
      usesysid: this.who.userOid,
      application_name: this.who.applicationName(),
      state,
      query: this.query,
      // an idle client backend waits for its client to send a message, as PostgreSQL reports it
      wait_event_type: this.running ? null : 'Client',
      wait_event: this.running ? null : 'ClientRead',
      xact_start: this.blockStart ?? (this.running ? this.queryStart : null),
      query_start: this.queryStart,
      backend_start: this.backendStart,
      state_change: this.stateChange,
      client_addr: connection.clientAddress,
      client_hostname: null,
      client_port: connection.clientPort,
      backend_type: 'client backend',
      ssl: connection.encrypted,
      gss_auth: false,
      gss_enc: false,
    };
  }
}
