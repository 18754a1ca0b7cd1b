/**
 * Window functions maintained incrementally. Each partition keeps its rows sorted by the
 * window's ORDER BY (ties by rowKey, so the order is a function of the set of rows) in a
 * RankedList, which answers "the row at position i" and "the position of this row" in O(log n),
 * and its peer groups in a second RankedList (for rank, dense_rank, GROUPS frames and peers).
 *
 * An output row is the input row followed by one value per window function. A cycle applies
 * the partition's changes, then recomputes only the output rows the changes can affect: for each
 * changed position and each function, the rows whose frame reaches it (found by binary search,
 * frame bounds being monotone along the partition), the rows after it for row_number, rank and
 * dense_rank, every row for the functions of the partition's size (percent_rank, cume_dist,
 * ntile). Those rows' values are recomputed in one pass, aggregates by sliding one accumulator
 * along the frames, and only values that differ from the ones emitted go out.
 *
 * An aggregate whose frame covers most of the partition (a running total near the partition's
 * end, PARTITION BY without ORDER BY) starts from the partition's whole accumulator, kept up to
 * date with every change, minus the rows outside the frame, instead of adding the frame's rows.
 *
 * The operator reads its arguments from columns: the planner computes partition and order keys,
 * arguments, FILTER conditions and RANGE bounds into the input row beforehand.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { Operator } from '../operator.js';
import { compareNullable, rowKey, sameRow } from '../../types/compare.js';
import type { Value } from '../../types/types.js';
import { RankedList } from '../ranked.js';
import { createAccumulator, skipsNullSecond, skipsNulls, type Accumulator, type AggregateFn, type ArgKind, type Contribution } from './accumulators.js';

export interface WindowOrderKey {
  column: number;
  desc: boolean;
  nullsFirst: boolean;
}

export type FrameUnit = 'rows' | 'range' | 'groups';

export interface FrameBound {
  kind: 'unbounded' | 'preceding' | 'current' | 'following';
  /** ROWS and GROUPS: how many rows or groups. */
  offset: number;
  /**
   * RANGE with an offset: the column holding the bound's value for the current row (the ORDER BY
   * value moved by the offset towards the bound).
   */
  column: number;
}

export type FrameExclusion = 'no others' | 'current row' | 'group' | 'ties';

export interface Frame {
  unit: FrameUnit;
  start: FrameBound;
  end: FrameBound;
  exclude: FrameExclusion;
  /** RANGE with an offset: the column of the (single) ORDER BY value, as the bounds' type. */
  rangeValue: number;
}

export interface WindowAggregate {
  fn: AggregateFn;
  /** Argument columns: none for count(*), the value, and string_agg's delimiter. */
  args: number[];
  /** FILTER's column (rows where it is not true do not contribute), or null. */
  filter: number | null;
  argKind: ArgKind;
}

export type WindowFunction =
  | { fn: 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' }
  /** ntile, lag/lead and nth_value with a NULL count are NULL for every row. */
  | { fn: 'ntile'; buckets: number | null }
  | { fn: 'lag' | 'lead'; value: number; offset: number | null; default: number | null }
  | { fn: 'first_value' | 'last_value'; value: number; frame: Frame }
  | { fn: 'nth_value'; value: number; n: number | null; frame: Frame }
  | { fn: 'aggregate'; aggregate: WindowAggregate; frame: Frame };

export interface WindowOpSpec {
  partition: number[];
  order: WindowOrderKey[];
  functions: WindowFunction[];
}

interface Entry {
  readonly row: Row;
  readonly key: string;
  count: number;
  /** The output row emitted for each copy, by copy; empty while the entry awaits recomputation. */
  outputs: Row[];
}

interface PeerGroup {
  readonly row: Row;
  count: number;
}

interface Partition {
  readonly rows: RankedList<Entry>;
  readonly groups: RankedList<PeerGroup>;
  /** Per function: the whole partition's accumulator (order-insensitive aggregates only). */
  readonly whole: (Accumulator | null)[];
}

/** Where a row sits: its position, its peer group's [start, end) and the group's index. */
interface RowPlace {
  entry: Entry;
  position: number;
  groupStart: number;
  groupEnd: number;
  groupIndex: number;
}

/** Aggregates whose value does not depend on the order rows arrive in. */
const ORDER_INSENSITIVE = new Set<AggregateFn>(['count', 'count_star', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or']);

/** A half-open interval of positions. */
type Span = [number, number];

export class WindowOp implements Operator {
  readonly arity = 1;
  private readonly partitions = new Map<string, Partition>();
  private readonly compareOrder: (a: Row, b: Row) => number;
  private readonly compareEntries: (a: Entry, b: Entry) => number;
  private readonly scratch: Contribution = { value: null, delimiter: null, order: null, id: '', seq: 0 };
  private seq = 0;
  /** Whether some function's value depends on the partition's size. */
  private readonly sizeDependent: boolean;

  constructor(private readonly spec: WindowOpSpec) {
    const order = spec.order;
    this.compareOrder = (a, b) => {
      for (const k of order) {
        const c = compareKey(a[k.column], b[k.column], k);
        if (c !== 0) return c;
      }
      return 0;
    };
    this.compareEntries = (a, b) => this.compareOrder(a.row, b.row) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    this.sizeDependent = spec.functions.some((f) => f.fn === 'percent_rank' || f.fn === 'cume_dist' || f.fn === 'ntile');
  }

  describe(): string {
    const names = this.spec.functions.map((f) => {
      if (f.fn === 'aggregate') return `${f.aggregate.fn}${frameText(f.frame)}`;
      if ('frame' in f) return `${f.fn}${frameText(f.frame)}`;
      return f.fn;
    });
    return `Window ${names.join(', ')}`;
  }

  step([input]: Batch[]): Batch {
    const out = new BatchBuilder();
    const touched = new Map<Partition, Map<string, Entry>>();
    for (const c of input) {
      const pk = this.spec.partition.length === 0 ? '' : rowKey(this.spec.partition.map((i) => c.row[i]));
      let part = this.partitions.get(pk);
      if (part === undefined) {
        part = this.newPartition();
        this.partitions.set(pk, part);
      }
      let changed = touched.get(part);
      if (changed === undefined) touched.set(part, (changed = new Map()));
      const probe = this.apply(part, c.row, changeKey(c), c.diff, out);
      changed.set(probe.key, probe);
      if (part.rows.total === 0) this.partitions.delete(pk);
    }
    for (const [part, changed] of touched) {
      if (part.rows.total === 0) continue;
      for (const span of this.affected(part, [...changed.values()])) this.recompute(part, span, out);
    }
    return out.finish();
  }

  private newPartition(): Partition {
    return {
      rows: new RankedList<Entry>(this.compareEntries),
      groups: new RankedList<PeerGroup>((a, b) => this.compareOrder(a.row, b.row)),
      whole: this.spec.functions.map((f) => (f.fn === 'aggregate' && ORDER_INSENSITIVE.has(f.aggregate.fn) ? this.newAccumulator(f.aggregate) : null)),
    };
  }

  private newAccumulator(a: WindowAggregate): Accumulator {
    return createAccumulator({ fn: a.fn, argKind: a.argKind, retractable: true }, false);
  }

  /** Applies one change to the partition's state; retracts the outputs of the entry it changes. */
  private apply(part: Partition, row: Row, key: string, diff: number, out: BatchBuilder): Entry {
    const probe: Entry = { row, key, count: diff, outputs: [] };
    const entry = part.rows.find(probe);
    if (entry === undefined) {
      if (diff < 0) throw new Error('window function input retracted a row it does not hold');
      part.rows.insert(probe);
    } else {
      for (const o of entry.outputs) out.add(o, -1);
      entry.outputs = [];
      if (entry.count + diff < 0) throw new Error('window function input retracted more copies than it holds');
      if (entry.count + diff === 0) part.rows.remove(entry);
      else part.rows.reweigh(entry, diff);
    }
    const groupProbe: PeerGroup = { row, count: diff };
    const group = part.groups.find(groupProbe);
    if (group === undefined) part.groups.insert(groupProbe);
    else if (group.count + diff === 0) part.groups.remove(group);
    else part.groups.reweigh(group, diff);
    this.spec.functions.forEach((f, i) => {
      const whole = part.whole[i];
      if (whole && f.fn === 'aggregate') this.contribute(whole, f.aggregate, entry ?? probe, diff);
    });
    return entry ?? probe;
  }

  /** The spans of positions whose outputs the changed entries can affect, merged and in order. */
  private affected(part: Partition, changed: Entry[]): Span[] {
    const n = part.rows.total;
    // Every row (a new view filling up, a partition replaced): one pass beats finding the spans.
    if (this.sizeDependent || changed.length * 8 > n) return [[0, n]];
    const spans: Span[] = [];
    for (const probe of changed) {
      const present = part.rows.find(probe);
      const p = present ? part.rows.search((x) => this.compareEntries(x, probe) >= 0)!.position : part.rows.positionWhere((x) => this.compareEntries(x, probe) >= 0);
      const q = present ? p + present.count : p;
      if (q > p) spans.push([p, q]);
      for (const f of this.spec.functions) {
        switch (f.fn) {
          case 'row_number':
          case 'rank':
          case 'dense_rank':
            if (p < n) spans.push([this.place(part, p).groupStart, n]);
            break;
          case 'lag':
          case 'lead':
            if (f.offset !== null) {
              // The row `ahead` positions on reads the changed stretch, or reads across it: after
              // rows come or go at [p, q), every row between a target and itself that straddles
              // the stretch reads another row now (not only the one whose target is p).
              const ahead = f.fn === 'lead' ? f.offset : -f.offset;
              if (ahead > 0) spans.push([p - ahead, p]);
              else if (ahead < 0) spans.push([q, q - ahead]);
            }
            break;
          case 'first_value':
          case 'last_value':
          case 'nth_value':
          case 'aggregate':
            spans.push(this.reaching(part, f.frame, p, q));
            break;
        }
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged: Span[] = [];
    for (const [a, b] of spans) {
      const lo = Math.max(0, a);
      const hi = Math.min(n, b);
      if (hi <= lo) continue;
      const last = merged[merged.length - 1];
      if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    return merged;
  }

  /** The rows whose frame [start, end) touches the positions [p, q]: frame bounds only grow along the partition. */
  private reaching(part: Partition, frame: Frame, p: number, q: number): Span {
    const n = part.rows.total;
    if (frame.unit === 'rows') {
      // ROWS bounds are the position moved by a constant: solve for i directly.
      const delta = (b: FrameBound) => (b.kind === 'current' ? 0 : b.kind === 'preceding' ? -b.offset : b.offset);
      const lo = frame.end.kind === 'unbounded' ? 0 : Math.max(0, p - delta(frame.end) - 1);
      const hi = frame.start.kind === 'unbounded' || q >= n ? n : Math.min(n, Math.max(0, q - delta(frame.start) + 1));
      return [lo, hi];
    }
    const lo = frame.end.kind === 'unbounded' ? 0 : firstIndex(n, (i) => this.frameOf(part, frame, this.place(part, i))[1] >= p);
    const hi = frame.start.kind === 'unbounded' ? n : firstIndex(n, (i) => this.frameOf(part, frame, this.place(part, i))[0] > q);
    return [lo, hi];
  }

  /** The place of the row at position i. */
  private place(part: Partition, position: number): RowPlace {
    const { item: entry } = part.rows.at(position);
    return { entry, position, ...this.groupOf(part, entry.row) };
  }

  private groupOf(part: Partition, row: Row): { groupStart: number; groupEnd: number; groupIndex: number } {
    const g = part.groups.search((x) => this.compareOrder(x.row, row) >= 0)!;
    return { groupStart: g.position, groupEnd: g.position + g.item.count, groupIndex: g.index };
  }

  /** The frame of the row at `at` as positions [start, end) (empty when end <= start). */
  private frameOf(part: Partition, frame: Frame, at: RowPlace): Span {
    return [this.bound(part, frame, frame.start, at, true), this.bound(part, frame, frame.end, at, false)];
  }

  private bound(part: Partition, frame: Frame, b: FrameBound, at: RowPlace, start: boolean): number {
    const n = part.rows.total;
    if (b.kind === 'unbounded') return start ? 0 : n;
    if (b.kind === 'current') {
      if (frame.unit === 'rows') return start ? at.position : at.position + 1;
      return start ? at.groupStart : at.groupEnd;
    }
    const sign = b.kind === 'preceding' ? -1 : 1;
    if (frame.unit === 'rows') return clamp(at.position + sign * b.offset + (start ? 0 : 1), 0, n);
    if (frame.unit === 'groups') {
      const g = at.groupIndex + sign * b.offset;
      if (g < 0) return 0;
      if (g >= part.groups.size) return n;
      const group = part.groups.itemAt(g);
      return start ? group.position : group.position + group.item.count;
    }
    const col = frame.rangeValue;
    // The NULLs are one peer group, and an offset does not reach into or out of it.
    if (at.entry.row[col] === null) return start ? at.groupStart : at.groupEnd;
    const bound = at.entry.row[b.column];
    const key = this.spec.order[0]!;
    return part.rows.positionWhere((x) => {
      const c = compareKey(x.row[col], bound, key);
      return start ? c >= 0 : c > 0;
    });
  }

  /** Recomputes the outputs of the positions [a, b) and emits those that changed. */
  private recompute(part: Partition, [a, b]: Span, out: BatchBuilder): void {
    const fns = this.spec.functions;
    const sliders: (Slider | null)[] = fns.map(() => null);
    let group = { groupStart: 0, groupEnd: -1, groupIndex: 0 };
    const values: Value[] = new Array(fns.length);
    for (const { item: entry, position } of part.rows.from(a)) {
      if (position >= b) break;
      for (let copy = Math.max(0, a - position); copy < entry.count && position + copy < b; copy++) {
        const i = position + copy;
        if (i >= group.groupEnd) group = this.groupOf(part, entry.row);
        const at: RowPlace = { entry, position: i, ...group };
        for (let f = 0; f < fns.length; f++) values[f] = this.value(part, fns[f]!, f, at, sliders);
        const next = [...entry.row, ...values];
        const prev = entry.outputs[copy];
        if (prev !== undefined && sameRow(prev, next)) continue;
        if (prev !== undefined) out.add(prev, -1);
        out.add(next, 1);
        entry.outputs[copy] = next;
      }
    }
    sliders.forEach((s) => s?.finish());
  }

  private value(part: Partition, f: WindowFunction, index: number, at: RowPlace, sliders: (Slider | null)[]): Value {
    const n = part.rows.total;
    switch (f.fn) {
      case 'row_number':
        return BigInt(at.position + 1);
      case 'rank':
        return BigInt(at.groupStart + 1);
      case 'dense_rank':
        return BigInt(at.groupIndex + 1);
      case 'percent_rank':
        return n > 1 ? at.groupStart / (n - 1) : 0;
      case 'cume_dist':
        return at.groupEnd / n;
      case 'ntile':
        return f.buckets === null ? null : ntile(at.position, n, f.buckets);
      case 'lag':
      case 'lead': {
        if (f.offset === null) return null;
        const j = at.position + (f.fn === 'lag' ? -f.offset : f.offset);
        if (j >= 0 && j < n) return part.rows.at(j).item.row[f.value];
        return f.default === null ? null : at.entry.row[f.default];
      }
      case 'first_value':
      case 'last_value':
      case 'nth_value': {
        if (f.fn === 'nth_value' && f.n === null) return null;
        const spans = this.framePieces(part, f.frame, at);
        const total = spans.reduce((s, [x, y]) => s + y - x, 0);
        const k = f.fn === 'nth_value' ? f.n! - 1 : f.fn === 'first_value' ? 0 : total - 1;
        if (k < 0 || k >= total) return null;
        let left = k;
        for (const [x, y] of spans) {
          if (left < y - x) return part.rows.at(x + left).item.row[f.value];
          left -= y - x;
        }
        return null;
      }
      case 'aggregate': {
        const [s, e] = this.frameOf(part, f.frame, at);
        let slider = sliders[index];
        if (slider === null) slider = sliders[index] = new Slider(this, part, f.aggregate, part.whole[index], s, e);
        else slider.move(s, e);
        const excluded = this.excluded(f.frame, at, s, e);
        return excluded.length === 0 ? slider.result() : slider.resultWithout(excluded, this.pieces([s, e], excluded));
      }
    }
  }

  /** The frame as spans of positions, the exclusion taken out. */
  private framePieces(part: Partition, frame: Frame, at: RowPlace): Span[] {
    const span = this.frameOf(part, frame, at);
    return this.pieces(span, this.excluded(frame, at, span[0], span[1]));
  }

  /** The spans EXCLUDE takes out of the frame [s, e), clipped to it. */
  private excluded(frame: Frame, at: RowPlace, s: number, e: number): Span[] {
    let spans: Span[];
    switch (frame.exclude) {
      case 'no others':
        return [];
      case 'current row':
        spans = [[at.position, at.position + 1]];
        break;
      case 'group':
        spans = [[at.groupStart, at.groupEnd]];
        break;
      case 'ties':
        spans = [
          [at.groupStart, at.position],
          [at.position + 1, at.groupEnd],
        ];
        break;
    }
    return spans.map(([x, y]): Span => [Math.max(x, s), Math.min(y, e)]).filter(([x, y]) => y > x);
  }

  /** [s, e) minus the (ordered, disjoint) excluded spans. */
  private pieces([s, e]: Span, excluded: Span[]): Span[] {
    const out: Span[] = [];
    let from = s;
    for (const [x, y] of excluded) {
      if (x > from) out.push([from, x]);
      from = Math.max(from, y);
    }
    if (e > from) out.push([from, e]);
    return out;
  }

  /** Adds (or with a negative diff retracts) diff copies of the entry's row to an accumulator. */
  contribute(acc: Accumulator, a: WindowAggregate, entry: Entry, diff: number): void {
    const row = entry.row;
    if (a.filter !== null && row[a.filter] !== true) return;
    const value = a.args.length > 0 ? row[a.args[0]!] : null;
    if (value === null && skipsNulls(a.fn)) return;
    const second = a.args.length > 1 ? row[a.args[1]!]! : null;
    if (second === null && skipsNullSecond(a.fn)) return;
    const c = this.scratch;
    c.value = value;
    c.delimiter = second;
    c.id = entry.key;
    if (diff > 0) c.seq = this.seq++;
    acc.update(c, diff);
  }

  /** Contributes the rows at positions [x, y) to acc, each copy times `sign`. */
  contributeSpan(part: Partition, acc: Accumulator, a: WindowAggregate, x: number, y: number, sign: 1 | -1): void {
    if (y <= x) return;
    for (const { item, position } of part.rows.from(x)) {
      if (position >= y) break;
      const copies = Math.min(position + item.count, y) - Math.max(position, x);
      this.contribute(acc, a, item, sign * copies);
    }
  }

  freshAccumulator(a: WindowAggregate): Accumulator {
    return this.newAccumulator(a);
  }
}

/**
 * One aggregate's accumulator sliding along the frames of consecutive rows: rows leaving the
 * frame are retracted, rows entering it added, so the frames of a span of rows cost the rows
 * they pass over. It starts either empty (adding its first frame) or, when that frame covers
 * most of the partition, from the partition's whole accumulator minus the rows outside the
 * frame, which `finish` adds back.
 */
class Slider {
  private readonly acc: Accumulator;
  private readonly borrowed: boolean;
  /** The accumulator holds exactly the rows at positions [s, e). */
  private s: number;
  private e: number;

  constructor(
    private readonly op: WindowOp,
    private readonly part: Partition,
    private readonly agg: WindowAggregate,
    whole: Accumulator | null,
    s: number,
    end: number,
  ) {
    const n = part.rows.total;
    const e = Math.max(s, end);
    this.s = s;
    this.e = e;
    this.borrowed = whole !== null && e - s > s + (n - e);
    if (this.borrowed) {
      this.acc = whole!;
      op.contributeSpan(part, this.acc, agg, 0, s, -1);
      op.contributeSpan(part, this.acc, agg, e, n, -1);
    } else {
      this.acc = op.freshAccumulator(agg);
      op.contributeSpan(part, this.acc, agg, s, e, 1);
    }
  }

  /** Moves to the next row's frame [s, end); both bounds never decrease along the partition. */
  move(s: number, end: number): void {
    const e = Math.max(s, end);
    // Retract what leaves at the front, then add what enters at the back (in order).
    this.op.contributeSpan(this.part, this.acc, this.agg, this.s, Math.min(s, this.e), -1);
    this.op.contributeSpan(this.part, this.acc, this.agg, Math.max(this.e, s), e, 1);
    this.s = s;
    this.e = e;
  }

  result(): Value {
    return this.acc.result();
  }

  /** The result over the current frame without the excluded spans (inside it). */
  resultWithout(excluded: Span[], pieces: Span[]): Value {
    if (!this.borrowed && !ORDER_INSENSITIVE.has(this.agg.fn)) {
      const fresh = this.op.freshAccumulator(this.agg);
      for (const [x, y] of pieces) this.op.contributeSpan(this.part, fresh, this.agg, x, y, 1);
      return fresh.result();
    }
    for (const [x, y] of excluded) this.op.contributeSpan(this.part, this.acc, this.agg, x, y, -1);
    const value = this.acc.result();
    for (const [x, y] of excluded) this.op.contributeSpan(this.part, this.acc, this.agg, x, y, 1);
    return value;
  }

  /** Gives a borrowed whole-partition accumulator its rows outside the last frame back. */
  finish(): void {
    if (!this.borrowed) return;
    const n = this.part.rows.total;
    this.op.contributeSpan(this.part, this.acc, this.agg, 0, this.s, 1);
    this.op.contributeSpan(this.part, this.acc, this.agg, this.e, n, 1);
  }
}

function compareKey(a: Value, b: Value, k: { desc: boolean; nullsFirst: boolean }): number {
  if (a === null || b === null) return compareNullable(a, b, k.nullsFirst);
  const c = compareNullable(a, b, false);
  return k.desc ? -c : c;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** The first i in [0, n) for which the (false..., true...) predicate holds, n if none. */
function firstIndex(n: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** PostgreSQL's ntile: n rows into `buckets` buckets, the first n % buckets one row larger. */
function ntile(position: number, n: number, buckets: number): number {
  const per = Math.floor(n / buckets);
  const larger = n % buckets;
  const cut = larger * (per + 1);
  if (position < cut) return Math.floor(position / (per + 1)) + 1;
  return larger + Math.floor((position - cut) / per) + 1;
}

function frameText(f: Frame): string {
  const bound = (b: FrameBound, start: boolean) =>
    b.kind === 'unbounded' ? `unbounded ${start ? 'preceding' : 'following'}` : b.kind === 'current' ? 'current row' : `${f.unit === 'range' ? 'offset' : b.offset} ${b.kind}`;
  const exclude = f.exclude === 'no others' ? '' : ` exclude ${f.exclude}`;
  return ` (${f.unit} ${bound(f.start, true)}..${bound(f.end, false)}${exclude})`;
}
