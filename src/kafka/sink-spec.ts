/**
 * The typed form of `CREATE SINK`: what src/sql/grammar/create-sink.ts produces from the
 * statement's text and what the encoders (src/kafka/encode) and the sink runtime
 * (src/kafka/kafka-sink.ts) start from. Names are already folded as SQL folds identifiers.
 */
import type { ClientProperty } from './kafka-client.js';

/** A column named in a sink format, with where it is written (for 42703 / 42804 positions). */
export interface SinkColumnRef {
  name: string;
  /** 0-based offset in the statement. */
  location: number;
}

/** The single-column formats and the binary numbers Kafka's Java serializers write. */
export type SingleColumnFormat = 'text' | 'bytes' | 'int' | 'bigint' | 'double';

/** A KEY FORMAT or VALUE FORMAT of a sink (SQL.md "Sinks"). */
export type SinkFormatSpec =
  | { kind: 'ignore' }
  /** TEXT (col), BYTES (col), INT (col) (4 bytes big-endian), BIGINT (col) (8), DOUBLE (col) (8). */
  | { kind: SingleColumnFormat; column: SinkColumnRef }
  /** JSON [(col, ...)]: an object with those columns; null means every column of the input. */
  | { kind: 'json'; columns: SinkColumnRef[] | null }
  /** AVRO [SUBJECT 's'] [(col, ...)]: a generated record schema, registered under the subject. */
  | { kind: 'avro'; subject: string | null; columns: SinkColumnRef[] | null };

export type SinkEnvelope = 'append' | 'upsert' | 'debezium';

/** Where the sink writes: INTO KAFKA (...). */
export interface KafkaSinkConnectionSpec {
  /** BROKER 'h:p,h:p' split on commas. */
  brokers: string[];
  topic: string;
  /** SCHEMA REGISTRY 'url', or null. */
  schemaRegistry: string | null;
  /** PARTITIONS n for a topic the sink creates; null: the broker's default (num.partitions). */
  partitions: number | null;
  /** REPLICATION FACTOR n for a topic the sink creates; null: the broker's default. */
  replicationFactor: number | null;
  /**
   * 'transactional.id': the sink's identity in Kafka (its producer's transactions, its progress
   * topic). Null as written by the user; CREATE chooses one and stores it in the statement.
   */
  transactionalId: string | null;
  /** Other quoted 'client.property' = 'value' pairs, in the order written. */
  properties: ClientProperty[];
}

export interface KafkaSinkSpec {
  /** The sink's name, folded. */
  name: string;
  /** Offset of the name in the statement text (0-based), for 42P07 positions. */
  nameLocation: number;
  ifNotExists: boolean;
  /** FROM relation, or FROM (query) with the query's parse tree (a SelectStmt) and its text. */
  from: { kind: 'relation'; name: string; location: number } | { kind: 'query'; query: unknown; text: string };
  connection: KafkaSinkConnectionSpec;
  /** KEY FORMAT; default IGNORE. */
  key: SinkFormatSpec;
  /** VALUE FORMAT; default JSON (every column). */
  value: SinkFormatSpec;
  /** ENVELOPE; default APPEND. */
  envelope: SinkEnvelope;
}
