/**
 * A Kafka message as a row of its source: the metadata columns INCLUDE asks for, then the key's
 * columns, then the value's. Metadata comes first because that is the order of Deephaven's Kafka
 * tables that the seed describes (KafkaPartition, KafkaOffset, KafkaTimestamp, KafkaKey,
 * KafkaValue), so `SELECT *` reads the same as there.
 */
import type { KafkaMessage } from 'kafkajs';
import type { Row } from '../engine/batch.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import { Json, T, type SqlType, type Value } from '../types/types.js';
import type { Decoder } from './decode/index.js';
import type { MetadataColumnSpec, MetadataKind } from './source-spec.js';

const METADATA_TYPES: Record<MetadataKind, SqlType> = {
  partition: T.int4,
  offset: T.int8,
  timestamp: T.timestamptz,
  key: T.bytea,
  headers: T.jsonb,
};

/** Why one message could not become a row: which part, and the decoder's error. */
export class MessagePartError {
  constructor(
    readonly part: 'key' | 'value',
    readonly raw: Uint8Array | null,
    readonly error: unknown,
  ) {}
}

/** The source's columns: metadata, key, value. */
export function sourceColumns(include: MetadataColumnSpec[], keyColumns: RelationColumn[], valueColumns: RelationColumn[]): RelationColumn[] {
  return [...include.map((m) => ({ name: m.column, type: METADATA_TYPES[m.meta], typmod: -1 })), ...keyColumns, ...valueColumns];
}

/** Headers as one jsonb object: name → UTF-8 text, or an array of them when a name repeats. */
function headersJson(headers: KafkaMessage['headers']): Json {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const text = (v: Buffer | string) => (typeof v === 'string' ? v : v.toString('utf8'));
    out[name] = Array.isArray(value) ? value.map(text) : text(value);
  }
  return new Json(out);
}

function metadataReader(meta: MetadataKind): (partition: number, offset: bigint, message: KafkaMessage) => Value {
  switch (meta) {
    case 'partition':
      return (partition) => partition;
    case 'offset':
      return (_p, offset) => offset;
    case 'timestamp':
      return (_p, _o, message) => Number(message.timestamp) * 1000;
    case 'key':
      return (_p, _o, message) => message.key;
    case 'headers':
      return (_p, _o, message) => headersJson(message.headers);
  }
}

export type RowAssembler = (partition: number, offset: bigint, message: KafkaMessage) => Row;

/** Builds rows from messages; throws MessagePartError when the key or value does not decode. */
export function rowAssembler(include: MetadataColumnSpec[], decodeKey: Decoder | null, decodeValue: Decoder | null): RowAssembler {
  const readers = include.map((m) => metadataReader(m.meta));
  return (partition, offset, message) => {
    const row: Row = readers.map((read) => read(partition, offset, message));
    if (decodeKey) appendDecoded(row, 'key', message.key, decodeKey);
    if (decodeValue) appendDecoded(row, 'value', message.value, decodeValue);
    return row;
  };
}

/** Appends one part's decoded columns to the row, naming the part when it does not decode. */
function appendDecoded(row: Row, part: MessagePartError['part'], raw: Uint8Array | null, decode: Decoder): void {
  let values: Value[];
  try {
    values = decode(raw);
  } catch (error) {
    throw new MessagePartError(part, raw, error);
  }
  for (const v of values) row.push(v);
}
