/**
 * The sink's progress record (src/kafka/sink-progress.ts), without a broker: it is built before
 * its transaction sends anything, so it counts the transaction's messages per partition past the
 * last offset a produce response gave; reading the topic back takes exactly that many committed
 * messages past it, and learns where they end. Records written before counts existed still read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProgress, encodeProgress, nextProgress, ReadBack, settled, type Progress } from '../../src/kafka/sink-progress.js';

const start: Progress = { seq: 0, offsets: new Map(), more: new Map(), messages: 0 };

test('each record counts its transaction past the offsets learnt so far; a commit learns its offsets', () => {
  const first = nextProgress(start, 1, new Map([[0, 3], [1, 2]]), 5);
  assert.deepEqual(first, { seq: 1, messages: 5, offsets: new Map(), more: new Map([[0, 3], [1, 2]]) });
  assert.deepEqual(decodeProgress(encodeProgress(first)), first);
  // Committed: partition 0's messages end at offset 3, partition 1's at 2.
  const after = settled(first, new Map([[0, 3n], [1, 2n]]));
  assert.deepEqual(after, { seq: 1, messages: 5, offsets: new Map([[0, 3n], [1, 2n]]), more: new Map() });
  // The next transaction writes partition 1 only; partition 0 keeps its exact offset.
  const second = nextProgress(after, 2, new Map([[1, 4]]), 4);
  assert.deepEqual(second, { seq: 2, messages: 9, offsets: new Map([[0, 3n], [1, 2n]]), more: new Map([[1, 4]]) });
  assert.deepEqual(decodeProgress(encodeProgress(second)), second);
  // A record read back after a failure (offsets never learnt) carries its counts on.
  const third = nextProgress(decodeProgress(encodeProgress(second)), 3, new Map([[1, 1], [2, 7]]), 8);
  assert.deepEqual(third.more, new Map([[1, 5], [2, 7]]));
  assert.deepEqual(third.offsets, new Map([[0, 3n], [1, 2n]]));
});

test('a record written before counts existed decodes with exact offsets and no counts', () => {
  const old = decodeProgress('{"seq":4,"messages":12,"offsets":{"0":"7","2":"9"}}');
  assert.deepEqual(old, { seq: 4, messages: 12, offsets: new Map([[0, 7n], [2, 9n]]), more: new Map() });
  const reading = new ReadBack(old);
  assert.deepEqual(reading.ranges(new Map([[0, 20n], [1, 20n], [2, 20n]])), new Map([[0, { from: 0n, to: 7n }], [2, { from: 0n, to: 9n }]]));
});

test('reading back takes the committed messages below the offset and the counted ones past it', () => {
  // Partition 0: exact up to 3, then 2 more; partition 1: 3 messages, offsets never learnt.
  const committed: Progress = { seq: 5, messages: 8, offsets: new Map([[0, 3n]]), more: new Map([[0, 2], [1, 3]]) };
  const reading = new ReadBack(committed);
  assert.deepEqual(reading.ranges(new Map([[0, 12n], [1, 9n]])), new Map([[0, { from: 0n, to: 12n }], [1, { from: 0n, to: 9n }]]));
  // Committed messages as a read_committed consumer hands them over (markers and aborted
  // transactions' messages skipped): offsets with gaps.
  const taken = (partition: number, offsets: bigint[]) => offsets.filter((o) => reading.accept(partition, o));
  assert.deepEqual(taken(0, [0n, 1n, 2n, 5n, 6n, 9n]), [0n, 1n, 2n, 5n, 6n], 'the third past offset 3 is not the sink\'s');
  assert.deepEqual(taken(1, [1n, 2n, 4n]), [1n, 2n, 4n]);
  assert.deepEqual(reading.done(), []);
  assert.deepEqual(committed.offsets, new Map([[0, 7n], [1, 5n]]));
  assert.deepEqual(committed.more, new Map());
});

test('fewer counted messages than the record says (retention) keep the count, and are reported', () => {
  const committed: Progress = { seq: 2, messages: 4, offsets: new Map(), more: new Map([[0, 4]]) };
  const reading = new ReadBack(committed);
  assert.equal(reading.accept(0, 10n), true);
  assert.deepEqual(reading.done(), [{ partition: 0, found: 1, expected: 4 }]);
  assert.deepEqual(committed.more, new Map([[0, 4]]));
});
