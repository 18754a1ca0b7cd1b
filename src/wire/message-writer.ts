/**
 * Builds backend messages into one growing buffer and hands it to the socket in one write per
 * batch: at Sync/Flush, at the end of a simple query, or when the buffer passes FLUSH_AT bytes
 * (so a large result streams out instead of piling up in memory).
 */
import { typeByOid } from '../types/types.js';
import type { ColumnDesc } from './session-api.js';
import type { FormatCode } from './frontend-messages.js';

const INITIAL_SIZE = 16 * 1024;
const FLUSH_AT = 64 * 1024;

export interface ErrorFields {
  severity: string;
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: number;
}

export interface ByteSink {
  write(chunk: Buffer): boolean;
}

export class MessageWriter {
  private buf = Buffer.allocUnsafe(INITIAL_SIZE);
  private len = 0;
  private messageStart = -1;

  constructor(private readonly sink: ByteSink) {}

  /** True when the buffer is big enough that the caller should flush before continuing. */
  get wantsFlush(): boolean {
    return this.len >= FLUSH_AT;
  }

  /**
   * Sends everything buffered. Returns false when the socket's own buffer is full, so a caller
   * streaming many rows can wait for 'drain'.
   */
  flush(): boolean {
    if (this.len === 0) return true;
    // Copy out: the socket may hold the chunk while we keep reusing our buffer.
    const chunk = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    if (this.buf.length > FLUSH_AT * 4) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
    return this.sink.write(chunk);
  }

  // --- messages -------------------------------------------------------------------------------

  authenticationOk(): void {
    this.begin('R');
    this.int32(0);
    this.end();
  }

  /** Starts SASL authentication, offering these mechanisms. */
  authenticationSasl(mechanisms: string[]): void {
    this.begin('R');
    this.int32(10);
    for (const m of mechanisms) this.cstring(m);
    this.byte(0);
    this.end();
  }

  authenticationSaslContinue(data: string): void {
    this.authenticationData(11, data);
  }

  authenticationSaslFinal(data: string): void {
    this.authenticationData(12, data);
  }

  private authenticationData(code: number, data: string): void {
    this.begin('R');
    this.int32(code);
    this.bytes(Buffer.from(data, 'utf8'));
    this.end();
  }

  /** We speak 3.0 only: the newest minor version we support and the options we did not take. */
  negotiateProtocolVersion(newestMinor: number, unrecognizedOptions: string[]): void {
    this.begin('v');
    this.int32(newestMinor);
    this.int32(unrecognizedOptions.length);
    for (const o of unrecognizedOptions) this.cstring(o);
    this.end();
  }

  parameterStatus(name: string, value: string): void {
    this.begin('S');
    this.cstring(name);
    this.cstring(value);
    this.end();
  }

  backendKeyData(pid: number, secret: number): void {
    this.begin('K');
    this.int32(pid);
    this.int32(secret);
    this.end();
  }

  readyForQuery(status: 'I' | 'T' | 'E'): void {
    this.begin('Z');
    this.byte(status.charCodeAt(0));
    this.end();
  }

  rowDescription(columns: ColumnDesc[], formats: FormatCode[]): void {
    this.begin('T');
    this.int16(columns.length);
    columns.forEach((c, i) => {
      this.cstring(c.name);
      this.int32(c.tableOid);
      this.int16(c.columnAttr);
      this.int32(c.typeOid | 0);
      this.int16(typeLength(c.typeOid));
      this.int32(c.typmod);
      this.int16(formats[i] ?? 0);
    });
    this.end();
  }

  noData(): void {
    this.empty('n');
  }

  parameterDescription(typeOids: number[]): void {
    this.begin('t');
    this.int16(typeOids.length);
    // OIDs are unsigned; `| 0` keeps their bits in the signed field.
    for (const oid of typeOids) this.int32(oid | 0);
    this.end();
  }

  /** One row; each value already encoded (null for SQL NULL). */
  dataRow(values: (Buffer | null)[]): void {
    this.begin('D');
    this.int16(values.length);
    for (const v of values) {
      if (v === null) {
        this.int32(-1);
      } else {
        this.int32(v.length);
        this.bytes(v);
      }
    }
    this.end();
  }

  commandComplete(tag: string): void {
    this.begin('C');
    this.cstring(tag);
    this.end();
  }

  emptyQueryResponse(): void {
    this.empty('I');
  }

  parseComplete(): void {
    this.empty('1');
  }

  bindComplete(): void {
    this.empty('2');
  }

  closeComplete(): void {
    this.empty('3');
  }

  portalSuspended(): void {
    this.empty('s');
  }

  errorResponse(fields: ErrorFields): void {
    this.noticeOrError('E', fields);
  }

  noticeResponse(fields: ErrorFields): void {
    this.noticeOrError('N', fields);
  }

  copyInResponse(binary: boolean, columnCount: number): void {
    this.copyResponse('G', binary, columnCount);
  }

  copyOutResponse(binary: boolean, columnCount: number): void {
    this.copyResponse('H', binary, columnCount);
  }

  copyData(chunk: Uint8Array): void {
    this.begin('d');
    this.bytes(chunk);
    this.end();
  }

  copyDone(): void {
    this.empty('c');
  }

  /**
   * An error as protocol 2 clients read it ('E' and a bare string): only for refusing a client
   * that asked for protocol 2, which cannot parse a version 3 ErrorResponse.
   */
  legacyErrorResponse(severity: string, message: string): void {
    this.byte('E'.charCodeAt(0));
    this.cstring(`${severity}:  ${message}\n`);
  }

  /** The one-byte answer to SSLRequest / GSSENCRequest: not here, go on in plain text. */
  rawByte(b: string): void {
    this.byte(b.charCodeAt(0));
  }

  // --- encoding -------------------------------------------------------------------------------

  private noticeOrError(type: 'E' | 'N', f: ErrorFields): void {
    this.begin(type);
    this.field('S', f.severity);
    this.field('V', f.severity);
    this.field('C', f.code);
    this.field('M', f.message);
    if (f.detail !== undefined) this.field('D', f.detail);
    if (f.hint !== undefined) this.field('H', f.hint);
    if (f.position !== undefined) this.field('P', String(f.position));
    this.byte(0);
    this.end();
  }

  private field(code: string, value: string): void {
    this.byte(code.charCodeAt(0));
    this.cstring(value);
  }

  private copyResponse(type: 'G' | 'H', binary: boolean, columnCount: number): void {
    this.begin(type);
    this.byte(binary ? 1 : 0);
    this.int16(columnCount);
    for (let i = 0; i < columnCount; i++) this.int16(binary ? 1 : 0);
    this.end();
  }

  private empty(type: string): void {
    this.begin(type);
    this.end();
  }

  private begin(type: string): void {
    this.ensure(5);
    this.buf[this.len] = type.charCodeAt(0);
    this.messageStart = this.len + 1;
    this.len += 5;
  }

  private end(): void {
    this.buf.writeInt32BE(this.len - this.messageStart, this.messageStart);
    this.messageStart = -1;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  private byte(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  private int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.len);
    this.len += 2;
  }

  private int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
  }

  private bytes(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.len);
    this.len += v.length;
  }

  private cstring(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n + 1);
    this.buf.write(s, this.len, 'utf8');
    this.len += n;
    this.buf[this.len++] = 0;
  }
}

/** pg_type.typlen for RowDescription; -1 (variable) for types we do not know by OID. */
function typeLength(oid: number): number {
  const t = typeByOid(oid);
  return t ? t.typlen : -1;
}
