/**
 * The queue between a socket and the protocol loop. Bytes arrive whenever the client sends them,
 * but messages must be handled one at a time, in order, each possibly waiting on the engine; the
 * loop pulls frames with `next()`. When too much is queued the socket is paused (TCP
 * backpressure reaches the client) and resumed as the loop catches up.
 */
import type { Socket } from 'node:net';
import type { SqlError } from '../errors.js';
import { MessageFramer, type Frame } from './message-framer.js';

const PAUSE_ABOVE_BYTES = 8 << 20;

export class FrameInbox {
  private readonly framer = new MessageFramer();
  private readonly frames: Frame[] = [];
  private queuedBytes = 0;
  private waiter: (() => void) | null = null;
  private ended = false;
  private failure: SqlError | null = null;
  private paused = false;
  private goodbyeListener: (() => void) | null = null;
  private saidGoodbye = false;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.finish();

  constructor(private socket: Socket) {
    this.listen(socket);
  }

  /**
   * Reads from `socket` from now on instead (the TLS socket after an SSLRequest was accepted).
   * The old socket's bytes are the new one's to decrypt, so we stop listening to it.
   */
  switchTo(socket: Socket): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket = socket;
    this.listen(socket);
  }

  /** Whether anything arrived that has not been taken yet (complete or partial). */
  get hasUnreadBytes(): boolean {
    return this.frames.length > 0 || this.framer.pendingBytes > 0;
  }

  private listen(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  /**
   * Calls `listener` once, as soon as the client says it is done: a Terminate arrives or it ends
   * its side of the connection. It fires while frames before it are still queued, so that a
   * statement that could run for ever (SUBSCRIBE) stops without waiting to read them.
   */
  onGoodbye(listener: () => void): void {
    this.goodbyeListener = listener;
  }

  /** Bytes of an incomplete message still waiting for the rest: a client that vanished mid-message. */
  get partialBytes(): number {
    return this.framer.pendingBytes;
  }

  /**
   * The next message in arrival order; null once the client has closed and everything before
   * was delivered. Throws the framing error (a FATAL SqlError) in its place in the stream.
   */
  async next(): Promise<Frame | null> {
    while (this.frames.length === 0) {
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const frame = this.frames.shift()!;
    this.queuedBytes -= frame.body.length;
    if (this.paused && this.queuedBytes < PAUSE_ABOVE_BYTES / 2) {
      this.paused = false;
      this.socket.resume();
    }
    return frame;
  }

  private receive(chunk: Buffer): void {
    if (this.failure || this.ended) return;
    this.framer.push(chunk);
    try {
      for (let frame = this.framer.next(); frame; frame = this.framer.next()) {
        this.frames.push(frame);
        this.queuedBytes += frame.body.length;
        if (frame.kind === 'typed' && frame.type === 'X') this.goodbye();
      }
    } catch (err) {
      // Once framing is lost nothing after this point can be read: stop reading altogether.
      this.failure = err as SqlError;
      this.socket.pause();
    }
    if (!this.paused && this.queuedBytes > PAUSE_ABOVE_BYTES) {
      this.paused = true;
      this.socket.pause();
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.goodbye();
    this.wake();
  }

  private goodbye(): void {
    if (this.saidGoodbye) return;
    this.saidGoodbye = true;
    this.goodbyeListener?.();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}
