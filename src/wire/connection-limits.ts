/**
 * How many clients the listener serves at once, counted in two pools so that neither can starve
 * the other: sessions (clients that authenticated; max_connections, 53300 past it as in
 * PostgreSQL) and connections still starting up (no startup packet yet, or authenticating). The
 * second pool bounds what clients without a password can hold: each such connection also ends
 * at the startup timeout (PostgreSQL's authentication_timeout).
 */
export class ConnectionLimits {
  private sessions = 0;
  private starting = 0;

  constructor(
    readonly maxSessions: number,
    readonly maxStarting: number,
  ) {}

  /** A new socket: false when too many connections are starting up already. */
  tryStart(): boolean {
    if (this.starting >= this.maxStarting) return false;
    this.starting++;
    return true;
  }

  /** The connection's startup is over, whichever way it ended. */
  startEnded(): void {
    this.starting--;
  }

  /** An authenticated client wants a session: false when max_connections are in use. */
  tryOpenSession(): boolean {
    if (this.sessions >= this.maxSessions) return false;
    this.sessions++;
    return true;
  }

  sessionClosed(): void {
    this.sessions--;
  }
}
