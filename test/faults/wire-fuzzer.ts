/**
 * A seeded fuzzer of the PostgreSQL wire protocol, run against a real Eddy process. Each probe
 * sends one bad frame, built from a valid one by one mutation, and classifies what the server
 * did with it:
 * - 'type':      an unknown message type byte (must be a FATAL ErrorResponse and a close);
 * - 'oversize':  a length field out of range, huge or below 4 (FATAL and close, at once);
 * - 'truncated': a valid frame cut short, then the client's end (the server must close);
 * - 'garbage':   random bytes after startup, then the client's end (the server must close);
 * - 'body':      a known type whose body bytes are mutated under a consistent length, followed
 *                by Sync and a sentinel query (ErrorResponse, close, or, when the mutation left a
 *                valid message, the sentinel's answer);
 * - 'startup':   a mutated startup packet on a fresh connection, then the client's end.
 * Never acceptable: an XX000 (a bug), a probe with no outcome before its deadline, a crash.
 */
import { serialize } from 'pg-protocol';
import { RawClient, type Message } from '../wire/raw-client.js';

export type ProbeKind = 'type' | 'oversize' | 'truncated' | 'garbage' | 'body' | 'startup';
export type Outcome = 'error' | 'closed' | 'accepted';

export interface FuzzStats {
  frames: number;
  connections: number;
  byKind: Record<ProbeKind, Record<Outcome, number>>;
  /** What must never happen, with the probe that did it (for the assertion message). */
  violations: string[];
}

export function emptyStats(): FuzzStats {
  const kinds: ProbeKind[] = ['type', 'oversize', 'truncated', 'garbage', 'body', 'startup'];
  return {
    frames: 0,
    connections: 0,
    byKind: Object.fromEntries(kinds.map((k) => [k, { error: 0, closed: 0, accepted: 0 }])) as FuzzStats['byKind'],
    violations: [],
  };
}

const FRONTEND_TYPES = 'BCdcfDEHFPpQSX';
const SENTINEL = 'SELECT 424242';

/** Valid frames to mutate: what drivers send. */
function validFrames(): Buffer[] {
  return [
    serialize.query('SELECT 1 AS one, $$x$$ AS two'),
    serialize.parse({ name: 's1', text: 'SELECT $1::int + 1', types: [23] }),
    serialize.bind({ portal: '', statement: 's1', values: ['41'] }),
    serialize.execute({ portal: '', rows: 0 }),
    serialize.describe({ type: 'S', name: 's1' }),
    serialize.close({ type: 'P', name: '' }),
    serialize.flush(),
    serialize.copyData(Buffer.from('1\tx\n')),
    serialize.copyDone(),
    serialize.copyFail('stop'),
    serialize.password('not a password'),
  ];
}

export class WireFuzzer {
  private readonly frames = validFrames();

  constructor(
    private readonly port: number,
    private readonly random: () => number,
    private readonly stats: FuzzStats,
    /** Generous: a thousand connections at once on a small machine answer slowly. */
    private readonly deadlineMs = 30_000,
  ) {}

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Runs `count` probes over as many connections as they need (a fatal probe ends one). */
  async run(count: number): Promise<void> {
    let client: RawClient | null = null;
    for (let i = 0; i < count; i++) {
      const kind = this.pick<ProbeKind>(['type', 'oversize', 'truncated', 'garbage', 'body', 'body', 'body', 'startup']);
      if (kind === 'startup') {
        await this.record(kind, () => this.startupProbe());
        continue;
      }
      if (client === null || client.closed) {
        client = await RawClient.started(this.port, { user: 'fuzz', database: 'eddy' }, this.deadlineMs);
        this.stats.connections++;
      }
      const c: RawClient = client;
      const outcome = await this.record(kind, () => this.probe(c, kind as Exclude<ProbeKind, 'startup'>));
      if (outcome !== 'accepted') {
        c.destroy();
        client = null;
      }
    }
    client?.send(serialize.end());
    client?.end();
  }

  private async record(kind: ProbeKind, probe: () => Promise<Outcome>): Promise<Outcome> {
    this.stats.frames++;
    let outcome: Outcome;
    try {
      outcome = await probe();
    } catch (err) {
      this.stats.violations.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
      outcome = 'closed';
    }
    this.stats.byKind[kind][outcome]++;
    return outcome;
  }

  private async probe(c: RawClient, kind: Exclude<ProbeKind, 'startup'>): Promise<Outcome> {
    const frame = Buffer.from(this.pick(this.frames));
    switch (kind) {
      case 'type': {
        let type = this.int(256);
        while (FRONTEND_TYPES.includes(String.fromCharCode(type))) type = this.int(256);
        frame[0] = type;
        c.send(frame);
        return this.fatal(c, kind);
      }
      case 'oversize': {
        // Past the limit of its type: 1 GiB for CopyData, 64 MiB for the rest.
        const limit = frame[0] === 'd'.charCodeAt(0) ? 1 << 30 : 64 << 20;
        frame.writeInt32BE(this.pick([0x7fffffff, limit + 1 + this.int(1 << 20), -1 - this.int(1000), this.int(4)]), 1);
        c.send(frame);
        return this.fatal(c, kind);
      }
      case 'truncated':
        c.send(frame.subarray(0, 1 + this.int(frame.length - 1)));
        c.end();
        return this.closes(c);
      case 'garbage':
        c.send(this.bytes(1 + this.int(200)));
        c.end();
        return this.closes(c);
      case 'body':
        return this.bodyProbe(c, frame);
    }
  }

  /** A FATAL ErrorResponse (never XX000), then the server closes. */
  private async fatal(c: RawClient, kind: string): Promise<Outcome> {
    const [error] = (await c.until((m) => m.name === 'error', `FATAL for a ${kind} frame`, this.deadlineMs)).slice(-1);
    this.checkError(error!, kind);
    if (error!.severity !== 'FATAL') throw new Error(`${kind}: expected FATAL, got ${error!.severity} ${error!.code} ${error!.message}`);
    await c.waitForClose(`close after a ${kind} frame`, this.deadlineMs);
    return 'error';
  }

  /** The client ended its side after a broken frame: the server must close (with or without a word). */
  private async closes(c: RawClient): Promise<Outcome> {
    await c.waitForClose('the server to close after the client ended', this.deadlineMs);
    for (const m of c.messages) if (m.name === 'error') this.checkError(m, 'after end');
    return c.messages.some((m) => m.name === 'error') ? 'error' : 'closed';
  }

  private async bodyProbe(c: RawClient, frame: Buffer): Promise<Outcome> {
    if (frame.length > 5) {
      // Flip, replace or drop a few body bytes; the length field is rewritten to match.
      let body = Buffer.from(frame.subarray(5));
      for (let n = 1 + this.int(4); n > 0; n--) {
        const at = this.int(body.length);
        const how = this.int(3);
        if (how === 0) body[at] = body[at]! ^ (1 << this.int(8));
        else if (how === 1) body[at] = this.int(256);
        else body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
      }
      const head = Buffer.alloc(5);
      head[0] = frame[0]!;
      head.writeInt32BE(body.length + 4, 1);
      frame = Buffer.concat([head, body]);
    }
    c.send(Buffer.concat([frame, serialize.sync(), serialize.query(SENTINEL)]));
    const sentinelAnswered = (m: Message) => m.name === 'dataRow' && (m.fields as unknown[])[0] === '424242';
    await c.waitFor(() => c.closed || (c.messages.some(sentinelAnswered) && c.messages[c.messages.length - 1]!.name === 'readyForQuery'), 'the sentinel or a close', this.deadlineMs);
    const errors = c.messages.filter((m) => m.name === 'error');
    for (const e of errors) this.checkError(e, 'body');
    c.messages.length = 0;
    if (errors.length > 0) return 'error';
    return c.closed ? 'closed' : 'accepted';
  }

  private async startupProbe(): Promise<Outcome> {
    const c = await RawClient.connect(this.port);
    this.stats.connections++;
    c.startParsing();
    const packet = Buffer.from(serialize.startup({ user: 'fuzz', database: 'eddy' }));
    const how = this.int(4);
    if (how === 0) packet.writeInt32BE(this.pick([0, 7, 10_001, 0x7fffffff, -5]), 0);
    else if (how === 1) packet.writeInt32BE(this.int(2 ** 31), 4);
    else if (how === 2) for (let n = 1 + this.int(4); n > 0; n--) packet[8 + this.int(packet.length - 8)] = this.int(256);
    const sent = how === 3 ? this.bytes(1 + this.int(100)) : packet;
    c.send(sent);
    c.end();
    try {
      return await this.closes(c);
    } finally {
      c.destroy();
    }
  }

  private checkError(m: Message, kind: string): void {
    if (m.code === 'XX000' || typeof m.code !== 'string') {
      throw new Error(`${kind}: internal error ${String(m.code)} ${String(m.message)}`);
    }
  }
}
