/**
 * A Kafka sink's progress record (docs/ARCHITECTURE.md, "Kafka sinks"): what each transaction
 * writes, keyed by the sink's transactional.id, to its compacted progress topic, committed with
 * the data or aborted with it; and how one record follows from the one before.
 */
import type { WrittenOffsets } from './kafka-client.js';

/**
 * The progress record each transaction writes. It is built before the transaction sends anything
 * (it rides in the first request), when the offsets this transaction's messages will get are not
 * known yet: so, per partition of the sink's topic, what the sink has committed there is
 * everything committed below `offsets` (an offset some earlier produce response gave), plus the
 * next `more` committed messages at or after it (this transaction's, and those of earlier ones
 * whose offsets were never learnt, e.g. after a recovery that read only this record).
 */
export interface Progress {
  /** The transaction's number: 1, 2, ... */
  seq: number;
  offsets: Map<number, bigint>;
  more: Map<number, number>;
  /** Messages written so far. */
  messages: number;
}

export function encodeProgress(p: Progress): string {
  return JSON.stringify({
    seq: p.seq,
    messages: p.messages,
    offsets: Object.fromEntries([...p.offsets].map(([k, v]) => [k, v.toString()])),
    more: Object.fromEntries(p.more),
  });
}

export function decodeProgress(text: string): Progress {
  // Records written before `more` existed held exact offsets only.
  const raw = JSON.parse(text) as { seq: number; messages: number; offsets: Record<string, string>; more?: Record<string, number> };
  return {
    seq: raw.seq,
    messages: raw.messages,
    offsets: new Map(Object.entries(raw.offsets).map(([k, v]) => [Number(k), BigInt(v)])),
    more: new Map(Object.entries(raw.more ?? {}).map(([k, v]) => [Number(k), v])),
  };
}

/** The record of the next transaction, `seq`, which adds `counts` messages per partition. */
export function nextProgress(previous: Progress, seq: number, counts: Map<number, number>, total: number): Progress {
  const more = new Map(previous.more);
  for (const [partition, n] of counts) more.set(partition, (more.get(partition) ?? 0) + n);
  return { seq, messages: previous.messages + total, offsets: new Map(previous.offsets), more };
}

/** `progress` once its transaction committed and the produce responses gave `written`. */
export function settled(progress: Progress, written: WrittenOffsets): Progress {
  const offsets = new Map(progress.offsets);
  const more = new Map(progress.more);
  for (const [partition, next] of written) {
    offsets.set(partition, next);
    more.delete(partition);
  }
  return { ...progress, offsets, more };
}

/**
 * Reading a sink's topic back at start, as its last committed record says: which range of each
 * partition to read (through to the topic's end, `ends`, where the record counts messages past
 * an offset: the producer was just reopened, so no transaction of this sink is open any more),
 * which of the messages read are the sink's, and, once read, the offsets the record's counts end
 * at, which it then holds instead.
 */
export class ReadBack {
  private readonly found = new Map<number, { n: number; next: bigint }>();

  constructor(private readonly committed: Progress) {}

  ranges(ends: Map<number, bigint>): Map<number, { from: bigint; to: bigint }> {
    const ranges = new Map<number, { from: bigint; to: bigint }>();
    for (const partition of new Set([...this.committed.offsets.keys(), ...this.committed.more.keys()])) {
      const to = (this.committed.more.get(partition) ?? 0) > 0 ? (ends.get(partition) ?? 0n) : (this.committed.offsets.get(partition) ?? 0n);
      ranges.set(partition, { from: 0n, to });
    }
    return ranges;
  }

  /** Whether the committed message at `offset` (read in order) is one the sink wrote. */
  accept(partition: number, offset: bigint): boolean {
    if (offset < (this.committed.offsets.get(partition) ?? 0n)) return true;
    const seen = this.found.get(partition) ?? { n: 0, next: 0n };
    if (seen.n >= (this.committed.more.get(partition) ?? 0)) return false; // another writer's
    this.found.set(partition, { n: seen.n + 1, next: offset + 1n });
    return true;
  }

  /**
   * Moves each partition whose counted messages were all found to the offset after them, in
   * the record read back; returns the partitions where fewer were found (deleted by retention),
   * which keep their count.
   */
  done(): { partition: number; found: number; expected: number }[] {
    const short = [];
    for (const [partition, expected] of this.committed.more) {
      const seen = this.found.get(partition);
      if (seen?.n === expected) {
        this.committed.offsets.set(partition, seen.next);
        this.committed.more.delete(partition);
      } else {
        short.push({ partition, found: seen?.n ?? 0, expected });
      }
    }
    return short;
  }
}
