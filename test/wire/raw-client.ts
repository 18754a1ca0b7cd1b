/**
 * A bare TCP client for byte-level wire tests: sends whatever bytes a test builds (usually with
 * pg-protocol's `serialize`, sometimes deliberately broken) and parses the replies with
 * pg-protocol's client-side Parser, so assertions are about real messages on the wire.
 */
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';

const DEFAULT_DEADLINE_MS = 5000;

export type Message = BackendMessage & Record<string, unknown>;

export class RawClient {
  readonly messages: Message[] = [];
  /** Every byte received, for assertions on exact encodings. */
  readonly raw: Buffer[] = [];
  closed = false;
  private readonly parser = new Parser();
  private parsing = false;
  private pendingBytes: Buffer[] = [];
  private changed: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      if (this.parsing) this.parser.parse(chunk, (m) => this.messages.push(m as Message));
      else this.pendingBytes.push(chunk);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connects and completes a normal startup, returning once ReadyForQuery has arrived. */
  static async started(port: number, params: Record<string, string> = { user: 'eddy', database: 'eddy' }, deadlineMs = DEFAULT_DEADLINE_MS): Promise<RawClient> {
    const client = await RawClient.connect(port);
    client.startParsing();
    client.send(serialize.startup(params));
    await client.until((m) => m.name === 'readyForQuery', 'ReadyForQuery after startup', deadlineMs);
    return client;
  }

  /** Bytes before the first message that are not messages (the answer to SSLRequest). */
  async takeRawBytes(n: number): Promise<Buffer> {
    await this.waitFor(() => Buffer.concat(this.pendingBytes).length >= n, `${n} raw bytes`);
    const all = Buffer.concat(this.pendingBytes);
    this.pendingBytes = all.length > n ? [all.subarray(n)] : [];
    return all.subarray(0, n);
  }

  /** From now on, received bytes are parsed as backend messages. */
  startParsing(): void {
    this.parsing = true;
    const early = Buffer.concat(this.pendingBytes);
    this.pendingBytes = [];
    if (early.length > 0) this.parser.parse(early, (m) => this.messages.push(m as Message));
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Half-closes our side: the server sees the client go away. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * Waits until a message matching `pred` arrives; removes and returns the messages up to and
   * including it (later ones stay for the next call).
   */
  async until(pred: (m: Message) => boolean, what = 'a matching message', deadlineMs = DEFAULT_DEADLINE_MS): Promise<Message[]> {
    await this.waitFor(() => this.messages.some(pred), what, deadlineMs);
    return this.messages.splice(0, this.messages.findIndex(pred) + 1);
  }

  async waitForClose(what = 'the server to close the connection', deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    await this.waitFor(() => this.closed, what, deadlineMs);
  }

  /** Waits until `cond` holds (checked whenever bytes arrive or the socket closes). */
  async waitFor(cond: () => boolean, what: string, deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.name))}, closed=${this.closed}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private notify(): void {
    const c = this.changed;
    this.changed = null;
    c?.();
  }
}
