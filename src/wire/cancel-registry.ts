/**
 * BackendKeyData keys of the live connections, so a CancelRequest (which arrives on a new
 * connection carrying only a process id and a secret) can find the session it is meant for.
 */
import { randomInt } from 'node:crypto';

interface Entry {
  secret: number;
  cancel: () => void;
}

export class CancelRegistry {
  private readonly entries = new Map<number, Entry>();
  // Process ids are only names here; starting at a random value keeps them from looking like
  // (and being confused with) the ids of a PostgreSQL running on the same machine.
  private nextPid = randomInt(10_000, 1 << 30);

  register(cancel: () => void): { pid: number; secret: number } {
    const pid = this.nextPid++;
    // The secret is what makes cancelling someone else's query hard: it must be unguessable.
    const secret = randomInt(-0x80000000, 0x7fffffff);
    this.entries.set(pid, { secret, cancel });
    return { pid, secret };
  }

  unregister(pid: number): void {
    this.entries.delete(pid);
  }

  /** Cancels the matching session; a wrong pid or secret is ignored, as PostgreSQL does. */
  cancel(pid: number, secret: number): boolean {
    const entry = this.entries.get(pid);
    if (!entry || entry.secret !== secret) return false;
    entry.cancel();
    return true;
  }
}
