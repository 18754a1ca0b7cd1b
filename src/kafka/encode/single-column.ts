/**
 * TEXT (col), BYTES (col), INT (col), BIGINT (col), DOUBLE (col): one column's value as the
 * bytes Kafka's Java serializers write (StringSerializer: UTF-8; ByteArraySerializer;
 * IntegerSerializer: 4 bytes big-endian; LongSerializer: 8; DoubleSerializer: IEEE 754, 8).
 * A NULL value is an absent key or value (a null message part). A column whose type the format
 * cannot hold exactly is refused at CREATE with 42804.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { formatValue } from '../../types/text-io.js';
import { T, type SqlType, type Value } from '../../types/types.js';
import type { Row } from '../../engine/batch.js';
import type { SingleColumnFormat } from '../sink-spec.js';
import type { EncodedColumn, FormatContext } from './columns.js';

const STRING_TYPES: readonly SqlType[] = [T.text, T.varchar, T.bpchar, T.name, T.char];

/** Which column types each binary format takes: the ones it holds without loss. */
const ACCEPTS: Record<Exclude<SingleColumnFormat, 'text'>, readonly SqlType[]> = {
  bytes: [T.bytea],
  int: [T.int2, T.int4],
  bigint: [T.int2, T.int4, T.int8],
  double: [T.int2, T.int4, T.float4, T.float8],
};

const WORDS: Record<SingleColumnFormat, string> = { text: 'TEXT', bytes: 'BYTES', int: 'INT', bigint: 'BIGINT', double: 'DOUBLE' };

function encodeWith(format: SingleColumnFormat, type: SqlType): (value: Value) => Buffer {
  switch (format) {
    case 'text':
      return STRING_TYPES.includes(type) ? (v) => Buffer.from(v as string, 'utf8') : (v) => Buffer.from(formatValue(type, v), 'utf8');
    case 'bytes':
      return (v) => Buffer.from(v as Uint8Array);
    case 'int':
      return (v) => {
        const buf = Buffer.allocUnsafe(4);
        buf.writeInt32BE(v as number);
        return buf;
      };
    case 'bigint':
      return (v) => {
        const buf = Buffer.allocUnsafe(8);
        buf.writeBigInt64BE(BigInt(v as number | bigint));
        return buf;
      };
    case 'double':
      return (v) => {
        const buf = Buffer.allocUnsafe(8);
        buf.writeDoubleBE(v as number);
        return buf;
      };
  }
}

export function singleColumnEncoder(format: SingleColumnFormat, column: EncodedColumn, location: number, ctx: FormatContext): (row: Row) => Buffer | null {
  if (format !== 'text' && !ACCEPTS[format].includes(column.type)) {
    throw new SqlError(SQLSTATE.datatypeMismatch, `${WORDS[format]} (${column.name}) cannot hold column "${column.name}" of type ${column.type.name}`, {
      position: ctx.statementOffset + location + 1,
      hint: `${WORDS[format]} takes ${ACCEPTS[format].map((t) => t.name).join(', ')}; cast the column in a query (FROM (SELECT ...)) or use TEXT or JSON.`,
    });
  }
  const encode = encodeWith(format, column.type);
  const { index } = column;
  return (row) => {
    const value = row[index] ?? null;
    return value === null ? null : encode(value);
  };
}
