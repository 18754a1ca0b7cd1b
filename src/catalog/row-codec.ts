/**
 * Encodes table rows for SQLite as JSON arrays. JSON cannot hold bigint, Decimal, bytes,
 * intervals, jsonb documents or SQL arrays distinctly, so those are tagged by a one-key object
 * (an array's elements are encoded the same way, recursively); everything else (numbers,
 * strings, booleans, null) is stored as itself. Timestamps and dates are numbers.
 */
import { Decimal } from 'decimal.js';
import { formatJsonValue, formatJsonb, hasJsonText, jsonWithText, parseJsonText } from '../types/json-text.js';
import { formatNumeric, parseNumericText } from '../types/numeric.js';
import { Interval, Json, SqlArray, type Value } from '../types/types.js';
import type { Row } from '../engine/batch.js';

type Encoded = null | boolean | number | string | { i8: string } | { dec: string } | { b64: string } | { iv: [number, number, number] } | { json: unknown } | { jtext: string; verbatim: boolean } | { f: string }
  | { arr: Encoded[]; lower: number };

function encodeValue(v: Value): Encoded {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { f: String(v) };
  if (typeof v === 'bigint') return { i8: v.toString() };
  // The text output keeps numeric's display scale (44.20 stays 44.20), which toString() loses.
  if (v instanceof Decimal) return { dec: formatNumeric(v) };
  if (v instanceof Uint8Array) return { b64: Buffer.from(v).toString('base64') };
  if (v instanceof Interval) return { iv: [v.months, v.days, v.micros] };
  // As text: a document's Decimals (1.50, 1e400, 12345678901234567890) and json's own spelling
  // survive, which JSON.stringify of the parsed document loses.
  if (v instanceof Json) return hasJsonText(v) ? { jtext: formatJsonValue(v), verbatim: true } : { jtext: formatJsonb(v.value), verbatim: false };
  if (v instanceof SqlArray) return { arr: v.elements.map(encodeValue), lower: v.lower };
  throw new Error(`cannot store value of unknown representation: ${String(v)}`);
}

function decodeValue(e: Encoded): Value {
  if (e === null || typeof e !== 'object') return e;
  if ('i8' in e) return BigInt(e.i8);
  if ('dec' in e) return parseNumericText(e.dec)!;
  if ('b64' in e) return Buffer.from(e.b64, 'base64');
  if ('iv' in e) return new Interval(e.iv[0], e.iv[1], e.iv[2]);
  if ('jtext' in e) return e.verbatim ? jsonWithText(parseJsonText(e.jtext, 'json'), e.jtext) : new Json(parseJsonText(e.jtext, 'jsonb'));
  // Rows stored before documents were kept as text.
  if ('json' in e) return new Json(e.json);
  if ('f' in e) return Number(e.f);
  if ('arr' in e) return new SqlArray(e.arr.map(decodeValue), e.lower);
  throw new Error('corrupt stored row');
}

export function encodeRow(row: Row): string {
  return JSON.stringify(row.map(encodeValue));
}

export function decodeRow(text: string): Row {
  return (JSON.parse(text) as Encoded[]).map(decodeValue);
}
