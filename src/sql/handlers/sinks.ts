/**
 * CREATE SINK: a relation or a query written to a Kafka topic (src/kafka/kafka-sink.ts). At
 * CREATE the formats are checked against the input's columns (42703, 42804), the envelope
 * against its table type (APPEND over rows that can be retracted is refused, naming UPSERT),
 * Avro schemas are registered and the broker is reached (creating the topic), each failing
 * within seconds when unreachable. The catalog stores the statement with the transactional.id
 * chosen here, which is the sink's identity in Kafka across restarts. During the replay at start
 * nothing is probed; the sink follows its input at once and writes once the database is caught up.
 */
import { randomBytes } from 'node:crypto';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Row } from '../../engine/batch.js';
import { followChanges } from '../../engine/change-feed.js';
import type { TableType } from '../../planner/catalog-api.js';
import { ensureTopics, mapClientProperties } from '../../kafka/kafka-client.js';
import { jsonObjectEncoder, prepareSinkFormat, resolveColumns, type EncodeError } from '../../kafka/encode/index.js';
import { KafkaSinkRuntime } from '../../kafka/kafka-sink.js';
import { AppendState, DebeziumState, UpsertState, debeziumValue, type EnvelopeState, type SinkCodec } from '../../kafka/sink-envelopes.js';
import type { KafkaSinkSpec, SinkFormatSpec } from '../../kafka/sink-spec.js';
import { rewriteTransactionalId, type CreateSinkStatement } from '../grammar/create-sink.js';
import { commandResult, simplePrepared, type Handler } from '../prepared.js';
import { followRelation, maintainQuery, type FollowedRelation } from '../query.js';
import { referencedRelations } from '../ast-walk.js';
import type { Session } from '../session.js';
import { untilReachable } from './sources.js';

export const createSink: Handler = (session, statement) => {
  const parsed = statement.ast.EddyCreateSink as CreateSinkStatement;
  return simplePrepared(statement, null, async () => {
    const { spec } = parsed;
    const db = session.db;
    if (db.nameTaken(spec.name)) {
      if (!spec.ifNotExists) db.checkNameFree(spec.name, spec.nameLocation);
      session.notice('NOTICE', SQLSTATE.duplicateTable, `sink "${spec.name}" already exists, skipping`);
      return commandResult('CREATE SINK');
    }
    mapClientProperties(spec.connection.properties); // refuse unsupported properties before connecting
    const input = followInput(session, spec);
    try {
      checkEnvelope(spec, input.tableType);
      const ctx = { statementOffset: statement.offset, topic: spec.connection.topic, registryUrl: spec.connection.schemaRegistry };
      const prepare = () =>
        Promise.all([prepareSinkFormat(spec.key, input.columns, { ...ctx, role: 'key' }), prepareSinkFormat(spec.value, input.columns, { ...ctx, role: 'value' })]);
      const [key, value] = db.replaying ? await untilReachable(prepare, db.log, `sink ${spec.name}`) : await prepare();
      let sql = statement.sql;
      let transactionalId = spec.connection.transactionalId;
      if (!db.replaying) {
        const { connection } = spec;
        await ensureTopics({ brokers: connection.brokers, properties: connection.properties }, [
          { topic: connection.topic, partitions: connection.partitions, replicationFactor: connection.replicationFactor },
        ]);
        if (transactionalId === null) {
          transactionalId = `eddy-sink-${spec.name}-${randomBytes(6).toString('hex')}`;
          sql = rewriteTransactionalId(sql, parsed.transactionalIdInsertAt, transactionalId);
        }
      }
      if (transactionalId === null) throw new SqlError(SQLSTATE.internalError, `stored sink ${spec.name} has no transactional.id`);
      // The probe awaited: another session may have taken the name meanwhile.
      db.checkNameFree(spec.name, spec.nameLocation);

      const rowText = jsonObjectEncoder(resolveColumns(null, input.columns, { statementOffset: 0, role: 'value' }));
      const json = spec.value.kind === 'json' ? jsonObjectEncoder(resolveColumns(spec.value.columns, input.columns, { statementOffset: 0, role: 'value' })) : rowText;
      const codec: SinkCodec = {
        key: key.encode,
        value: value.encode,
        json,
        reject: (row: Row, error: EncodeError) => db.sinks.errors.record([{ sink: spec.name, row: rowText(row), error: error.message }]),
      };
      const runtime = new KafkaSinkRuntime({ spec, transactionalId, state: envelopeState(spec, codec, input.tableType), log: db.log });
      const detach = followChanges(db.dataflow, input.node, runtime.listener, { snapshot: true, unconsolidatedSnapshot: true });
      db.sinks.add(
        {
          id: db.newObjectId(spec.name),
          name: spec.name,
          sql,
          input: spec.from.kind === 'relation' ? spec.from.name : `(${spec.from.text.trim()})`,
          dependsOn: spec.from.kind === 'relation' ? [spec.from.name] : referencedRelations(spec.from.query),
          keyFormat: describeFormat(spec.key),
          valueFormat: describeFormat(spec.value),
          envelope: spec.envelope.toUpperCase(),
          runtime,
          dispose: () => {
            detach();
            input.dispose();
          },
        },
        db.replaying,
      );
      if (!db.replaying) runtime.start();
    } catch (err) {
      input.dispose();
      throw err;
    }
    return commandResult('CREATE SINK');
  });
};

function followInput(session: Session, spec: KafkaSinkSpec): FollowedRelation {
  if (spec.from.kind === 'query') return maintainQuery(session, spec.from.query);
  const rel = session.db.get(spec.from.name, spec.from.location);
  if (rel.kind === 'system') throw new SqlError(SQLSTATE.featureNotSupported, `${rel.name} is a system relation and cannot be sunk`);
  return followRelation(session, null, spec.from.name, spec.from.location);
}

/** Inputs whose removals are not changes: rows only ever added, or a stream's rows expiring. */
function neverRetracts(tableType: TableType): boolean {
  return tableType === 'append' || tableType === 'stream';
}

function checkEnvelope(spec: KafkaSinkSpec, tableType: TableType): void {
  if (spec.envelope === 'append' && !neverRetracts(tableType)) {
    const what = typeof tableType === 'object' ? `a RING ${tableType.ring}` : 'a relation whose rows can be updated and deleted';
    throw new SqlError(SQLSTATE.featureNotSupported, `ENVELOPE APPEND cannot write ${what}: its input retracts rows`, {
      hint: 'Use ENVELOPE UPSERT (with a KEY FORMAT: the last row per key, a tombstone when it goes) or ENVELOPE DEBEZIUM, or sink an append-only relation.',
    });
  }
}

function envelopeState(spec: KafkaSinkSpec, codec: SinkCodec, tableType: TableType): EnvelopeState {
  switch (spec.envelope) {
    case 'append':
      return new AppendState(codec);
    case 'upsert':
      return new UpsertState(codec, !neverRetracts(tableType));
    case 'debezium':
      return neverRetracts(tableType) ? new AppendState(codec, (row) => debeziumValue(null, codec.json(row))) : new DebeziumState(codec);
  }
}

/** A format as eddy_sinks shows it: `JSON`, `JSON (a, b)`, `BIGINT (x)`, `AVRO SUBJECT 's'`. */
function describeFormat(format: SinkFormatSpec): string {
  const list = (columns: { name: string }[] | null) => (columns === null ? '' : ` (${columns.map((c) => c.name).join(', ')})`);
  switch (format.kind) {
    case 'ignore':
      return 'IGNORE';
    case 'json':
      return `JSON${list(format.columns)}`;
    case 'avro':
      return `AVRO${format.subject === null ? '' : ` SUBJECT '${format.subject}'`}${list(format.columns)}`;
    default:
      return `${format.kind.toUpperCase()} (${format.column.name})`;
  }
}

