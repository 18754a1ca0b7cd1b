/** CREATE SOURCE / DROP SOURCE grammar: the typed spec from SQL.md's forms, and its errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError } from '../../src/errors.js';
import { T } from '../../src/types/types.js';
import { isCreateSource, parseCreateSource, rewriteAvroVersions, rewriteStartOffset, rewriteStartTime } from '../../src/sql/grammar/create-source.js';
import { isDropSource, parseDropSource } from '../../src/sql/grammar/drop-source.js';
import type { KafkaSourceSpec, TimeTableSourceSpec } from '../../src/kafka/source-spec.js';

function kafka(sql: string): KafkaSourceSpec {
  const { spec } = parseCreateSource(sql, 0);
  assert.equal(spec.kind, 'kafka');
  return spec as KafkaSourceSpec;
}

function columnsOf(spec: KafkaSourceSpec['key']): [string, string][] {
  assert.equal(spec.kind, 'builtin');
  return spec.kind === 'builtin' ? spec.columns.map((c) => [c.name, c.type.name]) : [];
}

/** `at` is the 1-based position, or the text whose last occurrence the error must point at. */
function syntaxError(sql: string, code: string, at: number | string, message?: RegExp): void {
  const position = typeof at === 'number' ? at : sql.lastIndexOf(at) + 1;
  assert.throws(
    () => parseCreateSource(sql, 0),
    (err: unknown) => {
      assert.ok(err instanceof SqlError, String(err));
      assert.equal(err.code, code, err.message);
      assert.equal(err.extra.position, position, `${err.message} at ${err.extra.position}`);
      if (message) assert.match(err.message, message);
      return true;
    },
  );
}

test('defaults: TEXT key and value, partition/offset/timestamp, STREAM, LATEST, group eddy-<name>', () => {
  const spec = kafka(`CREATE SOURCE Result_Stream FROM KAFKA (BROKER 'localhost:9092', TOPIC 'test.topic')`);
  assert.equal(spec.name, 'result_stream');
  assert.deepEqual(spec.connection, {
    brokers: ['localhost:9092'],
    topic: 'test.topic',
    partitions: null,
    startOffset: { kind: 'latest' },
    groupId: 'eddy-result_stream',
    schemaRegistry: null,
    properties: [],
  });
  assert.deepEqual(columnsOf(spec.key), [['kafkakey', 'text']]);
  assert.deepEqual(columnsOf(spec.value), [['kafkavalue', 'text']]);
  assert.deepEqual(spec.include, [
    { meta: 'partition', column: 'kafkapartition' },
    { meta: 'offset', column: 'kafkaoffset' },
    { meta: 'timestamp', column: 'kafkatimestamp' },
  ]);
  assert.equal(spec.tableType, 'stream');
  assert.equal(spec.onError, 'skip');
});

test('every connection option, table type and ON ERROR', () => {
  const spec = kafka(`create source if not exists "Quotes" from kafka (
      BROKER 'a:1, b:2', TOPIC 'quotes', PARTITIONS (0, 2), START OFFSET (0 = 100, 2 = 250),
      GROUP ID 'g1', SCHEMA REGISTRY 'http://localhost:8081', 'fetch.max.bytes' = '1000')
    KEY FORMAT TEXT AS Symbol VALUE FORMAT TEXT AS Price double precision
    INCLUDE KEY, HEADERS AS "Hdr", OFFSET
    TABLE TYPE RING 3 WITH (ON ERROR = 'fail');`);
  assert.equal(spec.name, 'Quotes');
  assert.equal(spec.ifNotExists, true);
  assert.deepEqual(spec.connection.brokers, ['a:1', 'b:2']);
  assert.deepEqual(spec.connection.partitions, [0, 2]);
  assert.deepEqual(spec.connection.startOffset, { kind: 'offsets', offsets: [{ partition: 0, offset: 100n }, { partition: 2, offset: 250n }] });
  assert.equal(spec.connection.groupId, 'g1');
  assert.equal(spec.connection.schemaRegistry, 'http://localhost:8081');
  assert.deepEqual(spec.connection.properties, [{ name: 'fetch.max.bytes', value: '1000' }]);
  assert.deepEqual(columnsOf(spec.key), [['symbol', 'text']]);
  assert.deepEqual(columnsOf(spec.value), [['price', 'double precision']]);
  assert.deepEqual(spec.include, [
    { meta: 'key', column: 'kafkarawkey' },
    { meta: 'headers', column: 'Hdr' },
    { meta: 'offset', column: 'kafkaoffset' },
  ]);
  assert.deepEqual(spec.tableType, { ring: 3 });
  assert.equal(spec.onError, 'fail');
  for (const [words, kind] of [['EARLIEST', 'earliest'], ['LATEST', 'latest'], ['COMMITTED', 'committed']] as const) {
    assert.deepEqual(kafka(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't', START OFFSET ${words})`).connection.startOffset, { kind });
  }
  assert.deepEqual(kafka(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') INCLUDE NONE TABLE TYPE APPEND`).include, []);
  const aliases = kafka(`CREATE SOURCE s FROM KAFKA ('bootstrap.servers' = 'h:9', TOPIC 't', 'group.id' = 'g', 'schema.registry.url' = 'http://r:1', 'client.id' = 'c')`);
  assert.deepEqual(aliases.connection.brokers, ['h:9']);
  assert.equal(aliases.connection.groupId, 'g');
  assert.equal(aliases.connection.schemaRegistry, 'http://r:1');
  assert.deepEqual(aliases.connection.properties, [{ name: 'client.id', value: 'c' }]);
  syntaxError(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't', 'bootstrap.servers' = 'b:2')`, '42601', "'bootstrap.servers'", /BROKER specified more than once/);
});

test('formats: the binary numbers, BYTES, JSON document, JSON columns with MAPPING, typed TEXT, AVRO', () => {
  const base = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't')`;
  const numbers = kafka(`${base} KEY FORMAT BIGINT AS K VALUE FORMAT DOUBLE PRECISION`);
  assert.deepEqual(numbers.key.kind === 'builtin' && numbers.key.format, { kind: 'binary-number', format: 'BIGINT' });
  assert.deepEqual(columnsOf(numbers.key), [['k', 'bigint']]);
  assert.deepEqual(columnsOf(numbers.value), [['kafkavalue', 'double precision']]);
  for (const [word, type] of [['SMALLINT', 'smallint'], ['INT', 'integer'], ['REAL', 'real']]) {
    assert.deepEqual(columnsOf(kafka(`${base} VALUE FORMAT ${word}`).value), [['kafkavalue', type]]);
  }
  assert.deepEqual(columnsOf(kafka(`${base} KEY FORMAT IGNORE VALUE FORMAT BYTES AS raw`).value), [['raw', 'bytea']]);
  assert.deepEqual(columnsOf(kafka(`${base} KEY FORMAT IGNORE VALUE FORMAT JSON`).value), [['kafkavalue', 'jsonb']]);
  assert.deepEqual(columnsOf(kafka(`${base} KEY FORMAT IGNORE VALUE FORMAT JSON AS doc`).value), [['doc', 'jsonb']]);
  const ts = kafka(`${base} VALUE FORMAT TEXT AS at timestamp with time zone WITH (ON ERROR = 'skip')`);
  assert.deepEqual(columnsOf(ts.value), [['at', 'timestamp with time zone']]);
  const numeric = kafka(`${base} VALUE FORMAT TEXT AS amount numeric(10, 2) TABLE TYPE APPEND`);
  assert.equal(numeric.value.kind === 'builtin' && numeric.value.columns[0]!.typmod, ((10 << 16) | 2) + 4);

  const json = kafka(`${base} VALUE FORMAT JSON (Symbol text, "Price" double precision, Qty integer, at timestamptz)
      MAPPING ('qty' = Qty, 'quote.at' = at) TABLE TYPE APPEND`);
  assert.equal(json.value.kind, 'builtin');
  if (json.value.kind !== 'builtin' || json.value.format.kind !== 'json-columns') throw new Error('json columns expected');
  assert.deepEqual(
    json.value.format.columns.map((c) => [c.name, c.type.oid, c.path, c.exactCase]),
    [
      ['symbol', T.text.oid, ['symbol'], false],
      ['Price', T.float8.oid, ['Price'], true],
      ['qty', T.int4.oid, ['qty'], true],
      ['at', T.timestamptz.oid, ['quote', 'at'], true],
    ],
  );

  const avro = kafka(`${base} KEY FORMAT IGNORE VALUE FORMAT AVRO SUBJECT 'share.price.record' VERSION 1 MAPPING ONLY ('price' = Price) TABLE TYPE APPEND`);
  assert.deepEqual(avro.value, { kind: 'avro', subject: 'share.price.record', version: 1, mapping: [{ field: 'price', column: 'price' }], mappingOnly: true });
  assert.deepEqual(kafka(`${base} VALUE FORMAT AVRO`).value, { kind: 'avro', subject: null, version: null, mapping: [], mappingOnly: false });
});

test('FROM TIME TABLE', () => {
  const { spec } = parseCreateSource(`CREATE SOURCE ticks FROM TIME TABLE (PERIOD '100 milliseconds', START TIME '2024-01-01 00:00:00+00') TABLE TYPE STREAM`, 0);
  const tt = spec as TimeTableSourceSpec;
  assert.equal(tt.kind, 'time-table');
  assert.deepEqual({ ...tt.period }, { months: 0, days: 0, micros: 100_000 });
  assert.equal(tt.startTime, Date.UTC(2024, 0, 1) * 1000);
  assert.equal(tt.tableType, 'stream');
  assert.equal((parseCreateSource(`CREATE SOURCE t FROM TIME TABLE (PERIOD '1 second')`, 0).spec as TimeTableSourceSpec).tableType, 'append');
  syntaxError(`CREATE SOURCE t FROM TIME TABLE (PERIOD '0 seconds')`, '22023', "'0 seconds'");
  syntaxError(`CREATE SOURCE t FROM TIME TABLE (PERIOD 'soon')`, '22007', "'soon'");
  syntaxError(`CREATE SOURCE t FROM TIME TABLE (PERIOD '1 s', START TIME 'infinity')`, '22008', "'infinity'");
  const written = `CREATE SOURCE t FROM TIME TABLE (PERIOD '1 s', START TIME '2024-06-01 12:00:00+02')`;
  const at = parseCreateSource(written, 0).startTimeText!;
  assert.equal(rewriteStartTime(written, at, Date.UTC(2024, 5, 1, 10) * 1000 + 5), `CREATE SOURCE t FROM TIME TABLE (PERIOD '1 s', START TIME '2024-06-01T10:00:00.000005Z')`);
  const unwritten = `CREATE SOURCE t FROM TIME TABLE (PERIOD '1 s') TABLE TYPE STREAM`;
  assert.equal(
    rewriteStartTime(unwritten, parseCreateSource(unwritten, 0).startTimeText!, Date.UTC(2024, 0, 1) * 1000),
    `CREATE SOURCE t FROM TIME TABLE (PERIOD '1 s', START TIME '2024-01-01T00:00:00.000000Z') TABLE TYPE STREAM`,
  );
});

test('errors carry SQLSTATE and the position of the token at fault', () => {
  const base = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't')`;
  syntaxError(`${base} KEY FORMAT IGNORE VALUE FORMAT IGNORE`, '42601', 'VALUE', /both be IGNORE/);
  syntaxError(`${base} VALUE FORMAT XML`, '42601', 'XML', /at or near "XML"/);
  syntaxError(`${base} TABLE TYPE RING`, '42601', base.length + 17, /end of input/);
  syntaxError(`${base} TABLE TYPE RING 0`, '22023', '0');
  syntaxError(`${base} TABLE TYPE APPEND TABLE TYPE STREAM`, '42601', 'TABLE', /more than once/);
  syntaxError(`${base} VALUE FORMAT TEXT AS p notatype`, '42704', 'notatype', /type "notatype" does not exist/);
  syntaxError(`${base} VALUE FORMAT JSON (a int) MAPPING ('x' = b)`, '42703', 'b)');
  syntaxError(`CREATE SOURCE s FROM KAFKA (TOPIC 't')`, '42601', 28, /needs a BROKER/);
  syntaxError(`CREATE SOURCE s FROM KAFKA (BROKER 'nohost', TOPIC 't')`, '22023', "'nohost'");
  syntaxError(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't', PARTITIONS (0), START OFFSET (1 = 5))`, '22023', ')');
  syntaxError(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't', COLOR 'red')`, '42601', 'COLOR');
  syntaxError(`${base} WITH (ON ERROR = 'maybe')`, '22023', "'maybe'");
  syntaxError(`${base} VALUE FORMAT JSON (a int, a text)`, '42701', 'a text');
  // positions count from the start of the whole query when the statement is not the first
  assert.throws(() => parseCreateSource(`CREATE SOURCE s FROM KAFKA (BROKER 'b:1')`, 10), (err: SqlError) => err.extra.position === 38);
});

test('the stored statement carries the resolved start offsets', () => {
  const plain = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') TABLE TYPE APPEND`;
  const p = parseCreateSource(plain, 0);
  const offsets = [{ partition: 0, offset: 5n }, { partition: 1, offset: 0n }];
  const rewritten = rewriteStartOffset(plain, p.startOffsetText!, offsets);
  assert.equal(rewritten, `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't', START OFFSET (0 = 5, 1 = 0)) TABLE TYPE APPEND`);
  assert.deepEqual(kafka(rewritten).connection.startOffset, { kind: 'offsets', offsets });
  const written = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', START OFFSET EARLIEST, TOPIC 't')`;
  const again = rewriteStartOffset(written, parseCreateSource(written, 0).startOffsetText!, offsets);
  assert.equal(again, `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', START OFFSET (0 = 5, 1 = 0), TOPIC 't')`);

  const avro = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') KEY FORMAT AVRO SUBJECT 'k' VALUE FORMAT AVRO VERSION 2 TABLE TYPE APPEND`;
  const parsed = parseCreateSource(avro, 0);
  assert.deepEqual(parsed.avroVersionInsertAt, { key: avro.indexOf(' SUBJECT'), value: null });
  const pinned = rewriteAvroVersions(avro, parsed.avroVersionInsertAt, { key: 7, value: 2 });
  assert.equal(pinned, `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') KEY FORMAT AVRO VERSION 7 SUBJECT 'k' VALUE FORMAT AVRO VERSION 2 TABLE TYPE APPEND`);
  const both = `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') KEY FORMAT AVRO VALUE FORMAT AVRO`;
  const pinnedBoth = rewriteAvroVersions(both, parseCreateSource(both, 0).avroVersionInsertAt, { key: 1, value: 3 });
  assert.equal(pinnedBoth, `CREATE SOURCE s FROM KAFKA (BROKER 'b:1', TOPIC 't') KEY FORMAT AVRO VERSION 1 VALUE FORMAT AVRO VERSION 3`);
  assert.equal((parseCreateSource(pinnedBoth, 0).spec as KafkaSourceSpec).value.kind === 'avro' && ((parseCreateSource(pinnedBoth, 0).spec as KafkaSourceSpec).value as { version: number }).version, 3);
});

test('DROP SOURCE parses into a DropStmt', () => {
  assert.deepEqual(parseDropSource(`drop source if exists A, "B" cascade;`, 0), {
    DropStmt: {
      removeType: 'OBJECT_SOURCE',
      objects: [
        { List: { items: [{ String: { sval: 'a' } }] }, location: 22 },
        { List: { items: [{ String: { sval: 'B' } }] }, location: 25 },
      ],
      missing_ok: true,
      behavior: 'DROP_CASCADE',
    },
  });
  assert.throws(() => parseDropSource('DROP SOURCE', 0), (err: SqlError) => err.code === '42601' && err.extra.position === 12);
});

test('CREATE SOURCE and DROP SOURCE are recognised behind comments, and only they are', () => {
  assert.ok(isCreateSource(`-- a source\n/* of quotes */ CREATE\n  Source q FROM KAFKA (BROKER 'b:1', TOPIC 't')`));
  assert.ok(isDropSource('drop /* now */ source q'));
  assert.ok(!isCreateSource('CREATE SOURCES'));
  assert.ok(!isCreateSource('CREATE TABLE source (a int)'));
  assert.ok(!isDropSource('DROP TABLE source'));
  const { spec } = parseCreateSource(`-- a source\nCREATE SOURCE q FROM KAFKA (BROKER 'b:1', TOPIC 't')`, 0);
  assert.equal(spec.name, 'q');
});
