/**
 * What a sink has to write, per ENVELOPE, and what a consumer of its topic has accumulated: the
 * two halves of the exactly-once protocol (docs/ARCHITECTURE.md, "Kafka sinks").
 *
 * Each state takes the input's changes (`apply`, the snapshot first), and, while the sink
 * recovers after a (re)start, the messages its topic already holds (`recovered`, up to the
 * offsets of its last committed progress record). After `recoveryDone`, `take` hands out only
 * what the topic lacks:
 * - AppendState (APPEND; DEBEZIUM over an append-only or stream input): one message per added
 *   row. The topic's messages are a multiset of credit: a row whose message is already there is
 *   not written again. Removals (a stream's rows expiring) are not changes a consumer sees.
 * - UpsertState (UPSERT): the last row per key; a message when a key's row changes, a tombstone
 *   when the key goes. The topic's latest value per key says what needs no message.
 * - DebeziumState (DEBEZIUM over an input that retracts): the input's rows as a multiset; at
 *   recovery the difference between it and what the topic's before/after messages add up to,
 *   then every change, an update of a key written as one {"before", "after"} message.
 * A batch that `take` handed out is either `committed` (the transaction went through) or
 * `failed`, after which the same changes are taken again.
 */
import type { Batch, Row } from '../engine/batch.js';
import { changeKey } from '../engine/batch-builder.js';
import { EncodeError } from './encode/index.js';

export interface SinkMessage {
  key: Buffer | null;
  value: Buffer | null;
}

/** How rows become message parts; `reject` records a row that cannot be written. */
export interface SinkCodec {
  key(row: Row): Buffer | null;
  value(row: Row): Buffer | null;
  /** DEBEZIUM: the row as the JSON object inside "before" / "after". */
  json(row: Row): string;
  reject(row: Row, error: EncodeError): void;
}

export interface TakenMessages {
  messages: SinkMessage[];
  committed(): void;
  failed(): void;
}

export interface EnvelopeState {
  apply(batch: Batch): void;
  /** A (re)start's recovery begins: forget what an earlier, interrupted one read back. */
  beginRecovery(): void;
  recovered(key: Buffer | null, value: Buffer | null): void;
  recoveryDone(): void;
  /** Up to `max` messages to write next; null when nothing is pending (or still recovering). */
  take(max: number): TakenMessages | null;
  /** Changes waiting to be written. */
  pending(): number;
}

/** Encodes, or records the row as rejected and gives null. */
function attempt<T>(codec: SinkCodec, row: Row, encode: () => T): T | null {
  try {
    return encode();
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
    codec.reject(row, err);
    return null;
  }
}

/** A message's identity for multiset matching: key and value bytes, length-prefixed. */
function messageId(key: Buffer | null, value: Buffer | null): string {
  const k = key === null ? '-' : `${key.length}:${key.toString('latin1')}`;
  return `${k}|${value === null ? '-' : value.toString('latin1')}`;
}

/** A FIFO that shifts in O(1). */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(m: T): void {
    this.items.push(m);
  }
  shift(): T | undefined {
    const m = this.items[this.head];
    if (m === undefined) return undefined;
    this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }
}

export class AppendState implements EnvelopeState {
  /**
   * Rows still to write, encoded only when a transaction takes them: a 1M-row snapshot then
   * costs the engine's rows, not a million encoded messages held at once (their garbage
   * collection was the sink's largest cost), and the first transaction starts sooner.
   */
  private readonly queue = new Queue<Row>();
  /** Messages of a failed transaction: written next, before anything newer. */
  private retry: SinkMessage[] = [];
  /** The topic's messages not yet matched by an added row (after a restart's recovery). */
  private credit = new Map<string, number>();
  private recovering = true;

  /** `value` builds the value bytes (DEBEZIUM wraps the row in {"before": null, "after": ...}). */
  constructor(
    private readonly codec: SinkCodec,
    private readonly value: (row: Row) => Buffer | null = (row) => codec.value(row),
  ) {}

  apply(batch: Batch): void {
    for (const { row, diff } of batch) for (let i = 0; i < diff; i++) this.queue.push(row);
  }

  beginRecovery(): void {
    this.credit.clear();
    this.recovering = true;
  }

  recovered(key: Buffer | null, value: Buffer | null): void {
    const id = messageId(key, value);
    this.credit.set(id, (this.credit.get(id) ?? 0) + 1);
  }

  recoveryDone(): void {
    this.recovering = false;
  }

  take(max: number): TakenMessages | null {
    if (this.recovering || this.pending() === 0) return null;
    const messages = this.retry.splice(0, max);
    while (messages.length < max) {
      const row = this.queue.shift();
      if (row === undefined) break;
      const m = attempt(this.codec, row, () => ({ key: this.codec.key(row), value: this.value(row) }));
      if (m === null) continue; // recorded in eddy_sink_errors
      if (this.credit.size > 0) {
        const id = messageId(m.key, m.value);
        const left = this.credit.get(id);
        if (left !== undefined) {
          if (left === 1) this.credit.delete(id);
          else this.credit.set(id, left - 1);
          continue; // already in the topic
        }
      }
      messages.push(m);
    }
    return { messages, committed: () => {}, failed: () => (this.retry = [...messages, ...this.retry]) };
  }

  pending(): number {
    return this.retry.length + this.queue.length;
  }
}

/** One key's rows, in arrival order (the last is the key's row); only the last for inputs that never retract. */
interface KeyRows {
  key: Buffer;
  rows: { id: string; row: Row; count: number }[];
}

export class UpsertState implements EnvelopeState {
  private readonly keys = new Map<string, KeyRows>();
  /** What the topic holds per key: the value last written (committed), absent after a tombstone. */
  private readonly written = new Map<string, Buffer>();
  private readonly dirty = new Map<string, Buffer>();
  private recovering = true;

  /** `retracts`: whether the input removes rows (else a removal is a stream's expiry, ignored). */
  constructor(
    private readonly codec: SinkCodec,
    private readonly retracts: boolean,
  ) {}

  apply(batch: Batch): void {
    for (const change of batch) {
      const { row, diff } = change;
      if (diff < 0 && !this.retracts) continue;
      const key = attempt(this.codec, row, () => {
        const k = this.codec.key(row);
        if (k === null) throw new EncodeError('the key is NULL, and ENVELOPE UPSERT needs a key');
        return k;
      });
      if (key === null) continue;
      const name = key.toString('latin1');
      let entry = this.keys.get(name);
      if (diff > 0) {
        if (!entry) this.keys.set(name, (entry = { key, rows: [] }));
        if (!this.retracts) entry.rows = [{ id: '', row, count: 1 }];
        else addRow(entry, changeKey(change), row, diff);
      } else if (entry) {
        removeRow(entry, changeKey(change), -diff);
        if (entry.rows.length === 0) this.keys.delete(name);
      }
      this.dirty.set(name, key);
    }
  }

  beginRecovery(): void {
    this.written.clear();
    this.recovering = true;
  }

  recovered(key: Buffer | null, value: Buffer | null): void {
    if (key === null) return;
    const name = key.toString('latin1');
    if (value === null) this.written.delete(name);
    else this.written.set(name, value);
    this.dirty.set(name, key);
  }

  recoveryDone(): void {
    this.recovering = false;
  }

  take(max: number): TakenMessages | null {
    if (this.recovering || this.dirty.size === 0) return null;
    const messages: SinkMessage[] = [];
    const taken: [string, Buffer][] = [];
    for (const [name, key] of this.dirty) {
      if (messages.length >= max) break;
      this.dirty.delete(name);
      taken.push([name, key]);
      const rows = this.keys.get(name)?.rows;
      const last = rows?.[rows.length - 1]?.row;
      const value =
        last === undefined
          ? null
          : attempt(this.codec, last, () => {
              const v = this.codec.value(last);
              if (v === null) throw new EncodeError('the value is NULL, which ENVELOPE UPSERT would write as a tombstone (a deletion)');
              return v;
            });
      if (last !== undefined && value === null) continue; // rejected: the topic keeps what it has
      const current = this.written.get(name) ?? null;
      if (value === null ? current === null : current !== null && current.equals(value)) continue;
      messages.push({ key, value });
    }
    return {
      messages,
      committed: () => {
        for (const { key, value } of messages) {
          const name = key!.toString('latin1');
          if (value === null) this.written.delete(name);
          else this.written.set(name, value);
        }
      },
      failed: () => {
        for (const [name, key] of taken) this.dirty.set(name, key);
      },
    };
  }

  pending(): number {
    return this.dirty.size;
  }
}

function addRow(entry: KeyRows, id: string, row: Row, count: number): void {
  const i = entry.rows.findIndex((r) => r.id === id);
  const slot = i >= 0 ? entry.rows.splice(i, 1)[0]! : { id, row, count: 0 };
  slot.count += count;
  entry.rows.push(slot); // the latest arrival is the key's row
}

function removeRow(entry: KeyRows, id: string, count: number): void {
  const i = entry.rows.findIndex((r) => r.id === id);
  if (i < 0) return;
  const slot = entry.rows[i]!;
  slot.count -= count;
  if (slot.count <= 0) entry.rows.splice(i, 1);
}

/** {"before": B, "after": A}, each a row's JSON object or null. */
export function debeziumValue(before: string | null, after: string | null): Buffer {
  return Buffer.from(`{"before":${before ?? 'null'},"after":${after ?? 'null'}}`, 'utf8');
}

/** The end of the JSON value that starts at `at` (an object, or null). */
function jsonValueEnd(text: string, at: number): number {
  if (text.startsWith('null', at)) return at + 4;
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The before and after objects of a value debeziumValue wrote (null for anything else). */
export function splitDebeziumValue(value: Buffer): { before: string | null; after: string | null } | null {
  const text = value.toString('utf8');
  const BEFORE = '{"before":';
  const AFTER = ',"after":';
  if (!text.startsWith(BEFORE)) return null;
  const beforeEnd = jsonValueEnd(text, BEFORE.length);
  if (!text.startsWith(AFTER, beforeEnd)) return null;
  const afterEnd = jsonValueEnd(text, beforeEnd + AFTER.length);
  const before = text.slice(BEFORE.length, beforeEnd);
  const after = text.slice(beforeEnd + AFTER.length, afterEnd);
  return { before: before === 'null' ? null : before, after: after === 'null' ? null : after };
}

interface RowChange {
  key: Buffer | null;
  json: string;
  diff: number;
}

export class DebeziumState implements EnvelopeState {
  /** While recovering: the input's rows (JSON) with multiplicities, and what the topic adds up to. */
  private desired: Map<string, { key: Buffer | null; count: number }> | null = new Map();
  private readonly inTopic = new Map<string, { key: Buffer | null; count: number }>();
  private changes: RowChange[] = [];

  constructor(private readonly codec: SinkCodec) {}

  apply(batch: Batch): void {
    for (const { row, diff } of batch) {
      const encoded = attempt(this.codec, row, () => ({ key: this.codec.key(row), json: this.codec.json(row) }));
      if (encoded === null) continue;
      if (this.desired) count(this.desired, encoded.json, encoded.key, diff);
      else this.changes.push({ ...encoded, diff });
    }
  }

  beginRecovery(): void {
    this.inTopic.clear();
    if (this.desired === null) throw new Error('a DEBEZIUM sink recovers once, at its start');
  }

  recovered(key: Buffer | null, value: Buffer | null): void {
    const parts = value === null ? null : splitDebeziumValue(value);
    if (!parts) return;
    if (parts.before !== null) count(this.inTopic, parts.before, key, -1);
    if (parts.after !== null) count(this.inTopic, parts.after, key, 1);
  }

  recoveryDone(): void {
    const desired = this.desired!;
    this.desired = null;
    for (const [json, { key, count: n }] of desired) {
      const diff = n - (this.inTopic.get(json)?.count ?? 0);
      if (diff !== 0) this.changes.push({ key, json, diff });
    }
    for (const [json, { key, count: n }] of this.inTopic) if (!desired.has(json) && n !== 0) this.changes.push({ key, json, diff: -n });
    this.inTopic.clear();
  }

  take(max: number): TakenMessages | null {
    if (this.desired !== null || this.changes.length === 0) return null;
    const taken = this.changes.splice(0, max);
    return { messages: pairUpdates(taken), committed: () => {}, failed: () => (this.changes = [...taken, ...this.changes]) };
  }

  pending(): number {
    return this.changes.length;
  }
}

function count(map: Map<string, { key: Buffer | null; count: number }>, json: string, key: Buffer | null, diff: number): void {
  const slot = map.get(json);
  if (!slot) map.set(json, { key, count: diff });
  else if ((slot.count += diff) === 0) map.delete(json);
}

/** One message per row copy removed or added; a removal and an addition of one key make one update. */
function pairUpdates(changes: RowChange[]): SinkMessage[] {
  const removed = new Map<string, RowChange[]>();
  const messages: { key: Buffer | null; before: string | null; after: string | null }[] = [];
  const expand = (c: RowChange) => Array.from({ length: Math.abs(c.diff) }, () => c);
  for (const c of changes) if (c.diff < 0 && c.key !== null) {
    const name = c.key.toString('latin1');
    removed.set(name, [...(removed.get(name) ?? []), ...expand(c)]);
  }
  for (const c of changes) {
    if (c.diff > 0) {
      const waiting = c.key === null ? undefined : removed.get(c.key.toString('latin1'));
      for (const copy of expand(c)) {
        const before = waiting?.shift();
        messages.push({ key: c.key, before: before?.json ?? null, after: copy.json });
      }
    } else if (c.key === null) {
      for (const copy of expand(c)) messages.push({ key: null, before: copy.json, after: null });
    }
  }
  for (const rest of removed.values()) for (const c of rest) messages.push({ key: c.key, before: c.json, after: null });
  return messages.map((m) => ({ key: m.key, value: debeziumValue(m.before, m.after) }));
}
