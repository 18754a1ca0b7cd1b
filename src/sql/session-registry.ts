/**
 * The client sessions the server has now, by process id (the pid of BackendKeyData): what
 * pg_stat_activity lists and what pg_cancel_backend and pg_terminate_backend reach.
 */
import type { Value } from '../types/types.js';

/** A session as the others see it. */
export interface RegisteredSession {
  readonly pid: number;
  readonly user: string;
  /** Every user but a read-only one is a superuser in Eddy. */
  readonly superuser: boolean;
  /** Its pg_stat_get_activity() row, by column name. */
  activity(): Record<string, Value>;
  /** Cancels what it runs or waits for, as a CancelRequest does (57014). */
  cancel(): void;
  /** Ends its connection (FATAL 57P01). */
  terminate(): void;
}

export class SessionRegistry {
  private readonly sessions = new Map<number, RegisteredSession>();

  add(session: RegisteredSession): void {
    this.sessions.set(session.pid, session);
  }

  remove(session: RegisteredSession): void {
    if (this.sessions.get(session.pid) === session) this.sessions.delete(session.pid);
  }

  get(pid: number): RegisteredSession | undefined {
    return this.sessions.get(pid);
  }

  /** Oldest first, as PostgreSQL lists backends by slot. */
  all(): RegisteredSession[] {
    return [...this.sessions.values()];
  }
}
