/**
 * Framing independent of how TCP happens to cut the stream: every message must come out whole
 * whether it arrives in one chunk, byte by byte, or glued to its neighbours.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { MessageFramer, SSL_REQUEST_CODE, PROTOCOL_3_0, type Frame } from '../../src/wire/message-framer.js';
import { SqlError } from '../../src/errors.js';

const stream = Buffer.concat([
  serialize.requestSsl(),
  serialize.startup({ user: 'u', database: 'd' }),
  serialize.query('SELECT 1'),
  serialize.parse({ name: 's', text: 'SELECT $1', types: [23] }),
  serialize.copyData(Buffer.alloc(100_000, 7)),
  serialize.sync(),
]);

const summary = (f: Frame) => (f.kind === 'startup' ? `startup:${f.code}:${f.body.length}` : `${f.type}:${f.body.length}`);

function frameAll(chunks: Buffer[]): Frame[] {
  const framer = new MessageFramer();
  const out: Frame[] = [];
  for (const chunk of chunks) {
    framer.push(chunk);
    for (let f = framer.next(); f; f = framer.next()) out.push(f);
  }
  assert.equal(framer.pendingBytes, 0);
  return out;
}

test('the same frames come out however the stream is chunked', () => {
  const whole = frameAll([stream]).map(summary);
  assert.deepEqual(whole, [
    `startup:${SSL_REQUEST_CODE}:0`,
    `startup:${PROTOCOL_3_0}:${serialize.startup({ user: 'u', database: 'd' }).length - 8}`,
    'Q:9',
    `P:${serialize.parse({ name: 's', text: 'SELECT $1', types: [23] }).length - 5}`,
    'd:100000',
    'S:0',
  ]);
  const bytewise: Buffer[] = [];
  for (let i = 0; i < 2000; i++) bytewise.push(stream.subarray(i, i + 1));
  bytewise.push(stream.subarray(2000));
  assert.deepEqual(frameAll(bytewise).map(summary), whole);
  const uneven: Buffer[] = [];
  for (let i = 0, step = 1; i < stream.length; i += step, step = (step * 7) % 4093 + 1) uneven.push(stream.subarray(i, i + step));
  assert.deepEqual(frameAll(uneven).map(summary), whole);
});

test('message bodies are delivered intact', () => {
  const frames = frameAll([stream.subarray(0, 50), stream.subarray(50)]);
  const query = frames.find((f) => f.kind === 'typed' && f.type === 'Q')!;
  assert.equal(query.body.toString('utf8'), 'SELECT 1\0');
  const copy = frames.find((f) => f.kind === 'typed' && f.type === 'd')!;
  assert.ok(copy.body.every((b) => b === 7));
});

test('bad framing throws a FATAL 08P01 before buffering the claimed body', () => {
  const cases = [
    Buffer.from('00000002', 'hex'), // startup packet shorter than its header
    Buffer.from('7fffffff', 'hex'), // startup packet over the limit
  ];
  for (const bytes of cases) {
    const framer = new MessageFramer();
    framer.push(bytes);
    assert.throws(() => framer.next(), (e: unknown) => e instanceof SqlError && e.code === '08P01' && e.extra.severity === 'FATAL');
  }
  const typedCases = ['5100000003', '51ffffffff', '5104000001', '7800000004', '0000000004'];
  for (const hex of typedCases) {
    const framer = new MessageFramer();
    framer.push(serialize.startup({ user: 'u' }));
    assert.equal(framer.next()?.kind, 'startup');
    framer.push(Buffer.from(hex, 'hex'));
    assert.throws(() => framer.next(), (e: unknown) => e instanceof SqlError && e.code === '08P01', hex);
  }
});

test('CopyData may be larger than other messages', () => {
  const framer = new MessageFramer();
  framer.push(serialize.startup({ user: 'u' }));
  framer.next();
  // 100 MiB claimed: too big for a Query, fine for CopyData (we only check the header here).
  const header = (type: string) => Buffer.concat([Buffer.from(type), Buffer.from('06400004', 'hex')]);
  framer.push(header('d'));
  assert.equal(framer.next(), null);
  const other = new MessageFramer();
  other.push(serialize.startup({ user: 'u' }));
  other.next();
  other.push(header('Q'));
  assert.throws(() => other.next(), (e: unknown) => e instanceof SqlError && e.code === '08P01');
});
