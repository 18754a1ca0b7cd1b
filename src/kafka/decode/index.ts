/**
 * Message decoders for Kafka sources: one per KEY FORMAT / VALUE FORMAT of SQL.md's "Sources"
 * table (Avro, which needs the schema registry, lives apart). The planner turns the DDL into a
 * MessageFormat; createDecoder turns that into a pure function from message bytes to values.
 */
import type { TextIoSettings } from '../../types/text-io.js';
import { binaryNumberDecoder, type BinaryNumberFormat } from './binary-number.js';
import { bytesDecoder } from './bytes.js';
import type { DecodedColumn, Decoder } from './column.js';
import { jsonColumnsDecoder, type JsonFieldColumn } from './json-columns.js';
import { jsonDocumentDecoder } from './json-document.js';
import { textDecoder } from './text.js';

export type { DecodedColumn, Decoder } from './column.js';
export { DecodeError } from './decode-error.js';
export type { BinaryNumberFormat } from './binary-number.js';
export type { JsonFieldColumn } from './json-columns.js';

export type MessageFormat =
  /** IGNORE: no columns, the bytes are not read. */
  | { kind: 'ignore' }
  /** TEXT AS col [type]: a text column, or any type read with its text input. */
  | { kind: 'text'; column: DecodedColumn }
  /** BYTES AS col: a bytea column. */
  | { kind: 'bytes' }
  /** SMALLINT | INT | BIGINT | REAL | DOUBLE AS col. */
  | { kind: 'binary-number'; format: BinaryNumberFormat }
  /** JSON (col type, ...) [MAPPING (...)]. */
  | { kind: 'json-columns'; columns: JsonFieldColumn[] }
  /** JSON AS col: one jsonb column. */
  | { kind: 'json-document' };

/** `settings.timeZone` is the zone for timestamptz text without an offset (default UTC). */
export function createDecoder(format: MessageFormat, settings?: TextIoSettings): Decoder {
  switch (format.kind) {
    case 'ignore':
      return () => [];
    case 'text':
      return textDecoder(format.column, settings);
    case 'bytes':
      return bytesDecoder();
    case 'binary-number':
      return binaryNumberDecoder(format.format);
    case 'json-columns':
      return jsonColumnsDecoder(format.columns, settings);
    case 'json-document':
      return jsonDocumentDecoder();
  }
}
