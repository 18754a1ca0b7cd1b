/**
 * COPY's text and CSV row formats (PostgreSQL's defaults: tab and \N for text; comma, double
 * quotes and the empty unquoted string as NULL for CSV). Fields come out as strings or null, to
 * be parsed by each column's type input function.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { encodeBinary } from '../types/binary-io.js';
import { formatValue } from '../types/text-io.js';
import type { SqlType, Value } from '../types/types.js';

export interface CopyOptions {
  format: 'text' | 'csv' | 'binary';
  delimiter: string;
  null: string;
  header: boolean;
  quote: string;
  escape: string;
}

export function copyOptions(options: any[] | undefined): CopyOptions {
  const get = (name: string) => {
    const def = (options ?? []).find((o: any) => o.DefElem.defname === name)?.DefElem;
    if (!def) return undefined;
    const arg = def.arg;
    if (arg === undefined) return 'true';
    if (arg.String) return arg.String.sval as string;
    if (arg.Boolean) return arg.Boolean.boolval ? 'true' : 'false';
    if (arg.Integer) return String(arg.Integer.ival);
    return undefined;
  };
  const format = (get('format') ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'csv' && format !== 'binary') {
    throw new SqlError(SQLSTATE.featureNotSupported, `COPY format "${format}" is not supported; use text, csv or binary`);
  }
  const csv = format === 'csv';
  const quote = get('quote') ?? '"';
  const header = get('header');
  return {
    format,
    delimiter: get('delimiter') ?? (csv ? ',' : '\t'),
    null: get('null') ?? (csv ? '' : '\\N'),
    header: header === 'true' || header === 'on' || header === '1',
    quote,
    escape: get('escape') ?? quote,
  };
}

/** Splits COPY input into rows of fields. Lines end with \n (an optional \r before it is dropped). */
export function parseCopyRows(input: string, opts: CopyOptions): (string | null)[][] {
  const rows = opts.format === 'csv' ? parseCsv(input, opts) : parseText(input, opts);
  return opts.header ? rows.slice(1) : rows;
}

function parseText(input: string, opts: CopyOptions): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (let line of input.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '\\.') break;
    if (line === '') continue;
    rows.push(line.split(opts.delimiter).map((f) => (f === opts.null ? null : unescapeText(f))));
  }
  return rows;
}

const TEXT_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescapeText(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return TEXT_ESCAPES[e] ?? e;
  });
}

function parseCsv(input: string, opts: CopyOptions): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let fields: (string | null)[] = [];
  let i = 0;
  const n = input.length;
  const atLineEnd = () => i >= n || input[i] === '\n' || input[i] === '\r';
  while (i < n) {
    if (fields.length === 0 && atLineEnd()) {
      i++; // a blank line holds no row
      continue;
    }
    let value = '';
    let quoted = false;
    if (input[i] === opts.quote) {
      quoted = true;
      i++;
      for (;;) {
        if (i >= n) throw new SqlError(SQLSTATE.invalidTextRepresentation, 'unterminated CSV quoted field');
        const c = input[i]!;
        if (c === opts.escape && input[i + 1] === opts.quote) {
          value += opts.quote;
          i += 2;
        } else if (c === opts.quote) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    }
    while (!atLineEnd() && input[i] !== opts.delimiter) value += input[i++];
    fields.push(!quoted && value === opts.null ? null : value);
    if (atLineEnd()) {
      if (input[i] === '\r') i++;
      if (input[i] === '\n') i++;
      if (fields.length === 1 && fields[0] === '\\.') break;
      rows.push(fields);
      fields = [];
    } else {
      i++; // the delimiter
    }
  }
  // Input that ends right after a delimiter has one more, empty, field.
  if (fields.length > 0) rows.push([...fields, opts.null === '' ? null : '']);
  return rows;
}

/** One row in COPY's text or CSV format, with its line end. Fields are already text, or null. */
export function formatCopyRow(fields: (string | null)[], opts: CopyOptions): string {
  if (opts.format === 'text') {
    return fields.map((f) => (f === null ? opts.null : escapeText(f, opts.delimiter))).join(opts.delimiter) + '\n';
  }
  return fields.map((f) => (f === null ? opts.null : quoteCsv(f, opts))).join(opts.delimiter) + '\n';
}

function escapeText(field: string, delimiter: string): string {
  let out = '';
  for (const c of field) {
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === delimiter) out += '\\' + c;
    else out += c;
  }
  return out;
}

/** CSV quotes a field when it could be misread: delimiter, quote, line breaks, or the NULL string. */
function quoteCsv(field: string, opts: CopyOptions): string {
  const needs = field === opts.null || field.includes(opts.delimiter) || field.includes(opts.quote) || /[\r\n]/.test(field) || field === '\\.';
  if (!needs) return field;
  return opts.quote + field.split(opts.quote).join(opts.escape + opts.quote) + opts.quote;
}

/** The signature, flags and header extension length that open COPY's binary format. */
const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** The field count -1 that ends it. */
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Splits COPY's binary format (what pgx's CopyFrom and psycopg's binary copy send) into rows of
 * fields, each the bytes of one value in its type's binary form or null.
 */
export function parseBinaryCopyRows(input: Buffer): (Buffer | null)[][] {
  const bad = (what: string) => new SqlError(SQLSTATE.badCopyFileFormat, what);
  if (input.length < BINARY_HEADER.length || !input.subarray(0, 11).equals(BINARY_HEADER.subarray(0, 11))) {
    throw bad('COPY file signature not recognized');
  }
  // Bit 16 of the flags says OIDs are included, which Eddy's tables never have.
  if (input.readUInt32BE(11) & 0x10000) throw bad('COPY file with OIDs is not supported');
  let pos = 19 + input.readUInt32BE(15);
  const need = (n: number) => {
    if (pos + n > input.length) throw bad('unexpected EOF in COPY data');
  };
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    // The end of the data where a row would start ends it as the trailer does (PostgreSQL
    // accepts both; pgx sends no trailer).
    if (pos === input.length) return rows;
    need(2);
    const count = input.readInt16BE(pos);
    pos += 2;
    if (count === -1) return rows;
    const row: (Buffer | null)[] = [];
    for (let i = 0; i < count; i++) {
      need(4);
      const len = input.readInt32BE(pos);
      pos += 4;
      if (len === -1) {
        row.push(null);
        continue;
      }
      need(len);
      row.push(input.subarray(pos, pos + len));
      pos += len;
    }
    rows.push(row);
  }
}

/**
 * Encodes rows for COPY TO STDOUT, one CopyData per row as PostgreSQL sends them. In binary the
 * file header travels with the first row (as PostgreSQL sends it: drivers parse each CopyData as
 * one row) and end() gives the trailer; in text and CSV, head() gives the HEADER line, if asked for.
 */
export class CopyRowEncoder {
  private started = false;
  private readonly types: SqlType[];
  /**
   * Says what body() depends on besides the row: two encoders with the same key encode a row to
   * the same bytes, so they may share them (SUBSCRIBE's subscribers of one relation do).
   */
  readonly key: string;

  constructor(
    private readonly columns: readonly { name: string; type: SqlType }[],
    private readonly opts: CopyOptions,
    private readonly timeZone: string | undefined,
  ) {
    this.types = columns.map((c) => c.type);
    this.key = JSON.stringify([opts, timeZone ?? null, this.types.map((t) => t.oid)]);
  }

  get binary(): boolean {
    return this.opts.format === 'binary';
  }

  /** The HEADER line (text and CSV), sent before any row. */
  head(): Buffer | null {
    return this.opts.header && !this.binary ? Buffer.from(formatCopyRow(this.columns.map((c) => c.name), this.opts)) : null;
  }

  /** One row's CopyData (in binary the first one carries the file header). */
  row(row: Value[]): Buffer {
    return this.framed(this.body(row));
  }

  /** A row encoded by body() (this encoder's, or one with the same key) as this stream's next CopyData. */
  framed(body: Buffer): Buffer {
    if (!this.binary || this.started) return body;
    this.started = true;
    return Buffer.concat([BINARY_HEADER, body]);
  }

  /** The row's bytes, the same wherever in the stream it goes. */
  body(row: Value[]): Buffer {
    if (!this.binary) {
      return Buffer.from(formatCopyRow(row.map((v, i) => (v === null ? null : formatValue(this.types[i]!, v, { timeZone: this.timeZone }))), this.opts));
    }
    const parts: Buffer[] = [];
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (let i = 0; i < row.length; i++) {
      const v = row[i]!;
      const length = Buffer.alloc(4);
      if (v === null) {
        length.writeInt32BE(-1);
        parts.push(length);
        continue;
      }
      const bytes = encodeBinary(this.types[i]!, v);
      length.writeInt32BE(bytes.length);
      parts.push(length, bytes);
    }
    return Buffer.concat(parts);
  }

  /** What closes the stream: the binary trailer (with the header first when no row was sent). */
  end(): Buffer | null {
    if (!this.binary) return null;
    return this.started ? BINARY_TRAILER : Buffer.concat([BINARY_HEADER, BINARY_TRAILER]);
  }
}
