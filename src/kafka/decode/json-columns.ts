/**
 * JSON (col type, ...) [MAPPING ('field' = col, ...)]: columns read from the fields of one JSON
 * object per message. Which field feeds a column is the planner's decision, given here as a path:
 * an unquoted column name matches its field regardless of case, a quoted one or a MAPPING entry
 * exactly, and a MAPPING field may be a dotted path into nested objects.
 */
import { Decimal } from 'decimal.js';
import type { TextIoSettings } from '../../types/text-io.js';
import type { Value } from '../../types/types.js';
import { describeColumn, nullWhenAbsent, type DecodedColumn, type Decoder } from './column.js';
import { DecodeError } from './decode-error.js';
import { jsonFieldValue } from './json-field-value.js';
import { parseJsonMessage } from './json-message.js';

export interface JsonFieldColumn extends DecodedColumn {
  /** Field names from the document's top level down: ['price'], or ['quote', 'price']. */
  path: string[];
  /** False for unquoted column names, which match their field in any case. */
  exactCase: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  // Exact numbers are Decimal objects in parsed JSON; they are values, not objects with fields.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Decimal);
}

/** A field of an object: the exact name first, else (when allowed) the one name equal ignoring case. */
function field(object: Record<string, unknown>, name: string, lowerName: string | undefined): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  if (lowerName === undefined) return undefined;
  const matches = Object.keys(object).filter((key) => key.toLowerCase() === lowerName);
  if (matches.length > 1) {
    throw new DecodeError(`fields ${matches.map((m) => `"${m}"`).join(' and ')} both match "${name}" ignoring case`);
  }
  return matches.length === 1 ? object[matches[0]!] : undefined;
}

export function jsonColumnsDecoder(columns: JsonFieldColumn[], settings?: TextIoSettings): Decoder {
  const readers = columns.map((column) => {
    const steps = column.path.map((name) => ({ name, lower: column.exactCase ? undefined : name.toLowerCase() }));
    const context = `${describeColumn(column)} from field "${column.path.join('.')}"`;
    return (document: Record<string, unknown>): Value => {
      try {
        let value: unknown = document;
        for (const step of steps) {
          // A missing field anywhere along the path is a NULL column, as `doc #> path` gives.
          if (!isObject(value)) return null;
          value = field(value, step.name, step.lower);
        }
        return jsonFieldValue(column, value, settings);
      } catch (error) {
        throw DecodeError.wrap(context, error);
      }
    };
  });
  return nullWhenAbsent(columns.length, (bytes) => {
    const document = parseJsonMessage(bytes);
    if (!isObject(document)) {
      throw new DecodeError(`expected a JSON object, got ${Array.isArray(document) ? 'an array' : 'a scalar'}`);
    }
    return readers.map((read) => read(document));
  });
}
