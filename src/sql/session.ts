/**
 * One client's SQL session as statement handlers see it: settings, transaction state, notices and
 * the open block's table writes, over the shared Database. Parsing and dispatching statements to
 * the handlers is ClientSession's (client-session.ts), which extends this: the handlers import
 * this module, so it cannot import them.
 */
import type { ConnectionInfo, Notice } from '../wire/session-api.js';
import type { Value } from '../types/types.js';
import type { EvalEnv } from '../planner/expr-ir.js';
import type { Database } from './database.js';
import { Settings } from './settings.js';
import { TableWrites, type PendingSnapshot } from './table-writes.js';
import { SessionCursors } from './cursors.js';
import { statementTimeout, userCancel } from './cancel.js';
import { StatementTimer } from './statement-timer.js';
import type { MemoryGuard } from './memory-guard.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { SessionActivity } from './session-activity.js';
import type { RegisteredSession } from './session-registry.js';
import type { SessionControl } from '../planner/catalog-api.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface SessionOptions {
  /** The user may read (SELECT, SUBSCRIBE, SHOW...) but not change anything: 42501 otherwise. */
  readOnly?: boolean;
  /** Settings the server fixes for the session (max_connections...). */
  serverSettings?: Record<string, string>;
  /** --max-memory: the statement running fails with 53200 past it. */
  memoryGuard?: MemoryGuard;
  /** The client connection it serves: such a session is listed in pg_stat_activity. */
  connection?: ConnectionInfo;
}

export class Session {
  readonly settings: Settings;
  /** Table changes of the open transaction block, committed at COMMIT. */
  readonly writes: TableWrites;
  /** Cursors opened by DECLARE. */
  readonly cursors = new SessionCursors();
  private txStatus: 'I' | 'T' | 'E' = 'I';
  /** The open block's savepoints, oldest first: what ROLLBACK TO puts back. */
  private savepoints: { name: string; writes: PendingSnapshot; settings: ReturnType<Settings['savepoint']> }[] = [];
  private notices: Notice[] = [];
  private readonly cancelListeners = new Set<(reason: SqlError) => void>();
  /** statement_timeout of the statement running now (ClientSession.execute arms it). */
  protected readonly statementTimer = new StatementTimer(() => this.cancel(statementTimeout()));
  readonly user: string;
  readonly databaseName: string;
  readonly readOnly: boolean;
  /** Called every few thousand rows a statement builds or produces: statement_timeout, --max-memory. */
  private readonly interrupt: () => void;

  constructor(readonly db: Database, startup: Record<string, string>, options: SessionOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    const guard = options.memoryGuard;
    this.interrupt = guard
      ? () => {
          this.statementTimer.check();
          guard.check();
        }
      : this.statementTimer.check;
    this.settings = new Settings(startup, { ...options.serverSettings, ...(this.readOnly ? { is_superuser: 'off' } : {}) });
    this.writes = new TableWrites(db);
    this.user = startup.user ?? 'eddy';
    this.databaseName = startup.database ?? this.user;
    db.sessionStarted(this.user, this.databaseName);
    const connection = options.connection;
    this.backendPid = connection?.pid ?? process.pid;
    this.sessionControl.backendPid = this.backendPid;
    if (connection) {
      this.activity = new SessionActivity({
        connection,
        databaseOid: db.system.connectedOid('database', this.databaseName),
        userOid: db.system.connectedOid('role', this.user),
        applicationName: () => this.settings.get('application_name') ?? '',
        transactionStatus: () => this.txStatus,
      });
      const activity = this.activity;
      this.registered = {
        pid: connection.pid,
        user: this.user,
        superuser: !this.readOnly,
        activity: () => activity.row(),
        cancel: () => this.cancel(),
        terminate: () => connection.terminate(),
      };
      db.sessions.add(this.registered);
    }
  }

  /** The pid of BackendKeyData (pg_backend_pid); the server's own for a session without a client. */
  readonly backendPid: number;
  /** What pg_stat_activity shows of this session; null for a session without a client (replay). */
  protected readonly activity: SessionActivity | null = null;
  private readonly registered: RegisteredSession | null = null;

  /**
   * SET / RESET (value null) / SET LOCAL. Outside a transaction block SET LOCAL has nothing to
   * last for: PostgreSQL checks it, warns (when `warn`) and changes nothing.
   */
  setSetting(name: string, value: string | null, local: boolean, warn = true): string {
    if (local && !this.inTransactionBlock()) {
      const { key, normalized } = this.settings.checked(name, value);
      if (warn) this.notice('WARNING', SQLSTATE.noActiveSqlTransaction, 'SET LOCAL can only be used in transaction blocks');
      return normalized ?? this.settings.get(key) ?? '';
    }
    this.settings.set(name, value, local);
    return this.settings.get(name) ?? value ?? '';
  }

  parameterStatuses(): [string, string][] {
    return this.settings.reportedPairs();
  }

  transactionStatus(): 'I' | 'T' | 'E' {
    return this.txStatus;
  }

  onError(): void {
    if (this.txStatus === 'T') this.txStatus = 'E';
  }

  /** BEGIN: true when a block was opened, false when one was already open (PostgreSQL warns). */
  beginTransaction(): boolean {
    if (this.txStatus !== 'I') return false;
    this.txStatus = 'T';
    this.settings.beginTransaction();
    this.activity?.block(true);
    return true;
  }

  /** COMMIT/ROLLBACK: returns the status the block was in ('I' when there was none). */
  endTransaction(commit: boolean): 'I' | 'T' | 'E' {
    const was = this.txStatus;
    const commits = commit && was === 'T';
    this.txStatus = 'I';
    this.savepoints = [];
    if (was === 'I') return was;
    this.activity?.block(false);
    this.cursors.transactionEnded(commits);
    this.settings.endTransaction(commits);
    if (commits) this.writes.commit();
    else this.writes.rollback();
    return was;
  }

  /** SAVEPOINT name: inside a block only (25P01); a name used again hides the older one. */
  savepoint(name: string): void {
    if (this.txStatus === 'I') throw new SqlError(SQLSTATE.noActiveSqlTransaction, 'SAVEPOINT can only be used in transaction blocks');
    this.savepoints.push({ name, writes: this.writes.snapshot(), settings: this.settings.savepoint() });
  }

  /** The newest savepoint called `name` (3B001 when there is none), by position. */
  private savepointIndex(name: string, statement: string): number {
    if (this.txStatus === 'I') throw new SqlError(SQLSTATE.noActiveSqlTransaction, `${statement} can only be used in transaction blocks`);
    const at = this.savepoints.map((sp) => sp.name).lastIndexOf(name);
    if (at < 0) throw new SqlError(SQLSTATE.invalidSavepointSpecification, `savepoint "${name}" does not exist`);
    return at;
  }

  /** RELEASE SAVEPOINT: forgets it and every later one; the changes since stay in the block. */
  releaseSavepoint(name: string): void {
    this.savepoints.length = this.savepointIndex(name, 'RELEASE SAVEPOINT');
  }

  /** ROLLBACK TO SAVEPOINT: the block's changes and settings as they were there, and a failed block usable again. */
  rollbackToSavepoint(name: string): void {
    const at = this.savepointIndex(name, 'ROLLBACK TO SAVEPOINT');
    const sp = this.savepoints[at]!;
    this.savepoints.length = at + 1;
    this.writes.restore(sp.writes);
    this.settings.restore(sp.settings);
    this.txStatus = 'T';
  }

  inTransactionBlock(): boolean {
    return this.txStatus !== 'I';
  }

  notice(severity: Notice['severity'], code: string, message: string): void {
    this.notices.push({ severity, code, message });
  }

  takeNotices(): Notice[] {
    const n = this.notices;
    this.notices = [];
    return n;
  }

  takeParameterChanges(): [string, string][] {
    return this.settings.takeChanges();
  }

  /** What expressions evaluated for this session may read. */
  evalEnv(params: Value[]): EvalEnv {
    const settings = this.settings;
    return {
      params,
      // The database name is the connection's, not a setting: exposed under Eddy's own prefix.
      setting: (name) => (name === 'eddy.database' ? this.databaseName : settings.get(name)),
      // set_config(..., is_local) outside a block: no warning, as PostgreSQL's is silent
      setSetting: (name, value, local) => this.setSetting(name, value, local, false),
      sessions: this.sessionControl,
      now: Date.now() * 1000,
      catalog: this.db.system,
      interrupt: this.interrupt,
      blockRows: (node) => this.writes.blockRows(node),
    };
  }

  /** The session functions' view of the server's sessions (EvalEnv.sessions). */
  private readonly sessionControl: Mutable<SessionControl> = {
    backendPid: 0, // set by the constructor, once the connection's pid is known
    settingRows: () => this.settings.rows(),
    activityRows: (pid) =>
      this.db.sessions
        .all()
        .filter((s) => pid === null || s.pid === pid)
        .map((s) => (this.mayWatch(s) ? s.activity() : withheldActivity(s.activity()))),
    cancelBackend: (pid) => this.signal(pid, 'cancel'),
    terminateBackend: (pid) => this.signal(pid, 'terminate'),
  };

  /** As in PostgreSQL, a superuser sees and signals every session, any other user those of its own role. */
  private mayWatch(target: RegisteredSession): boolean {
    return !this.readOnly || target.user === this.user;
  }

  private signal(pid: number, how: 'cancel' | 'terminate'): boolean {
    const target = this.db.sessions.get(pid);
    if (!target) {
      this.notice('WARNING', SQLSTATE.warning, `PID ${pid} is not a PostgreSQL backend process`);
      return false;
    }
    if (!this.mayWatch(target)) throw signalRefused(how, target.superuser);
    if (how === 'cancel') target.cancel();
    else target.terminate();
    return true;
  }

  /**
   * Lets a waiting statement (SUBSCRIBE, FETCH) hear CancelRequest and statement_timeout; a wait
   * that starts after the statement's time ran out is cancelled at once (after this returns).
   */
  onCancel(listener: (reason: SqlError) => void): () => void {
    this.cancelListeners.add(listener);
    if (this.statementTimer.expired) queueMicrotask(() => this.cancelListeners.has(listener) && listener(statementTimeout()));
    return () => this.cancelListeners.delete(listener);
  }

  cancel(reason: SqlError = userCancel()): void {
    for (const l of [...this.cancelListeners]) l(reason);
  }

  close(): void {
    if (this.registered) this.db.sessions.remove(this.registered);
    this.statementTimer.disarm();
    this.cancel();
    this.cursors.closeAll();
  }
}

/** What pg_stat_activity shows of another role's session to a user who may not watch it, as PostgreSQL 15 does. */
function withheldActivity(row: Record<string, Value>): Record<string, Value> {
  const { pid, usesysid, application_name } = row;
  return { pid, usesysid, application_name, query: '<insufficient privilege>' };
}

/** PostgreSQL 15's 42501 for signalling a session one may not. */
function signalRefused(how: 'cancel' | 'terminate', superuser: boolean): SqlError {
  const message = superuser
    ? how === 'cancel' ? 'must be a superuser to cancel superuser query' : 'must be a superuser to terminate superuser process'
    : `must be a member of the role whose ${how === 'cancel' ? 'query is being canceled' : 'process is being terminated'} or member of pg_signal_backend`;
  return new SqlError(SQLSTATE.insufficientPrivilege, message);
}
