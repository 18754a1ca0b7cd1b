/**
 * How Eddy has avsc build Avro types, so that decoded values already are SQL values (the
 * representation of src/types/types.ts):
 * - `long` reads as a bigint (int8), never as a JS number that would lose digits past 2^53;
 * - the logical types read as their SQL type: decimal → numeric, date → date,
 *   time-millis/micros → interval (the time since midnight: PostgreSQL's `time` is not among
 *   Eddy's types, and an interval adds to a date or timestamp), timestamp-millis/micros →
 *   timestamptz, local-timestamp-millis/micros → timestamp. uuid stays its string (text);
 *   unknown logical types read as their underlying type, as the Avro spec asks;
 * - unions are always wrapped ({branch: value}), so a reader can tell which branch a value took
 *   (a union of several record types, or of int and long, is ambiguous unwrapped).
 */
import avro from 'avsc';
import { Decimal } from 'decimal.js';
import { formatDate, formatInterval, formatIsoTimestamp } from '../../types/datetime-text.js';
import { checkDate, checkTimestamp } from '../../types/datetime.js';
import { applyNumericTypmod, formatNumeric, numericTypmod, withScale } from '../../types/numeric.js';
import { Interval, T, type SqlType, type Value } from '../../types/types.js';

export type AvroType = avro.Type;

// ---- long as bigint -----------------------------------------------------------------------------

const BigIntLong = avro.types.LongType.__with({
  // avsc hands over the long's 8 bytes, little-endian two's complement.
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  // Defaults in schemas and promoted ints arrive as JS numbers.
  fromJSON: (n: number | bigint) => BigInt(n),
  toJSON: (n: bigint) => (Number.isSafeInteger(Number(n)) ? Number(n) : n.toString()),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
}) as unknown as AvroType;

// ---- logical types ------------------------------------------------------------------------------

/** The Avro type name, with Eddy's bigint long (avsc's 'abstract:long') as the long it is. */
function plainTypeName(type: AvroType): string {
  return type.typeName === 'abstract:long' ? 'long' : type.typeName;
}

/** A logical type whose values are SQL values of one SQL type. */
export abstract class SqlLogicalType extends avro.types.LogicalType {
  abstract readonly sqlType: SqlType;
  /** The SQL type's typmod (numeric(p,s)), -1 for none. */
  get typmod(): number {
    return -1;
  }

  /** A value of this type inside a jsonb document, as PostgreSQL's to_jsonb writes it. */
  abstract jsonOf(value: Value): unknown;

  /** A value written as another logical type of the same SQL type, as this one reads it. */
  protected adopt(value: Value): Value {
    return value;
  }

  /**
   * Schema evolution (avsc calls this when this type is the reader's): a writer with the same
   * SQL type already decoded to a SQL value; a writer of the plain underlying type (or an int
   * where this type is on a long) gives the underlying value to convert.
   */
  protected override _resolve(writer: AvroType): ((value: unknown) => unknown) | undefined {
    if (writer instanceof SqlLogicalType) {
      return writer.sqlType === this.sqlType ? (value) => this.adopt(value as Value) : undefined;
    }
    const underlying = this.underlyingType.typeName;
    const written = plainTypeName(writer);
    const promoted = written === 'int' && underlying === 'long';
    if (avro.Type.isType(writer, 'logical') || (written !== underlying && !promoted)) return undefined;
    this.underlyingType.createResolver(writer); // throws for a fixed of another size or name
    // A plain long arrives as Eddy's bigint; the logical types on long take JS numbers.
    return (value) => this._fromValue(typeof value === 'bigint' ? Number(value) : value);
  }
}

const MICROS_PER_MILLI = 1000;

class DateType extends SqlLogicalType {
  readonly sqlType = T.date;
  protected override _fromValue(days: number): number {
    return checkDate(days);
  }
  protected override _toValue(days: number): number {
    return days;
  }
  jsonOf(value: Value): unknown {
    return formatDate(value as number);
  }
}

/** time-millis (int) and time-micros (long): the time of day as an interval since midnight. */
class TimeType extends SqlLogicalType {
  readonly sqlType = T.interval;
  private readonly microsPerUnit: number;
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    this.microsPerUnit = (schema as { logicalType: string }).logicalType === 'time-millis' ? MICROS_PER_MILLI : 1;
  }
  protected override _fromValue(time: number): Interval {
    return new Interval(0, 0, time * this.microsPerUnit);
  }
  protected override _toValue(interval: Interval): number {
    return Math.floor(interval.micros / this.microsPerUnit);
  }
  jsonOf(value: Value): unknown {
    return formatInterval(value as Interval);
  }
}

/** timestamp-* (an instant: timestamptz) and local-timestamp-* (wall-clock: timestamp). */
class TimestampType extends SqlLogicalType {
  readonly sqlType: SqlType;
  private readonly microsPerUnit: number;
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const name = (schema as { logicalType: string }).logicalType;
    this.sqlType = name.startsWith('local-') ? T.timestamp : T.timestamptz;
    this.microsPerUnit = name.endsWith('-millis') ? MICROS_PER_MILLI : 1;
  }
  protected override _fromValue(time: number): number {
    return checkTimestamp(time * this.microsPerUnit);
  }
  protected override _toValue(micros: number): number {
    return Math.floor(micros / this.microsPerUnit);
  }
  jsonOf(value: Value): unknown {
    return formatIsoTimestamp(value as number, this.sqlType === T.timestamptz);
  }
}

/** decimal on bytes or fixed: the unscaled integer in big-endian two's complement. */
class DecimalType extends SqlLogicalType {
  readonly sqlType = T.numeric;
  private readonly precision: number;
  private readonly scale: number;
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const { precision, scale = 0 } = schema as { precision?: unknown; scale?: unknown };
    // An invalid decimal is read as its underlying type (avsc falls back when this throws).
    if (!Number.isInteger(precision) || (precision as number) < 1) throw new Error('decimal needs a positive precision');
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) {
      throw new Error('decimal scale must be between 0 and the precision');
    }
    this.precision = precision as number;
    this.scale = scale as number;
  }
  override get typmod(): number {
    // numeric's typmod holds at most 1000 digits; a wider decimal is plain numeric.
    return this.precision <= 1000 ? numericTypmod(this.precision, this.scale) : -1;
  }
  protected override _fromValue(bytes: Buffer): Decimal {
    let unscaled = 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    if (bytes.length > 0 && bytes[0]! >= 0x80) unscaled -= 1n << BigInt(8 * bytes.length);
    return withScale(new Decimal(`${unscaled}e-${this.scale}`), this.scale);
  }
  protected override _toValue(value: Decimal): Buffer {
    let unscaled = BigInt(value.times(new Decimal(10).pow(this.scale)).toFixed(0));
    const size = this.underlyingType.typeName === 'fixed' ? (this.underlyingType as avro.types.FixedType).size : undefined;
    const bytes: number[] = [];
    // Big-endian two's complement, as short as the sign allows (bytes) or exactly `size` (fixed).
    do {
      bytes.unshift(Number(unscaled & 0xffn));
      unscaled >>= 8n;
    } while (size === undefined ? !((unscaled === 0n && bytes[0]! < 0x80) || (unscaled === -1n && bytes[0]! >= 0x80)) : bytes.length < size);
    return Buffer.from(bytes);
  }
  protected override adopt(value: Value): Value {
    return withScale(applyNumericTypmod(value as Decimal, this.typmod), this.scale);
  }
  jsonOf(value: Value): unknown {
    // A JSON number with the decimal's digits (exact numbers are Decimals in Eddy's documents).
    return new Decimal(formatNumeric(value as Decimal));
  }
}

const LOGICAL_TYPES: Record<string, new (schema: avro.Schema, opts?: unknown) => SqlLogicalType> = {
  date: DateType,
  'time-millis': TimeType,
  'time-micros': TimeType,
  'timestamp-millis': TimestampType,
  'timestamp-micros': TimestampType,
  'local-timestamp-millis': TimestampType,
  'local-timestamp-micros': TimestampType,
  decimal: DecimalType,
};

/** A long that none of Eddy's logical types claims (plain, or an unknown logical type). */
function isPlainLong(schema: unknown): boolean {
  if (schema === 'long') return true;
  if (typeof schema !== 'object' || schema === null || (schema as { type?: unknown }).type !== 'long') return false;
  const logicalType = (schema as { logicalType?: unknown }).logicalType;
  return typeof logicalType !== 'string' || !Object.hasOwn(LOGICAL_TYPES, logicalType);
}

/**
 * avsc's forSchema options for the schemas Eddy writes (sinks, src/kafka/encode/avro.ts): the
 * same logical types, which take SQL values, but a union with null takes the value or null
 * itself (the only unions a sink's schema has).
 */
export const AVRO_WRITE_OPTIONS: Partial<avro.ForSchemaOptions> = {
  wrapUnions: 'auto',
  logicalTypes: LOGICAL_TYPES,
  typeHook: (schema) => (isPlainLong(schema) ? BigIntLong : undefined),
};

/** avsc's forSchema options for every schema Eddy reads (given to the registry client). */
export const AVRO_TYPE_OPTIONS: Partial<avro.ForSchemaOptions> = {
  wrapUnions: 'always',
  logicalTypes: LOGICAL_TYPES,
  typeHook: (schema) => (isPlainLong(schema) ? BigIntLong : undefined),
};
