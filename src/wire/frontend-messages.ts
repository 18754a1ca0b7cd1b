/**
 * Decodes the bodies of the client's messages into plain objects. Every read is bounds-checked:
 * a body that ends early or has bytes left over is a protocol violation, never an exception from
 * Buffer or a value read from past the message.
 */
import { SQLSTATE, SqlError } from '../errors.js';
import { protocolViolation } from './protocol-error.js';

/** Format code per value: 0 text, 1 binary. */
export type FormatCode = 0 | 1;

export interface ParseMessage {
  statementName: string;
  query: string;
  paramTypeOids: number[];
}

export interface BindMessage {
  portalName: string;
  statementName: string;
  /** As sent: empty (all text), one code (applies to all) or one per parameter. */
  paramFormats: FormatCode[];
  /** null for SQL NULL. */
  params: (Buffer | null)[];
  /** As sent: empty (all text), one code (applies to all) or one per column. */
  resultFormats: FormatCode[];
}

export interface DescribeOrClose {
  /** 'S' prepared statement, 'P' portal. */
  target: 'S' | 'P';
  name: string;
}

export interface ExecuteMessage {
  portalName: string;
  /** 0 means no limit. */
  maxRows: number;
}

class BodyReader {
  private pos = 0;
  constructor(private readonly body: Buffer, private readonly what: string) {}

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.body.length) {
      throw protocolViolation(`insufficient data left in ${this.what} message`);
    }
  }

  int16(): number {
    this.need(2);
    const v = this.body.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.body.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.body.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  byte(): number {
    this.need(1);
    return this.body[this.pos++]!;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.body.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.pos);
    if (end < 0) throw protocolViolation(`invalid string in ${this.what} message`);
    const v = this.body.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return v;
  }

  /** Nothing may follow the last field: PostgreSQL's pq_getmsgend. */
  end(): void {
    if (this.pos !== this.body.length) throw protocolViolation(`invalid ${this.what} message format`);
  }

  formatCodes(): FormatCode[] {
    const n = this.int16();
    if (n < 0) throw protocolViolation(`invalid ${this.what} message format`);
    const codes: FormatCode[] = [];
    for (let i = 0; i < n; i++) {
      const code = this.int16();
      if (code !== 0 && code !== 1) throw new SqlError(SQLSTATE.invalidParameterValue, `unsupported format code: ${code}`);
      codes.push(code);
    }
    return codes;
  }
}

/** The startup packet's body: name/value pairs, ended by an empty name. */
export function decodeStartupParams(body: Buffer): Record<string, string> {
  const r = new BodyReader(body, 'startup');
  const params: Record<string, string> = {};
  for (;;) {
    const name = r.cstring();
    if (name === '') break;
    params[name] = r.cstring();
  }
  r.end();
  return params;
}

export function decodeCancelRequest(body: Buffer): { pid: number; secret: number } {
  const r = new BodyReader(body, 'cancel request');
  const pid = r.int32();
  const secret = r.int32();
  r.end();
  return { pid, secret };
}

/** SASLInitialResponse: the chosen mechanism and the client-first message. */
export function decodeSaslInitialResponse(body: Buffer): { mechanism: string; data: string } {
  const r = new BodyReader(body, 'SASLInitialResponse');
  const mechanism = r.cstring();
  const length = r.int32();
  const data = length < 0 ? '' : r.bytes(length).toString('utf8');
  r.end();
  return { mechanism, data };
}

export function decodeQuery(body: Buffer): string {
  const r = new BodyReader(body, 'Query');
  const sql = r.cstring();
  r.end();
  return sql;
}

export function decodeParse(body: Buffer): ParseMessage {
  const r = new BodyReader(body, 'Parse');
  const statementName = r.cstring();
  const query = r.cstring();
  const n = r.int16();
  if (n < 0) throw protocolViolation('invalid Parse message format');
  const paramTypeOids: number[] = [];
  for (let i = 0; i < n; i++) paramTypeOids.push(r.uint32());
  r.end();
  return { statementName, query, paramTypeOids };
}

export function decodeBind(body: Buffer): BindMessage {
  const r = new BodyReader(body, 'Bind');
  const portalName = r.cstring();
  const statementName = r.cstring();
  const paramFormats = r.formatCodes();
  const n = r.int16();
  if (n < 0) throw protocolViolation('invalid Bind message format');
  const params: (Buffer | null)[] = [];
  for (let i = 0; i < n; i++) {
    const length = r.int32();
    if (length === -1) params.push(null);
    else if (length < 0) throw protocolViolation(`invalid length ${length} of bind parameter ${i + 1}`);
    else params.push(r.bytes(length));
  }
  const resultFormats = r.formatCodes();
  r.end();
  return { portalName, statementName, paramFormats, params, resultFormats };
}

export function decodeDescribeOrClose(body: Buffer, what: 'Describe' | 'Close'): DescribeOrClose {
  const r = new BodyReader(body, what);
  const target = String.fromCharCode(r.byte());
  const name = r.cstring();
  r.end();
  if (target !== 'S' && target !== 'P') throw protocolViolation(`invalid ${what} message subtype ${target.charCodeAt(0)}`);
  return { target, name };
}

export function decodeExecute(body: Buffer): ExecuteMessage {
  const r = new BodyReader(body, 'Execute');
  const portalName = r.cstring();
  const maxRows = r.int32();
  r.end();
  return { portalName, maxRows: maxRows < 0 ? 0 : maxRows };
}

export function decodeCopyFail(body: Buffer): string {
  const r = new BodyReader(body, 'CopyFail');
  const message = r.cstring();
  r.end();
  return message;
}

/**
 * Expands Bind's format-code list (empty, one for all, or one each) to one code per value,
 * checking the count as PostgreSQL does.
 */
export function formatsFor(codes: FormatCode[], count: number, what: string): FormatCode[] {
  if (codes.length === 0) return new Array<FormatCode>(count).fill(0);
  if (codes.length === 1) return new Array<FormatCode>(count).fill(codes[0]!);
  if (codes.length !== count) {
    throw protocolViolation(`bind message has ${codes.length} ${what} formats but ${count} ${what}s`);
  }
  return codes;
}
