/**
 * AVRO [SUBJECT 's'] [(col, ...)]: a record schema generated from the columns, registered with
 * the schema registry under the subject (default `<topic>-key` / `<topic>-value`), and each row
 * written in the Confluent wire format (magic byte 0, the schema id as 4 bytes big-endian, the
 * Avro binary encoding). Types map as Materialize's Avro sink format maps them: integers to int
 * and long, floats to float and double, numeric to the decimal logical type (numeric(p,s) as is;
 * unconstrained numeric as precision 39, scale 10), date to date, timestamps to
 * timestamp-micros, bytea to bytes, json and jsonb to strings (marked io.debezium.data.Json as
 * Materialize marks them), everything else to its text. A column that may be NULL is a union with
 * null. A value the schema cannot hold (a numeric with more digits than its decimal) makes the
 * row an EncodeError.
 */
import avro from 'avsc';
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { formatJsonb, formatJsonValue } from '../../types/json-text.js';
import { formatValue } from '../../types/text-io.js';
import { T, type Json, type SqlType, type Value } from '../../types/types.js';
import type { Row } from '../../engine/batch.js';
import { AVRO_WRITE_OPTIONS } from '../decode/avro-types.js';
import type { SchemaRegistryConnection } from '../registry.js';
import type { EncodedColumn } from './columns.js';
import { EncodeError } from './encode-error.js';

const UNCONSTRAINED_NUMERIC = { precision: 39, scale: 10 };
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface FieldPlan {
  schema: avro.Schema;
  /** The SQL value as the schema's type takes it (identity for most). */
  convert: (value: Value) => unknown;
}

function numericPlan(typmod: number): FieldPlan {
  const { precision, scale } = typmod >= 4 ? { precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff } : UNCONSTRAINED_NUMERIC;
  const limit = new Decimal(10).pow(precision - scale);
  return {
    schema: { type: 'bytes', logicalType: 'decimal', precision, scale },
    convert: (v) => {
      const d = v as Decimal;
      if (!d.isFinite()) throw new EncodeError(`numeric ${d.toString()} has no Avro decimal`);
      if (d.decimalPlaces() > scale || d.abs().gte(limit)) {
        throw new EncodeError(`numeric ${d.toString()} does not fit Avro decimal(${precision}, ${scale})`);
      }
      return d;
    },
  };
}

const same = (v: Value) => v;

function fieldPlan(type: SqlType, typmod: number): FieldPlan {
  switch (type.oid) {
    case T.bool.oid:
      return { schema: 'boolean', convert: same };
    case T.int2.oid:
    case T.int4.oid:
      return { schema: 'int', convert: same };
    case T.int8.oid:
      return { schema: 'long', convert: same };
    case T.float4.oid:
      return { schema: 'float', convert: same };
    case T.float8.oid:
      return { schema: 'double', convert: same };
    case T.numeric.oid:
      return numericPlan(typmod);
    case T.bytea.oid:
      return { schema: 'bytes', convert: (v) => Buffer.from(v as Uint8Array) };
    case T.date.oid:
      return { schema: { type: 'int', logicalType: 'date' }, convert: finiteTime('date') };
    case T.timestamp.oid:
    case T.timestamptz.oid:
      return { schema: { type: 'long', logicalType: 'timestamp-micros' }, convert: finiteTime(type.name) };
    case T.jsonb.oid:
      return { schema: { type: 'string', 'connect.name': 'io.debezium.data.Json' } as avro.Schema, convert: (v) => formatJsonb((v as Json).value) };
    case T.json.oid:
      return { schema: { type: 'string', 'connect.name': 'io.debezium.data.Json' } as avro.Schema, convert: (v) => formatJsonValue(v as Json) };
    case T.text.oid:
    case T.varchar.oid:
    case T.bpchar.oid:
    case T.name.oid:
      return { schema: 'string', convert: same };
    default:
      return { schema: 'string', convert: (v) => formatValue(type, v) };
  }
}

function finiteTime(what: string): (v: Value) => unknown {
  return (v) => {
    if (!Number.isFinite(v as number)) throw new EncodeError(`${what} ${(v as number) > 0 ? 'infinity' : '-infinity'} has no Avro value`);
    return v;
  };
}

/** The record schema for the columns: what gets registered, and how to fill it from a row. */
export function avroRecordPlan(columns: EncodedColumn[], role: 'key' | 'value'): { schema: avro.Schema; fill: (row: Row) => Record<string, unknown> } {
  const fields = columns.map((c) => {
    if (!AVRO_NAME.test(c.name)) {
      throw new SqlError(SQLSTATE.invalidName, `column "${c.name}" is not a valid Avro field name`, {
        hint: 'Avro field names are letters, digits and "_", not starting with a digit: rename it with AS in a query (FROM (SELECT ...)).',
      });
    }
    const plan = fieldPlan(c.type, c.typmod);
    const nullable = !c.notNull;
    return { name: c.name, index: c.index, nullable, convert: plan.convert, schema: nullable ? ['null', plan.schema] : plan.schema };
  });
  const schema = { type: 'record', name: role === 'key' ? 'row_key' : 'row', fields: fields.map((f) => ({ name: f.name, type: f.schema })) } as avro.Schema;
  return {
    schema,
    fill: (row) => {
      const record: Record<string, unknown> = {};
      for (const f of fields) {
        const value = row[f.index] ?? null;
        if (value === null) {
          if (!f.nullable) throw new EncodeError(`column "${f.name}" is NULL but its Avro field is not nullable`);
          record[f.name] = null;
        } else {
          record[f.name] = f.convert(value);
        }
      }
      return record;
    },
  };
}

/** Registers the columns' record schema under `subject` and returns the Confluent wire-format encoder. */
export async function avroEncoder(columns: EncodedColumn[], role: 'key' | 'value', registry: SchemaRegistryConnection, subject: string): Promise<{ encode: (row: Row) => Buffer; schemaId: number }> {
  const plan = avroRecordPlan(columns, role);
  // A copy: avsc keeps the named types it builds in the options object it is given.
  const type = avro.Type.forSchema(plan.schema, { ...AVRO_WRITE_OPTIONS });
  const schemaId = await registry.register(subject, JSON.stringify(plan.schema));
  const header = Buffer.alloc(5);
  header.writeUInt32BE(schemaId, 1);
  return {
    schemaId,
    encode: (row) => {
      const record = plan.fill(row);
      let body: Buffer;
      try {
        body = type.toBuffer(record);
      } catch (err) {
        throw new EncodeError(`the row does not fit its Avro schema: ${err instanceof Error ? err.message : String(err)}`);
      }
      return Buffer.concat([header, body]);
    },
  };
}
