/**
 * SELECT DISTINCT and SELECT DISTINCT ON, maintained incrementally.
 *
 * Over a stream both accumulate every row they ever saw (stream removals are ignored); over an
 * append input they keep no retraction state.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import { EqualityClasses, emitClassChange, type Member } from './equality-classes.js';
import type { InputKind, Operator, RowFn } from '../operator.js';
import { rowKey, sameRow } from '../../types/compare.js';
import type { Value } from '../../types/types.js';
import { ArrivalLog, CopiesById, SortedArray } from '../ordered.js';

/** Drops what a non-general input cannot retract: stream removals are ignored, append ones are a bug. */
function acceptsChange(kind: InputKind, diff: number, op: string): boolean {
  if (diff > 0 || kind === 'general') return true;
  if (kind === 'append') throw new Error(`${op} over an append-only input received a retraction`);
  return false;
}

export class DistinctOp implements Operator {
  readonly arity = 1;
  /** Per class of equal rows, each printed form's count (over append/stream inputs: 1, "seen"). */
  private readonly classes = new EqualityClasses<number>(() => 0, (n) => n <= 0);
  constructor(private readonly spec: { input: InputKind }) {}

  describe(): string {
    return `Distinct${this.spec.input === 'general' ? '' : ` over ${this.spec.input}`}`;
  }

  step([input]: Batch[]): Batch {
    const out = new BatchBuilder();
    for (const c of input) {
      if (!acceptsChange(this.spec.input, c.diff, 'DISTINCT')) continue;
      const { key, members } = this.classes.classOf(c);
      const before = firstOf(members);
      const m = this.classes.member(members, c);
      m.counts = this.spec.input === 'general' ? m.counts + c.diff : 1;
      this.classes.prune(key, members);
      emitClassChange(out, { member: before, count: before ? 1 : 0 }, { member: firstOf(members), count: members.size > 0 ? 1 : 0 });
    }
    return out.finish();
  }
}

/** The earliest arrived member still present (members with nothing left are pruned). */
function firstOf<C>(members: Map<string, Member<C>>): Member<C> | null {
  for (const m of members.values()) return m;
  return null;
}

export interface DistinctOnSpec {
  /** The DISTINCT ON expressions. */
  key: RowFn<Value[]>;
  /** ORDER BY within each key: the first row by this order wins (ties: the earliest arrived). */
  order?: (a: Row, b: Row) => number;
  input: InputKind;
}

interface Candidate {
  readonly row: Row;
  readonly seq: number;
  count: number;
}

/** One DISTINCT ON key's rows, able to say which one is shown. */
interface KeyState {
  add(row: Row, rk: string, seq: number, diff: number): void;
  remove(rk: string, copies: number): void;
  chosen(): Row | undefined;
  shown: Row | null;
}

/** General input with ORDER BY: all rows of the key, sorted; the first is shown. */
class OrderedRows implements KeyState {
  shown: Row | null = null;
  private readonly sorted: SortedArray<Candidate>;
  private readonly byRow = new CopiesById<Candidate>();
  private readonly drop = (c: Candidate): void => {
    this.sorted.remove(c);
  };
  constructor(order: (a: Row, b: Row) => number) {
    this.sorted = new SortedArray((a, b) => order(a.row, b.row) || a.seq - b.seq);
  }
  add(row: Row, rk: string, seq: number, diff: number): void {
    const c: Candidate = { row, seq, count: diff };
    this.sorted.insert(c);
    this.byRow.add(rk, c);
  }
  remove(rk: string, copies: number): void {
    this.byRow.remove(rk, copies, this.drop);
  }
  chosen(): Row | undefined {
    return this.sorted.first()?.row;
  }
}

/** General input without ORDER BY: rows in arrival order; the latest still present is shown. */
class LatestRow implements KeyState {
  shown: Row | null = null;
  private readonly log = new ArrivalLog<Row>();
  add(row: Row, rk: string, seq: number, diff: number): void {
    this.log.add(rk, row, seq, diff);
  }
  remove(rk: string, copies: number): void {
    this.log.remove(rk, copies);
  }
  chosen(): Row | undefined {
    return this.log.last();
  }
}

/** Append or stream input: only the best (or latest) row so far matters. */
class RunningRow implements KeyState {
  shown: Row | null = null;
  private best: Row | undefined;
  constructor(private readonly order: ((a: Row, b: Row) => number) | undefined) {}
  add(row: Row): void {
    if (this.best === undefined || this.order === undefined || this.order(row, this.best) < 0) this.best = row;
  }
  remove(): void {
    throw new Error('DISTINCT ON over an append-only input received a retraction');
  }
  chosen(): Row | undefined {
    return this.best;
  }
}

export class DistinctOnOp implements Operator {
  readonly arity = 1;
  private readonly keys = new Map<string, KeyState>();
  private seq = 0;
  constructor(private readonly spec: DistinctOnSpec) {}

  describe(): string {
    const pick = this.spec.order ? 'first by order' : 'latest arrived';
    return `DistinctOn (${pick})${this.spec.input === 'general' ? '' : ` over ${this.spec.input}`}`;
  }

  step([input]: Batch[]): Batch {
    const touched = new Map<string, KeyState>();
    for (const c of input) {
      const { row, diff } = c;
      if (!acceptsChange(this.spec.input, diff, 'DISTINCT ON')) continue;
      const k = rowKey(this.spec.key(row));
      let state = this.keys.get(k);
      if (state === undefined) {
        state = this.newState();
        this.keys.set(k, state);
      }
      touched.set(k, state);
      if (diff > 0) state.add(row, changeKey(c), this.seq++, diff);
      else state.remove(changeKey(c), -diff);
    }
    const out = new BatchBuilder();
    for (const [k, state] of touched) {
      const next = state.chosen() ?? null;
      const prev = state.shown;
      if (next === null) this.keys.delete(k);
      if (prev === next || (prev !== null && next !== null && sameRow(prev, next))) continue;
      if (prev !== null) out.add(prev, -1);
      if (next !== null) out.add(next, 1);
      state.shown = next;
    }
    return out.finish();
  }

  private newState(): KeyState {
    if (this.spec.input !== 'general') return new RunningRow(this.spec.order);
    return this.spec.order ? new OrderedRows(this.spec.order) : new LatestRow();
  }
}
