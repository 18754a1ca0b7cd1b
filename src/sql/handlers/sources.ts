/**
 * CREATE SOURCE: a Kafka topic or a time table becomes a relation whose input node its runtime
 * feeds. At CREATE, a Kafka source's broker is probed (failing within seconds when unreachable)
 * and its START OFFSET resolved to one offset per partition; the catalog stores the statement
 * with those offsets written in (an Avro format's latest VERSION too, and a time table's START
 * TIME), so that the replay at start reads exactly the same messages, as the same columns. During
 * that replay nothing is probed: a broker that is down at start is retried in the background
 * instead of failing the server.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Row } from '../../engine/batch.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { T } from '../../types/types.js';
import { parseValue } from '../../types/text-io.js';
import { mapClientProperties, probeTopic } from '../../kafka/kafka-client.js';
import { KafkaSourceRuntime } from '../../kafka/kafka-source.js';
import { prepareFormat } from '../../kafka/format-decoders.js';
import { sourceColumns } from '../../kafka/message-rows.js';
import { resolveStartOffsets } from '../../kafka/start-offsets.js';
import { startTimeTable } from '../../kafka/time-table.js';
import type { KafkaSourceSpec, SourceSpec, TimeTableSourceSpec } from '../../kafka/source-spec.js';
import { rewriteAvroVersions, rewriteStartOffset, rewriteStartTime, type CreateSourceStatement } from '../grammar/create-source.js';
import { commandResult, simplePrepared, type Handler } from '../prepared.js';
import type { Statement } from '../parse.js';
import type { Session } from '../session.js';
import type { Database } from '../database.js';
import type { SourceRuntime } from '../../catalog/relation.js';
import type { InputNode } from '../../engine/dataflow.js';
import { skipExisting } from './ddl.js';

export const createSource: Handler = (session, statement) => {
  const parsed = statement.ast.EddyCreateSource as CreateSourceStatement;
  return simplePrepared(statement, null, async () => {
    const { spec } = parsed;
    if (skipExisting(session, spec.name, spec.ifNotExists, spec.nameLocation)) return commandResult('CREATE SOURCE');
    if (spec.kind === 'kafka') await createKafkaSource(session, statement, parsed, spec);
    else createTimeTableSource(session, statement, parsed, spec);
    return commandResult('CREATE SOURCE');
  });
};

function checkDistinctColumns(columns: RelationColumn[]): void {
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      throw new SqlError(SQLSTATE.duplicateColumn, `column "${column.name}" specified more than once`, {
        hint: 'Key, value and metadata columns share one namespace: rename one with AS (or MAPPING).',
      });
    }
    seen.add(column.name);
  }
}

/** The source's input node, and how its runtime hands rows to it: a source only ever inserts. */
function sourceInput(db: Database, spec: SourceSpec): { node: InputNode; append: (rows: Row[]) => void } {
  const node = db.dataflow.input(spec.name, spec.tableType);
  return { node, append: (rows) => node.push(rows.map((row) => ({ row, diff: 1 }))) };
}

async function createKafkaSource(session: Session, statement: Statement, parsed: CreateSourceStatement, spec: KafkaSourceSpec): Promise<void> {
  const db = session.db;
  mapClientProperties(spec.connection.properties); // refuse unsupported properties before connecting
  const prepare = () => Promise.all([prepareFormat(spec.key, 'key', spec), prepareFormat(spec.value, 'value', spec)]);
  const [key, value] = db.replaying ? await untilReachable(prepare, db.log, `source ${spec.name}`) : await prepare();
  const columns = sourceColumns(spec.include, key.columns, value.columns);
  checkDistinctColumns(columns);

  let sql = statement.sql;
  let startOffsets;
  let highWatermarks: Map<number, bigint> | undefined;
  if (db.replaying) {
    if (spec.connection.startOffset.kind !== 'offsets') {
      throw new SqlError(SQLSTATE.internalError, `stored source ${spec.name} has no resolved start offsets`);
    }
    startOffsets = spec.connection.startOffset.offsets;
  } else {
    const { connection } = spec;
    const probe = await probeTopic(connection, connection.topic, connection.startOffset.kind === 'committed' ? connection.groupId : null);
    startOffsets = resolveStartOffsets(connection, probe);
    highWatermarks = new Map(probe.partitions.map((p) => [p.partition, p.high]));
    // Later edits first: AVRO VERSION comes after the KAFKA options that hold START OFFSET.
    sql = rewriteAvroVersions(statement.sql, parsed.avroVersionInsertAt, { key: key.avroVersion, value: value.avroVersion });
    sql = rewriteStartOffset(sql, parsed.startOffsetText!, startOffsets);
  }
  // The probe awaited: another session may have taken the name meanwhile.
  db.checkNameFree(spec.name, spec.nameLocation);

  const { node, append } = sourceInput(db, spec);
  const runtime = new KafkaSourceRuntime({
    spec,
    startOffsets,
    key: key.decoder,
    value: value.decoder,
    push: append,
    errors: db.sourceErrors,
    log: db.log,
    highWatermarks,
  });
  db.register({ kind: 'source', id: db.newObjectId(spec.name), name: spec.name, sql, columns, dependsOn: [], node, tableType: spec.tableType, runtime });
  runtime.start();
}

/** How long a restart waits for an unreachable schema registry before it gives up. */
const REPLAY_REACHABLE_WAIT_MS = 60_000;

/**
 * At restart, the schema registry (Avro formats) may come up after Eddy, as in a docker-compose
 * started all at once: a source's columns need its schema (a sink registers its own), so wait for the registry (bounded)
 * rather than fail the whole server at once. Only unreachability is waited out.
 */
export async function untilReachable<T>(attempt: () => Promise<T>, log: (line: string) => void, what: string): Promise<T> {
  const deadline = Date.now() + REPLAY_REACHABLE_WAIT_MS;
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof SqlError) || err.code !== SQLSTATE.connectionFailure || Date.now() + delay > deadline) throw err;
      log(`${what}: ${err.message}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

const TIME_TABLE_COLUMNS: RelationColumn[] = [
  { name: 'timestamp', type: T.timestamptz, typmod: -1 },
  { name: 'tick', type: T.int8, typmod: -1 },
];

function createTimeTableSource(session: Session, statement: Statement, parsed: CreateSourceStatement, spec: TimeTableSourceSpec): void {
  const db = session.db;
  let sql = statement.sql;
  let started = spec;
  if (!db.replaying) {
    // Resolved now and stored as an instant, as a Kafka source's offsets are: the START TIME
    // written (in this session's time zone, as PostgreSQL reads timestamptz), else now.
    const at = parsed.startTimeText!;
    const startTime =
      at.kind === 'replace' ? (parseValue(T.timestamptz, at.literal, -1, { timeZone: session.settings.get('timezone') }) as number) : Date.now() * 1000;
    started = { ...spec, startTime };
    sql = rewriteStartTime(statement.sql, at, startTime);
  }
  const { node, append } = sourceInput(db, spec);
  const runtime: SourceRuntime = startTimeTable(started, append);
  db.register({ kind: 'source', id: db.newObjectId(spec.name), name: spec.name, sql, columns: TIME_TABLE_COLUMNS, dependsOn: [], node, tableType: spec.tableType, runtime });
}
