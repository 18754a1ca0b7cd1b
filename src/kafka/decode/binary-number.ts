/**
 * SMALLINT, INT, BIGINT, REAL, DOUBLE [AS col]: the fixed-size big-endian encodings of Kafka's
 * ShortSerializer, IntegerSerializer, LongSerializer, FloatSerializer and DoubleSerializer.
 */
import type { Value } from '../../types/types.js';
import { nullWhenAbsent, type Decoder } from './column.js';
import { DecodeError, INVALID_BINARY_REPRESENTATION } from './decode-error.js';

export type BinaryNumberFormat = 'SMALLINT' | 'INT' | 'BIGINT' | 'REAL' | 'DOUBLE';

const LAYOUTS: Record<BinaryNumberFormat, { size: number; read: (view: DataView) => Value }> = {
  SMALLINT: { size: 2, read: (view) => view.getInt16(0) },
  INT: { size: 4, read: (view) => view.getInt32(0) },
  BIGINT: { size: 8, read: (view) => view.getBigInt64(0) },
  REAL: { size: 4, read: (view) => view.getFloat32(0) },
  DOUBLE: { size: 8, read: (view) => view.getFloat64(0) },
};

export function binaryNumberDecoder(format: BinaryNumberFormat): Decoder {
  const { size, read } = LAYOUTS[format];
  return nullWhenAbsent(1, (bytes) => {
    if (bytes.length !== size) {
      throw new DecodeError(
        `a ${format} message must be ${size} bytes, this one is ${bytes.length}`,
        INVALID_BINARY_REPRESENTATION,
      );
    }
    // DataView reads big-endian by default, as Kafka's serializers write.
    return [read(new DataView(bytes.buffer, bytes.byteOffset, size))];
  });
}
