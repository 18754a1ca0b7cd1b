/**
 * json/jsonb text I/O. Numbers that a JS number cannot hold exactly as written (1.50, 1e400,
 * 12345678901234567890) are kept as numeric Decimals, so jsonb prints them as PostgreSQL does.
 * jsonb output is canonical: `{"a": 1, "b": [1, 2]}`, keys ordered shorter first then bytewise,
 * last duplicate key winning.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { formatNumeric, parseNumericText } from './numeric.js';
import { Json } from './types.js';

// json (unlike jsonb) keeps its input text verbatim; the text travels beside the value, and
// beside each object and array parsed from json text.
const jsonTexts = new WeakMap<Json, string>();
const rawTexts = new WeakMap<object, string>();

/** A json value that prints as the given text. */
export function jsonWithText(doc: unknown, text: string): Json {
  const j = new Json(doc);
  jsonTexts.set(j, text);
  return j;
}

/** Whether the value carries its input text (a json value parsed from text; jsonb's do not). */
export function hasJsonText(j: Json): boolean {
  return jsonTexts.has(j);
}

/** json's text output: its input text when it has one, else a compact rendering. */
export function formatJsonValue(j: Json): string {
  return jsonTexts.get(j) ?? formatJson(j.value);
}

/** PostgreSQL words json and jsonb syntax errors alike, as errors of type json. */
function jsonSyntaxError(detail: string): SqlError {
  return new SqlError(SQLSTATE.invalidTextRepresentation, 'invalid input syntax for type json', { detail });
}

/** Parses JSON text into plain objects/arrays/strings/booleans/null, numbers as number or Decimal. */
export function parseJsonText(text: string, typeName: 'json' | 'jsonb'): unknown {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const fail = (what?: string): never => {
    if (pos >= text.length) throw jsonSyntaxError('The input string ended unexpectedly.');
    const token = /^[A-Za-z0-9_.+-]+|^./s.exec(text.slice(pos))![0];
    throw jsonSyntaxError(what ?? `Token "${token}" is invalid.`);
  };
  const value = (): unknown => {
    ws();
    const start = pos;
    const v = bareValue();
    // json keeps its text: remember each object's and array's own, for -> and #> to return
    if (typeName === 'json' && typeof v === 'object' && v !== null && !(v instanceof Decimal)) rawTexts.set(v, text.slice(start, pos));
    return v;
  };
  const bareValue = (): unknown => {
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail();
        const key = string();
        ws();
        if (text[pos] !== ':') fail();
        pos++;
        const v = value();
        // the last duplicate wins, as in jsonb; defineProperty so "__proto__" stays a plain key
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail();
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"') return string();
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos));
    if (m && m[0].length > 0) {
      const after = text[pos + m[0].length];
      if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) fail();
      pos += m[0].length;
      return jsonNumber(m[0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos) && !/[A-Za-z0-9_]/.test(text[pos + word.length] ?? '')) {
        pos += word.length;
        return v;
      }
    }
    return fail();
  };
  const string = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail();
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) {
        throw jsonSyntaxError(`Character with value 0x${c.charCodeAt(0).toString(16).padStart(2, '0')} must be escaped.`);
      }
      if (c === '\\') {
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          pos += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          const code = parseInt(text.slice(pos + 2, pos + 6), 16);
          // json keeps its text, so only jsonb, which stores strings as text, refuses \u0000
          if (code === 0 && typeName === 'jsonb') {
            throw new SqlError('22P05', 'unsupported Unicode escape sequence', { detail: '\\u0000 cannot be converted to text.' });
          }
          out += String.fromCharCode(code);
          pos += 6;
          continue;
        }
        pos++;
        throw jsonSyntaxError(e === 'u' ? '"\\u" must be followed by four hexadecimal digits.' : `Escape sequence "\\${e ?? ''}" is invalid.`);
      }
      out += c;
      pos++;
    }
  };
  const result = value();
  ws();
  if (pos < text.length) fail();
  return result;
}

function jsonNumber(literal: string): number | Decimal {
  const n = Number(literal);
  if (Number.isFinite(n) && String(n) === literal) return n;
  return parseNumericText(literal)!;
}

/** JSON string literal as PostgreSQL's escape_json writes it. */
export function quoteJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += ch.charCodeAt(0) < 0x20 ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch;
    }
  }
  return out + '"';
}

function formatJsonNumber(n: number | Decimal): string {
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) return 'null';
    return formatNumeric(new Decimal(n));
  }
  return formatNumeric(n);
}

/** jsonb's key order: shorter keys first, equal lengths bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length - bb.length || Buffer.compare(ba, bb);
}

/** Canonical jsonb text. */
export function formatJsonb(doc: unknown): string {
  if (doc === null || doc === undefined) return 'null';
  if (typeof doc === 'boolean') return doc ? 'true' : 'false';
  if (typeof doc === 'number' || doc instanceof Decimal) return formatJsonNumber(doc);
  if (typeof doc === 'bigint') return doc.toString();
  if (typeof doc === 'string') return quoteJsonString(doc);
  if (Array.isArray(doc)) return `[${doc.map(formatJsonb).join(', ')}]`;
  const obj = doc as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareJsonbKeys);
  return `{${keys.map((k) => `${quoteJsonString(k)}: ${formatJsonb(obj[k])}`).join(', ')}}`;
}

/** json text: the input text of what was parsed, else compact with keys in their original order. */
export function formatJson(doc: unknown): string {
  if (doc === null || doc === undefined) return 'null';
  if (typeof doc === 'object') {
    const raw = rawTexts.get(doc);
    if (raw !== undefined) return raw;
  }
  if (typeof doc === 'boolean') return doc ? 'true' : 'false';
  if (typeof doc === 'number' || doc instanceof Decimal) return formatJsonNumber(doc);
  if (typeof doc === 'bigint') return doc.toString();
  if (typeof doc === 'string') return quoteJsonString(doc);
  if (Array.isArray(doc)) return `[${doc.map(formatJson).join(',')}]`;
  const obj = doc as Record<string, unknown>;
  return `{${Object.keys(obj)
    .map((k) => `${quoteJsonString(k)}:${formatJson(obj[k])}`)
    .join(',')}}`;
}
