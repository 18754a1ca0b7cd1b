/**
 * The typed form of `CREATE SOURCE`: what src/sql/grammar/create-source.ts produces from the
 * statement's text and what the runtimes (the Kafka consumer in src/kafka/kafka-source.ts, the
 * timer in src/kafka/time-table.ts) and the Avro decoder (src/kafka/decode/avro.ts) start from.
 * Names are already folded as SQL folds identifiers; types are already resolved.
 */
import type { Row } from '../engine/batch.js';
import type { TableType } from '../planner/catalog-api.js';
import type { Interval } from '../types/types.js';
import type { DecodedColumn, Decoder, MessageFormat } from './decode/index.js';

export type SourceSpec = KafkaSourceSpec | TimeTableSourceSpec;

interface SourceSpecBase {
  /** The source's name, folded. */
  name: string;
  /** Offset of the name in the statement text (0-based), for 42P07 positions. */
  nameLocation: number;
  ifNotExists: boolean;
  tableType: TableType;
}

// ---------------------------------------------------------------------------------------------
// Kafka

export interface KafkaSourceSpec extends SourceSpecBase {
  kind: 'kafka';
  connection: KafkaConnectionSpec;
  /** KEY FORMAT; default TEXT AS kafkakey. */
  key: FormatSpec;
  /** VALUE FORMAT; default TEXT AS kafkavalue. */
  value: FormatSpec;
  /** INCLUDE, in the order written; default partition, offset, timestamp. Empty for INCLUDE NONE. */
  include: MetadataColumnSpec[];
  /** WITH (ON ERROR = ...): skip (default) records bad messages in eddy_source_errors, fail stops. */
  onError: 'skip' | 'fail';
}

export interface KafkaConnectionSpec {
  /** BROKER 'h:p,h:p' split on commas. */
  brokers: string[];
  topic: string;
  /** PARTITIONS (...); null means every partition of the topic. */
  partitions: number[] | null;
  /** START OFFSET; default latest. */
  startOffset: StartOffsetSpec;
  /** GROUP ID; default `eddy-<source name>`. */
  groupId: string;
  /** SCHEMA REGISTRY 'url', or null. */
  schemaRegistry: string | null;
  /** The quoted 'client.property' = 'value' pairs, in the order written. */
  properties: { name: string; value: string }[];
}

export type StartOffsetSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  /** The group's committed offsets, LATEST where it has none. */
  | { kind: 'committed' }
  /** (p = o, ...): each named partition at that offset. */
  | { kind: 'offsets'; offsets: PartitionOffset[] };

export interface PartitionOffset {
  partition: number;
  offset: bigint;
}

/** A KEY FORMAT or VALUE FORMAT. */
export type FormatSpec =
  /** Everything but Avro: the decoder in src/kafka/decode and the columns it produces. */
  | { kind: 'builtin'; format: MessageFormat; columns: DecodedColumn[] }
  | AvroFormatSpec;

/** AVRO [SUBJECT 's'] [VERSION n] [MAPPING (...) | MAPPING ONLY (...)]. */
export interface AvroFormatSpec {
  kind: 'avro';
  /** SUBJECT; null means `<topic>-key` / `<topic>-value`. */
  subject: string | null;
  /** VERSION; null means the latest version. */
  version: number | null;
  /** MAPPING entries, in the order written (empty without MAPPING). */
  mapping: AvroFieldMapping[];
  /** MAPPING ONLY: keep just the mapped fields. */
  mappingOnly: boolean;
}

export interface AvroFieldMapping {
  /** The Avro field name, exactly as quoted ('price'); may be a dotted path into nested records. */
  field: string;
  /** The column name, folded as SQL folds identifiers. */
  column: string;
}

/**
 * The contract of src/kafka/decode/avro.ts: `createAvroDecoder(spec, context)` fetches the reader
 * schema (subject at version) from the registry, fails within seconds with a SqlError naming the
 * registry when it cannot be reached, and resolves to the columns (one per record field, unmapped
 * field names folded to lower case) and a decoder.
 */
export interface AvroDecoderContext {
  registryUrl: string;
  /** The subject to read the reader schema from (the default already applied). */
  subject: string;
  role: 'key' | 'value';
}

export interface PreparedDecoder {
  columns: DecodedColumn[];
  /**
   * Called with every fetched batch's payloads before any of them is decoded, so that writer
   * schemas not seen yet can be fetched once, asynchronously, and `decode` stays synchronous.
   * Should not reject for bad payloads (decode throws DecodeError for those); a rejection means
   * the registry is unreachable and the batch is retried.
   */
  prepare?(payloads: (Uint8Array | null)[]): Promise<void>;
  /** bytes | null → one value per column; throws DecodeError for a bad message. */
  decode: Decoder;
}

export type CreateAvroDecoder = (spec: AvroFormatSpec, context: AvroDecoderContext) => Promise<PreparedDecoder>;

/** INCLUDE items: which metadata, under which (folded) column name. */
export type MetadataKind = 'partition' | 'offset' | 'timestamp' | 'key' | 'headers';

export interface MetadataColumnSpec {
  meta: MetadataKind;
  column: string;
}

// ---------------------------------------------------------------------------------------------
// Time table

/** FROM TIME TABLE (PERIOD 'interval' [, START TIME 'timestamptz']); default table type APPEND. */
export interface TimeTableSourceSpec extends SourceSpecBase {
  kind: 'time-table';
  /** PERIOD, parsed with interval's text input; positive. */
  period: Interval;
  /** START TIME in microseconds since the epoch (timestamptz's value), or null for "now". */
  startTime: number | null;
}

/**
 * The contract of src/kafka/time-table.ts: `startTimeTable(spec, push)` starts the timer and
 * calls `push` with the rows (timestamp timestamptz, tick bigint) that became due; its columns
 * are named `timestamp` and `tick`. It returns what the database keeps as the source's runtime
 * (SourceRuntime in src/sql/database.ts: status() and stop()).
 */
export type TimeTablePush = (rows: Row[]) => void;
