/**
 * One JSON field as a value of a column's SQL type, following PostgreSQL's casts from jsonb where
 * it has them (a number into an integer column rounds half away from zero, as
 * `'1.5'::jsonb::int` does) and reading strings with the type's text input otherwise, since
 * Kafka producers often quote numbers and always quote dates.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { formatJsonb } from '../../types/json-text.js';
import { parseValue, type TextIoSettings } from '../../types/text-io.js';
import { Json, SqlArray, T, type SqlType, type Value } from '../../types/types.js';
import type { DecodedColumn } from './column.js';

const INTEGER_TYPES: ReadonlySet<number> = new Set([T.int2.oid, T.int4.oid, T.int8.oid]);
const INTEGER_RANGES = new Map<number, [number, number]>([
  [T.int2.oid, [-32768, 32767]],
  [T.int4.oid, [-2147483648, 2147483647]],
]);

/**
 * The common cases without a round trip through text. A parsed JSON number is a JS number only
 * when its literal is exactly that number's shortest form (else it is a Decimal), so this is
 * what the text route would give. Undefined when the text route must decide.
 */
function directNumber(column: DecodedColumn, value: number): Value | undefined {
  const oid = column.type.oid;
  if (oid === T.float8.oid) return value;
  if (!Number.isInteger(value)) return undefined;
  if (oid === T.int8.oid) return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  const range = INTEGER_RANGES.get(oid);
  return range && value >= range[0] && value <= range[1] ? value : undefined;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value instanceof Decimal) return 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function numberText(column: DecodedColumn, value: number | Decimal): string {
  const text = formatJsonb(value);
  if (!INTEGER_TYPES.has(column.type.oid)) return text;
  const exact = value instanceof Decimal ? value : new Decimal(value);
  return exact.isInteger() ? text : exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed();
}

/** A JSON array into an array column: each element as the element type reads it, JSON null a NULL element. */
function jsonArrayValue(column: DecodedColumn, element: SqlType, items: unknown[], settings?: TextIoSettings): SqlArray {
  const elementColumn = { ...column, type: element };
  return new SqlArray(
    items.map((item) => {
      if (Array.isArray(item)) throw new SqlError(SQLSTATE.featureNotSupported, `a nested JSON array cannot be read as ${column.type.name} (multidimensional arrays are not supported)`);
      return jsonFieldValue(elementColumn, item, settings);
    }),
  );
}

/**
 * The column's value for a field; `undefined` is a missing field. Throws SqlError when the
 * field's JSON cannot be that type.
 */
export function jsonFieldValue(column: DecodedColumn, value: unknown, settings?: TextIoSettings): Value {
  if (value === undefined) return null;
  const { type } = column;
  // A JSON null is still a document for json columns, as `doc -> 'field'` returns it.
  if (type.oid === T.jsonb.oid || type.oid === T.json.oid) return new Json(value);
  if (value === null) return null;
  if (typeof value === 'string') return parseValue(type, value, column.typmod, settings);
  if (type.element && Array.isArray(value)) return jsonArrayValue(column, type.element, value, settings);
  // Strings take any JSON as its text, as `doc ->> 'field'` does.
  if (type.category === 'S') return parseValue(type, formatJsonb(value), column.typmod, settings);
  const kind = jsonKind(value);
  if (kind === 'boolean' && type.oid === T.bool.oid) return value as boolean;
  if (kind === 'number' && type.category === 'N') {
    const direct = typeof value === 'number' ? directNumber(column, value) : undefined;
    return direct ?? parseValue(type, numberText(column, value as number | Decimal), column.typmod, settings);
  }
  throw new SqlError(SQLSTATE.invalidParameterValue, `a JSON ${kind} cannot be read as ${type.name}`);
}
