/**
 * Cuts the client's byte stream into messages. A connection starts with an untyped startup
 * packet (int32 length, int32 code, body); everything after it is typed (byte type, int32
 * length including itself, body). Lengths are validated before any body is buffered, so a
 * hostile or broken client is refused after a few bytes instead of making us hold gigabytes.
 */
import { fatalProtocolViolation } from './protocol-error.js';

export interface StartupFrame {
  readonly kind: 'startup';
  /** The int32 after the length: protocol version, or a request code (SSL, GSSENC, cancel). */
  readonly code: number;
  readonly body: Buffer;
}

export interface TypedFrame {
  readonly kind: 'typed';
  /** The message type byte as a one-character string, e.g. 'Q'. */
  readonly type: string;
  readonly body: Buffer;
}

export type Frame = StartupFrame | TypedFrame;

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
const MAX_STARTUP_LENGTH = 10_000;
/** COPY data may be large (PostgreSQL allows up to 1 GiB per message). */
const MAX_COPY_DATA_LENGTH = 1 << 30;
/** Any other message: queries and bind parameters are never this big in practice. */
const MAX_MESSAGE_LENGTH = 64 << 20;

/** The message types a client may send (PostgreSQL's frontend protocol 3.0). */
const FRONTEND_TYPES = new Set(['B', 'C', 'd', 'c', 'f', 'D', 'E', 'H', 'F', 'P', 'p', 'Q', 'S', 'X']);

export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expectStartup = true;

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame, or null until more bytes arrive. Throws a FATAL SqlError on bad framing. */
  next(): Frame | null {
    return this.expectStartup ? this.nextStartup() : this.nextTyped();
  }

  private nextStartup(): StartupFrame | null {
    if (this.buffered < 4) return null;
    const length = this.peek(4).readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) throw fatalProtocolViolation(`invalid length of startup packet: ${length}`);
    if (this.buffered < length) return null;
    const packet = this.take(length);
    const code = packet.readInt32BE(4);
    // After SSLRequest / GSSENCRequest the client sends another startup packet; after anything
    // else typed messages follow, possibly in the same chunk, so switch before reading on.
    if (code !== SSL_REQUEST_CODE && code !== GSSENC_REQUEST_CODE) this.expectStartup = false;
    return { kind: 'startup', code, body: packet.subarray(8) };
  }

  private nextTyped(): TypedFrame | null {
    if (this.buffered < 1) return null;
    const type = String.fromCharCode(this.peek(1)[0]!);
    if (!FRONTEND_TYPES.has(type)) {
      throw fatalProtocolViolation(`invalid frontend message type ${type.charCodeAt(0)}`);
    }
    if (this.buffered < 5) return null;
    const length = this.peek(5).readInt32BE(1);
    const max = type === 'd' ? MAX_COPY_DATA_LENGTH : MAX_MESSAGE_LENGTH;
    if (length < 4 || length > max) throw fatalProtocolViolation(`invalid message length ${length} for message type "${type}"`);
    if (this.buffered < length + 1) return null;
    return { kind: 'typed', type, body: this.take(length + 1).subarray(5) };
  }

  /** The first n buffered bytes (n <= buffered), merging the first chunks if they are split. */
  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) {
      this.chunks = [Buffer.concat(this.chunks)];
    }
    return this.chunks[0]!;
  }

  /** Removes and returns the first n buffered bytes; copies only when a frame spans chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0]!;
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.buffered -= n;
    return out;
  }
}
