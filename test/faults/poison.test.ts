/**
 * Poison messages: malformed Kafka messages mixed at seeded random places among good ones, in a
 * JSON source (bad JSON, invalid UTF-8, oversize garbage, a document that is not an object, a
 * field of the wrong type) and an Avro source (an unknown schema id, a wrong writer schema,
 * truncated binary, no magic byte). Every bad one is in eddy_source_errors with its partition,
 * offset and reason; every good one is in the views, null keys and null values (tombstones)
 * included, as rows with NULLs (Kafka allows both); the server stays up; the log is bounded by
 * --source-errors-retained.
 * npm test: 5,000 good and 500 bad; npm run soak: 100,000 and 10,000 (EDDY_POISON_GOOD/BAD).
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { createTopic, ensureKafka, produce, schemaRegistry, uniqueTopic, type KafkaEndpoints, type MessageToProduce } from '../support/kafka.js';
import { mulberry32 } from '../support/prng.js';

const GOOD = Number(process.env.EDDY_POISON_GOOD ?? 5000);
const BAD = Number(process.env.EDDY_POISON_BAD ?? 500);
/** Good messages per source: half of GOOD each. */
const PER_SOURCE = Math.floor(GOOD / 2);
const SEED = Number(process.env.EDDY_POISON_SEED ?? 424242);
const PARTITIONS = 2;
/** Enough for every bad message of both sources, so none is evicted before it is checked. */
const RETAINED = BAD + 100;

let eddy: EddyHandle;
let kafka: KafkaEndpoints;
let c: pg.Client;
before(async () => {
  kafka = await ensureKafka();
  eddy = await startEddy({ server: { sourceErrorsRetained: RETAINED } });
  c = await eddy.client();
});
after(async () => {
  await eddy?.stop();
});

/** A null value (a tombstone) is a message too: a row of NULLs, as src/kafka/decode/column.ts says. */
const isTombstone = (i: number) => i % 50 === 25;

interface Planned {
  message: MessageToProduce;
  /** The reason it must be recorded with, or null for a good message. */
  bad: RegExp | null;
}

/** Places `bad` messages from `makeBad` among `good` ones from `makeGood`, at seeded positions, round-robin over partitions. */
function mix(random: () => number, good: number, bad: number, makeGood: (i: number) => Planned, makeBad: (i: number) => Planned): Planned[] {
  const out: Planned[] = [];
  let g = 0;
  let b = 0;
  while (g < good || b < bad) {
    const takeBad = b < bad && (g >= good || random() < bad / (good + bad));
    out.push(takeBad ? makeBad(b++) : makeGood(g++));
  }
  return out.map((p, i) => ({ ...p, message: { ...p.message, partition: i % PARTITIONS } }));
}

/** In requests under the broker's 1 MB limit (an oversize value nearly fills one alone). */
async function produceAll(topic: string, planned: Planned[]): Promise<void> {
  let batch: MessageToProduce[] = [];
  let bytes = 0;
  for (const { message } of planned) {
    const size = (message.value?.length ?? 0) + 64;
    if (bytes + size > 500_000 && batch.length > 0) {
      await produce(topic, batch, kafka);
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) await produce(topic, batch, kafka);
}

/** Where each planned message lands: partition i % PARTITIONS, offsets counting up from 0 in each. */
function positions(planned: Planned[]): { partition: number; offset: number; bad: RegExp | null }[] {
  const next = new Array(PARTITIONS).fill(0);
  return planned.map((p) => ({ partition: p.message.partition!, offset: next[p.message.partition!]++, bad: p.bad }));
}

async function checkErrors(source: string, planned: Planned[]): Promise<number> {
  const expected = positions(planned).filter((p) => p.bad !== null);
  const rows = await waitFor(
    async () => {
      const r = await c.query(`SELECT kafkapartition AS p, kafkaoffset::int AS o, error FROM eddy_source_errors WHERE source = '${source}'`);
      return r.rows.length >= expected.length ? r.rows : null;
    },
    { timeoutMs: 120_000, message: `${expected.length} errors of ${source}` },
  );
  const recorded = new Map(rows.map((r) => [`${r.p}/${r.o}`, r.error as string]));
  assert.equal(recorded.size, expected.length, `${source}: one error per bad message`);
  for (const e of expected) {
    const error = recorded.get(`${e.partition}/${e.offset}`);
    assert.ok(error !== undefined, `${source}: the bad message at partition ${e.partition} offset ${e.offset} is recorded`);
    assert.match(error, e.bad!, `${source} partition ${e.partition} offset ${e.offset}`);
  }
  return expected.length;
}

test(`poison: ${BAD} bad messages among ${GOOD} good ones in JSON and Avro sources (seed ${SEED})`, { timeout: 1_800_000 }, async () => {
  const random = mulberry32(SEED);
  const started = Date.now();

  // JSON: a document per message, keyed by text (some keys null).
  const jsonTopic = uniqueTopic('poison-json');
  await createTopic(jsonTopic, PARTITIONS, kafka);
  const jsonBad: [RegExp, () => MessageToProduce][] = [
    [/json/i, () => ({ value: '{"id": 1, "v": ' })],
    [/UTF-?8/i, () => ({ value: Buffer.concat([Buffer.from('{"id": 2, "v": "'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) })],
    [/json/i, () => ({ value: Buffer.alloc(200_000, 0x7b) })],
    [/expected a JSON object/, () => ({ value: '[1, 2, 3]' })],
    [/column "id" \(bigint\) from field "id"/, () => ({ value: '{"id": "many", "v": "x"}' })],
  ];
  const json = mix(
    random,
    PER_SOURCE,
    Math.ceil(BAD / 2),
    (i) => ({ message: { key: i % 10 === 0 ? null : `k${i % 100}`, value: isTombstone(i) ? null : JSON.stringify({ id: i, v: `g${i}` }) }, bad: null }),
    (i) => {
      const [reason, make] = jsonBad[i % jsonBad.length]!;
      return { message: make(), bad: reason };
    },
  );

  // Avro through the schema registry.
  const avroTopic = uniqueTopic('poison-avro');
  await createTopic(avroTopic, PARTITIONS, kafka);
  const registry = schemaRegistry(kafka);
  const register = async (subject: string, schema: object) =>
    (await registry.register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject })).id;
  const id = await register(`${avroTopic}-value`, { type: 'record', name: 'Reading', fields: [{ name: 'id', type: 'long' }, { name: 'v', type: 'string' }] });
  // Registered (under another subject), but its fields cannot be read as the source's schema.
  const otherId = await register(`${avroTopic}-other`, { type: 'record', name: 'Reading', fields: [{ name: 'id', type: 'string' }, { name: 'w', type: 'boolean' }] });
  const sample = await registry.encode(id, { id: 1, v: 'sample' });
  const unknownId = Buffer.from(sample);
  unknownId.writeInt32BE(987_654_321, 1);
  const wrongWriter = await registry.encode(otherId, { id: 'x', w: true });
  const avroBad: [RegExp, MessageToProduce][] = [
    [/schema id 987654321 is not in the schema registry/, { value: unknownId }],
    [/written with schema id \d+ cannot be read as subject .* cannot read "string" as "long"/, { value: wrongWriter }],
    [/invalid Avro data .*truncated/, { value: sample.subarray(0, sample.length - 3) }],
    [/magic byte 0/, { value: 'plain text, no magic byte' }],
  ];
  const avroGood = await Promise.all(Array.from({ length: 64 }, (_, i) => registry.encode(id, { id: i, v: `a${i}` })));
  const avro = mix(
    random,
    PER_SOURCE,
    Math.floor(BAD / 2),
    (i) => ({ message: { value: avroGood[i % 64]! }, bad: null }),
    (i) => ({ message: avroBad[i % avroBad.length]![1], bad: avroBad[i % avroBad.length]![0] }),
  );

  await c.query(`CREATE SOURCE pj FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${jsonTopic}') KEY FORMAT TEXT AS k VALUE FORMAT JSON (id bigint, v text) TABLE TYPE APPEND`);
  await c.query(`CREATE SOURCE pa FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${avroTopic}', SCHEMA REGISTRY '${kafka.registryUrl}') KEY FORMAT IGNORE VALUE FORMAT AVRO TABLE TYPE APPEND`);
  await c.query(
    'CREATE MATERIALIZED VIEW pj_totals AS SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(id) AS s, count(*) FILTER (WHERE k IS NULL) AS null_keys, count(*) FILTER (WHERE id IS NULL AND v IS NULL) AS null_values FROM pj',
  );
  await c.query('CREATE MATERIALIZED VIEW pa_totals AS SELECT count(*) AS n, sum(id) AS s FROM pa');
  await Promise.all([produceAll(jsonTopic, json), produceAll(avroTopic, avro)]);

  const ids = Array.from({ length: PER_SOURCE }, (_, i) => i).filter((i) => !isTombstone(i));
  await waitFor(async () => (await c.query('SELECT n::int FROM pj_totals')).rows[0]?.n >= PER_SOURCE, { timeoutMs: 120_000, message: `${PER_SOURCE} good JSON rows` });
  const pj = (await c.query('SELECT n::int, ids::int, s::bigint::text AS s, null_keys::int, null_values::int FROM pj_totals')).rows[0];
  assert.deepEqual(pj, { n: PER_SOURCE, ids: ids.length, s: String(ids.reduce((a, b) => a + b, 0)), null_keys: Math.ceil(PER_SOURCE / 10), null_values: PER_SOURCE - ids.length });
  let avroSum = 0;
  for (let i = 0; i < PER_SOURCE; i++) avroSum += i % 64;
  await waitFor(async () => (await c.query('SELECT n::int FROM pa_totals')).rows[0]?.n >= PER_SOURCE, { timeoutMs: 120_000, message: `${PER_SOURCE} good Avro rows` });
  assert.equal((await c.query('SELECT s::bigint::text AS s FROM pa_totals')).rows[0].s, String(avroSum));

  const badJson = await checkErrors('pj', json);
  const badAvro = await checkErrors('pa', avro);
  const shown = new Map((await c.query('SHOW SOURCES')).rows.map((r) => [r.name, r]));
  assert.equal(String(shown.get('pj').decode_errors), String(badJson));
  assert.equal(String(shown.get('pa').decode_errors), String(badAvro));
  const seconds = (Date.now() - started) / 1000;
  console.log(`# poison seed ${SEED}: ${PER_SOURCE * 2} good and ${badJson + badAvro} bad messages over ${PARTITIONS} partitions in ${seconds.toFixed(1)} s; views hold ${PER_SOURCE} + ${PER_SOURCE} rows; eddy_source_errors holds every bad one (${badJson} JSON, ${badAvro} Avro), with partition, offset and reason; lost: 0`);

  // Retention: more bad messages than it keeps; the latest are kept, the count stays at the bound.
  const extra = RETAINED + 50 - badJson;
  await produce(jsonTopic, Array.from({ length: extra }, (_, i) => ({ value: `not json ${i}`, partition: 0 })), kafka);
  await waitFor(async () => String((await c.query('SHOW SOURCES')).rows.find((r) => r.name === 'pj').decode_errors) === String(badJson + extra), {
    timeoutMs: 60_000,
    message: 'the extra bad messages read',
  });
  const kept = (await c.query(`SELECT count(*)::int AS n, max(kafkaoffset)::int AS last FROM eddy_source_errors WHERE source = 'pj'`)).rows[0];
  assert.equal(kept.n, RETAINED);
  assert.equal(kept.last, json.filter((p) => p.message.partition === 0).length + extra - 1, 'the latest are kept');
  assert.equal((await c.query('SHOW eddy.source_errors_retained')).rows[0]['eddy.source_errors_retained'], String(RETAINED));
  console.log(`# retention: ${badJson + extra} bad JSON messages read, eddy_source_errors keeps the latest ${kept.n} (--source-errors-retained ${RETAINED})`);
  assert.deepEqual((await c.query('SELECT 1 AS up')).rows, [{ up: 1 }]);
});
