/**
 * The columns of an AVRO format: one per field of the reader's record schema, named as if the
 * field name were an unquoted identifier (folded to lower case), in the schema's order.
 * MAPPING ('field' = col, ...) names some of them exactly and may add columns read from nested
 * fields ('quote.price', appended after the record's fields); MAPPING ONLY keeps just the mapped
 * columns, in the mapping's order. A schema that is not a record (a plain string key) gives one
 * column, kafkakey or kafkavalue, like the TEXT format's default.
 */
import type avro from 'avsc';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Value } from '../../types/types.js';
import type { AvroFieldMapping, AvroFormatSpec } from '../source-spec.js';
import type { AvroType } from './avro-types.js';
import { avroReading } from './avro-values.js';
import type { DecodedColumn } from './column.js';

export interface AvroColumn extends DecodedColumn {
  /** The column's value in a decoded (reader-schema) message. */
  read: (message: unknown) => Value;
}

type Step = (value: unknown) => unknown;

function isRecord(type: AvroType): type is avro.types.RecordType & AvroType {
  return type.typeName === 'record' || type.typeName === 'error';
}

/** A record, or a union of null and a record (whose value is wrapped under its branch name). */
function recordOf(type: AvroType): { record: avro.types.RecordType; unwrap: Step } | undefined {
  if (isRecord(type)) return { record: type, unwrap: (v) => v };
  if (type.typeName !== 'union:wrapped') return undefined;
  const types = (type as avro.types.WrappedUnionType).types as AvroType[];
  const record = types.find(isRecord);
  if (types.length !== 2 || record === undefined || !types.some((t) => t.typeName === 'null')) return undefined;
  const branch = record.branchName!;
  return { record, unwrap: (v) => (v === null ? null : (v as Record<string, unknown>)[branch]) };
}

function fieldNames(record: avro.types.RecordType): string {
  return record.fields.map((f) => f.name).join(', ');
}

/** The column for a field path ('price', 'quote.price'), or a 42703 that lists the fields there. */
function mappedColumn(top: avro.types.RecordType, mapping: AvroFieldMapping, describe: string): AvroColumn {
  const steps: Step[] = [];
  let record: avro.types.RecordType | undefined = top;
  let type: AvroType | undefined;
  const path = mapping.field.split('.');
  path.forEach((name, i) => {
    const where = i === 0 ? describe : `record "${path.slice(0, i).join('.')}" of ${describe}`;
    if (record === undefined) {
      throw new SqlError(SQLSTATE.undefinedColumn, `Avro field "${path.slice(0, i).join('.')}" of ${describe} is not a record, so it has no field "${name}"`);
    }
    const field = record.field(name);
    if (field === undefined) {
      throw new SqlError(SQLSTATE.undefinedColumn, `Avro field "${name}" does not exist in ${where}`, {
        hint: `Its fields are: ${fieldNames(record)}. MAPPING names fields exactly, in their case.`,
      });
    }
    type = field.type as AvroType;
    const nested = recordOf(type);
    steps.push((v) => (v === null ? null : (v as Record<string, unknown>)[name]));
    if (nested !== undefined && i < path.length - 1) steps.push(nested.unwrap);
    record = nested?.record;
  });
  const reading = avroReading(type!);
  return {
    name: mapping.column,
    type: reading.type,
    typmod: reading.typmod,
    read: (message) => reading.read(steps.reduce<unknown>((v, step) => step(v), message)),
  };
}

function refuseDuplicates<T>(items: T[], key: (item: T) => string, error: (key: string) => SqlError): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw error(k);
    seen.add(k);
  }
}

/**
 * The columns of `spec` over the reader schema `reader`; `describe` names the schema in errors
 * ('subject "orders-value" version 2').
 */
export function avroColumns(reader: AvroType, spec: AvroFormatSpec, role: 'key' | 'value', describe: string): AvroColumn[] {
  if (!isRecord(reader)) {
    if (spec.mapping.length > 0) {
      throw new SqlError(SQLSTATE.datatypeMismatch, `MAPPING needs a record schema, and ${describe} is ${reader.typeName}`);
    }
    const reading = avroReading(reader);
    return [{ name: `kafka${role}`, type: reading.type, typmod: reading.typmod, read: reading.read }];
  }
  refuseDuplicates(spec.mapping, (m) => m.field, (field) => new SqlError(SQLSTATE.duplicateColumn, `Avro field "${field}" is mapped more than once`));
  const mapped = spec.mapping.map((m) => mappedColumn(reader, m, describe));
  let columns: AvroColumn[];
  if (spec.mappingOnly) {
    columns = mapped;
  } else {
    const renamed = new Map(spec.mapping.map((m, i) => [m.field, mapped[i]!]));
    const nested = mapped.filter((_, i) => spec.mapping[i]!.field.includes('.'));
    const fields = reader.fields.map(
      (field) => renamed.get(field.name) ?? mappedColumn(reader, { field: field.name, column: field.name.toLowerCase() }, describe),
    );
    columns = [...fields, ...nested];
  }
  refuseDuplicates(columns, (c) => c.name, (name) =>
    new SqlError(SQLSTATE.duplicateColumn, `column "${name}" specified more than once: Avro fields of ${describe} fold to the same name`, {
      hint: `Name one of them with MAPPING ('Field' = other_name).`,
    }),
  );
  return columns;
}
