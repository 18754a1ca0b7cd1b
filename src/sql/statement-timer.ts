/**
 * statement_timeout for one session: armed when a statement starts executing, disarmed once its
 * result is fully delivered (its rows read, its COPY done), as PostgreSQL counts the whole
 * statement. Past the deadline `expire` runs (the session cancels what waits, with the timeout's
 * reason), and synchronous evaluation stops at its next interrupt point through `check`.
 */
import type { ExecResult } from '../wire/session-api.js';
import { statementTimeout } from './cancel.js';
import { whenDelivered } from './result-delivered.js';

export class StatementTimer {
  private deadline = Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly expire: () => void) {}

  arm(timeoutMs: number): void {
    this.disarm();
    if (timeoutMs <= 0) return;
    this.deadline = Date.now() + timeoutMs;
    this.timer = setTimeout(this.expire, timeoutMs);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = Infinity;
  }

  /** The running statement is past its deadline: what starts waiting now is cancelled at once. */
  get expired(): boolean {
    return Date.now() >= this.deadline;
  }

  /** Throws 57014 once the running statement is past its deadline. */
  readonly check = (): void => {
    if (this.expired) throw statementTimeout();
  };

  /** The result, with the timer disarmed once the client has all of it (or it was stopped). */
  track(result: ExecResult): ExecResult {
    return whenDelivered(result, () => this.disarm());
  }
}
