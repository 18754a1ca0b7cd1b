/**
 * Messages that do not decode, in every built-in format: skipped, counted in SHOW SOURCES and
 * kept in eddy_source_errors (bounded per source), while the messages around them are read; with
 * ON ERROR = 'fail' the source stops at the bad message, visibly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { produce, type MessageToProduce } from '../support/kafka.js';
import { sourceHarness, waitFor, type SourceHarness } from './source-harness.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

interface Case {
  name: string;
  formats: string;
  /** Good, bad, good: the bad one is offset 1. */
  messages: [MessageToProduce, MessageToProduce, MessageToProduce];
  select: string;
  rows: string[][];
  part: 'key' | 'value';
  error: RegExp;
}

const CASES: Case[] = [
  {
    name: 'bad_text_int',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT TEXT AS n integer',
    messages: [{ value: '1' }, { value: 'abc' }, { value: '3' }],
    select: 'n',
    rows: [['1'], ['3']],
    part: 'value',
    error: /invalid input syntax for type integer: "abc"/,
  },
  {
    name: 'bad_text_utf8',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT TEXT AS t',
    messages: [{ value: 'ok' }, { value: Buffer.from([0x61, 0xff, 0xfe]) }, { value: 'fine' }],
    select: 't',
    rows: [['ok'], ['fine']],
    part: 'value',
    error: /UTF8|UTF-8/i,
  },
  {
    name: 'bad_bigint',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT BIGINT AS n',
    messages: [{ value: int64(10n) }, { value: Buffer.from([1, 2, 3]) }, { value: int64(-5n) }],
    select: 'n',
    rows: [['10'], ['-5']],
    part: 'value',
    error: /must be 8 bytes, this one is 3/,
  },
  {
    name: 'bad_int_key',
    formats: 'KEY FORMAT INT AS k VALUE FORMAT TEXT AS v',
    messages: [{ key: int32(7), value: 'a' }, { key: Buffer.from([1, 2, 3, 4, 5]), value: 'b' }, { key: int32(-1), value: 'c' }],
    select: 'k, v',
    rows: [['7', 'a'], ['-1', 'c']],
    part: 'key',
    error: /must be 4 bytes, this one is 5/,
  },
  {
    name: 'bad_json_document',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT JSON AS doc',
    messages: [{ value: '{"a": 1}' }, { value: '{not json' }, { value: '[2]' }],
    select: 'doc',
    rows: [['{"a": 1}'], ['[2]']],
    part: 'value',
    error: /json/i,
  },
  {
    name: 'bad_json_columns',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT JSON (Symbol text, Qty integer)',
    messages: [{ value: '{"symbol": "A", "qty": 1}' }, { value: '{"symbol": "B", "qty": "many"}' }, { value: '{"SYMBOL": "C"}' }],
    select: 'symbol, qty',
    rows: [['A', '1'], ['C', null as unknown as string]],
    part: 'value',
    error: /column "qty" \(integer\) from field "qty"/,
  },
  {
    name: 'bad_json_not_object',
    formats: 'KEY FORMAT IGNORE VALUE FORMAT JSON (x integer)',
    messages: [{ value: '{"x": 1}' }, { value: '[1, 2]' }, { value: '{"x": 3}' }],
    select: 'x',
    rows: [['1'], ['3']],
    part: 'value',
    error: /expected a JSON object, got an array/,
  },
];

test('a bad message in any format is skipped, counted and kept in eddy_source_errors', async () => {
  for (const c of CASES) {
    const topic = await h.topic(c.name);
    await h.client.query(`CREATE SOURCE ${c.name} FROM KAFKA (${h.from(topic)}) ${c.formats} TABLE TYPE APPEND`);
    await produce(topic, c.messages, h.kafka);
  }
  for (const c of CASES) {
    await h.waitRows(`SELECT ${c.select} FROM ${c.name}`, c.rows);
    const errors = await h.rows(`SELECT kafkapartition, kafkaoffset, part, error, raw FROM eddy_source_errors WHERE source = '${c.name}'`);
    assert.equal(errors.length, 1, `${c.name}: ${JSON.stringify(errors)}`);
    const [partition, offset, part, error, raw] = errors[0]!;
    assert.deepEqual([partition, offset, part], ['0', '1', c.part], c.name);
    assert.match(error!, c.error, c.name);
    const bad = c.messages[1][c.part]!;
    assert.equal(raw, `\\x${Buffer.from(bad).toString('hex')}`, c.name);
  }
  const shown = new Map((await h.rows('SHOW SOURCES')).map((r) => [r[0], r]));
  for (const c of CASES) {
    const [, , , , status, messages, decodeErrors] = shown.get(c.name)!;
    assert.deepEqual([status, messages, decodeErrors], ['running', '3', '1'], c.name);
  }
});

test('eddy_source_errors keeps the latest 1000 errors of each source', async () => {
  const topic = await h.topic('many-bad');
  await h.client.query(`CREATE SOURCE many_bad FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE VALUE FORMAT SMALLINT TABLE TYPE APPEND`);
  await produce(topic, Array.from({ length: 1005 }, (_, i) => ({ value: `bad ${i}` })), h.kafka);
  await waitFor(async () => (await h.rows(`SHOW SOURCES`)).find((r) => r[0] === 'many_bad')?.[6] === '1005', { message: '1005 decode errors' });
  assert.deepEqual(await h.rows(`SELECT count(*), min(kafkaoffset), max(kafkaoffset) FROM eddy_source_errors WHERE source = 'many_bad'`), [['1000', '5', '1004']]);
  await h.client.query('DROP SOURCE many_bad');
  assert.deepEqual(await h.rows(`SELECT count(*) FROM eddy_source_errors WHERE source = 'many_bad'`), [['0']]);
});

test(`ON ERROR = 'fail' stops the source at the bad message and says why`, async () => {
  const topic = await h.topic('fail');
  await h.client.query(`CREATE SOURCE fails FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE VALUE FORMAT TEXT AS n bigint
    TABLE TYPE APPEND WITH (ON ERROR = 'fail')`);
  await produce(topic, [{ value: '1' }, { value: '2' }, { value: 'three' }, { value: '4' }], h.kafka);
  const row = await waitFor(async () => (await h.rows('SHOW SOURCES')).find((r) => r[0] === 'fails' && r[4]!.startsWith('failed')), {
    message: 'the source to fail',
  });
  assert.match(row[4]!, /^failed: message at partition 0 offset 2 could not be decoded \(value\): .*invalid input syntax for type bigint: "three"/);
  // Read 2 of 4 messages (the failing one stays unapplied): lag 2, one decode error.
  assert.deepEqual([row[5], row[6], row[7]], ['3', '1', '2']);
  assert.deepEqual(await h.rows('SELECT n FROM fails ORDER BY n'), [['1'], ['2']]);
  assert.deepEqual(await h.rows(`SELECT kafkaoffset FROM eddy_source_errors WHERE source = 'fails'`), [['2']]);
  // Failed for good: later messages are not read.
  await produce(topic, [{ value: '5' }], h.kafka);
  assert.deepEqual(await h.rows('SELECT n FROM fails ORDER BY n'), [['1'], ['2']]);
});
