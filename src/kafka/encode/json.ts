/**
 * JSON [(col, ...)]: one object per row, `{"col": value, ...}` in the listed (or the input's)
 * column order, as Materialize's JSON sink format writes SQL values: booleans and integers and
 * floats as JSON numbers (int8 with all its digits; NaN and infinities, which JSON has no number
 * for, as strings), numeric as a string (a JSON number would lose digits in most readers),
 * timestamps as ISO 8601 strings (timestamptz in UTC), json and jsonb embedded as JSON, NULL as
 * null, everything else as its PostgreSQL text.
 */
import type { Decimal } from 'decimal.js';
import { formatDate, formatInterval, formatIsoTimestamp } from '../../types/datetime-text.js';
import { formatJsonb, formatJsonValue } from '../../types/json-text.js';
import { formatNumeric } from '../../types/numeric.js';
import { formatBytea, formatValue } from '../../types/text-io.js';
import { Interval, Json, T, type SqlType, type Value } from '../../types/types.js';
import type { Row } from '../../engine/batch.js';
import type { EncodedColumn } from './columns.js';

type JsonWriter = (value: Value) => string;

const string = (text: string) => JSON.stringify(text);

function floatWriter(type: SqlType): JsonWriter {
  return (v) => (Number.isFinite(v as number) ? formatValue(type, v) : string(formatValue(type, v)));
}

function jsonWriter(type: SqlType): JsonWriter {
  switch (type.oid) {
    case T.bool.oid:
      return (v) => (v ? 'true' : 'false');
    case T.int2.oid:
    case T.int4.oid:
    case T.oid.oid:
    case T.int8.oid:
      return (v) => String(v);
    case T.float4.oid:
    case T.float8.oid:
      return floatWriter(type);
    case T.numeric.oid:
      return (v) => string(formatNumeric(v as Decimal));
    case T.text.oid:
    case T.varchar.oid:
    case T.bpchar.oid:
    case T.name.oid:
      return (v) => string(v as string);
    case T.bytea.oid:
      return (v) => string(formatBytea(v as Uint8Array));
    case T.date.oid:
      return (v) => string(formatDate(v as number));
    case T.timestamp.oid:
      return (v) => string(formatIsoTimestamp(v as number, false));
    case T.timestamptz.oid:
      return (v) => string(formatIsoTimestamp(v as number, true));
    case T.interval.oid:
      return (v) => string(formatInterval(v as Interval));
    case T.jsonb.oid:
      return (v) => formatJsonb((v as Json).value);
    case T.json.oid:
      return (v) => formatJsonValue(v as Json);
    default:
      return (v) => string(formatValue(type, v));
  }
}

/** The row's JSON object text. */
export function jsonObjectEncoder(columns: EncodedColumn[]): (row: Row) => string {
  const fields = columns.map((c, i) => ({ prefix: `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`, index: c.index, write: jsonWriter(c.type) }));
  if (fields.length === 0) return () => '{}';
  return (row) => {
    let out = '';
    for (const { prefix, index, write } of fields) {
      const value = row[index] ?? null;
      out += prefix + (value === null ? 'null' : write(value));
    }
    return out + '}';
  };
}
