/**
 * GROUP BY and global aggregates, maintained incrementally. Each group keeps one accumulator per
 * aggregate call and its last emitted row; a cycle updates the touched groups and emits, for each
 * whose row changed, the retraction of the old row and the new row.
 *
 * Input kinds: 'general' keeps retraction state; 'append' keeps running values only (a retraction
 * is a planner bug and throws); 'stream' ignores retractions altogether, so the aggregate covers
 * every row the stream ever carried.
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import { RowErrors } from '../row-errors.js';
import type { SqlError } from '../../errors.js';
import type { InputKind, Operator, RowFn } from '../operator.js';
import { identityKey, rowKey, sameRow } from '../../types/compare.js';
import type { Value } from '../../types/types.js';
import {
  type Accumulator,
  type AggregateFn,
  type ArgKind,
  type Contribution,
  createAccumulator,
  skipsNullSecond,
  skipsNulls,
} from './accumulators.js';

export type { AggregateFn, ArgKind } from './accumulators.js';

export interface AggregateSpec {
  fn: AggregateFn;
  /** Compiled arguments: none for count(*), one for most, two for string_agg (value, delimiter). */
  args: RowFn<Value>[];
  distinct: boolean;
  /** FILTER (WHERE ...): rows for which it is not true do not contribute. */
  filter?: RowFn<boolean>;
  /** ORDER BY inside the call (string_agg, array_agg). */
  orderBy?: { keys: RowFn<Value[]>; compare: (a: Value[], b: Value[]) => number };
  argKind: ArgKind;
}

export interface AggregateOpSpec {
  groupKey: RowFn<Value[]>;
  aggregates: AggregateSpec[];
  /** No GROUP BY: exactly one output row, even over an empty input. */
  global: boolean;
  input: InputKind;
}

interface Group {
  readonly key: Value[];
  /** rowKey(key), to drop the group when it empties. */
  readonly mapKey: string;
  /** Rows currently in the group (a group with none disappears, unless global). */
  rows: number;
  readonly accs: Accumulator[];
  /** The row last emitted for the group, null if none, and its rowKey (to retract it without serializing it again). */
  output: Row | null;
  outputKey: string;
}

/** Whether some aggregate needs to know which row contributed (arrival-ordered state). */
function needsRowIdentity(spec: AggregateOpSpec): boolean {
  if (spec.input !== 'general') return false;
  return spec.aggregates.some((a) => a.fn === 'first' || a.fn === 'last' || ((a.fn === 'string_agg' || a.fn === 'array_agg') && !a.distinct));
}

export class AggregateOp implements Operator {
  readonly arity = 1;
  private readonly groups = new Map<string, Group>();
  private readonly trackIdentity: boolean;
  private readonly scratch: Contribution = { value: null, delimiter: null, order: null, id: '', seq: 0 };
  /** Per aggregate call: whether NULL arguments are skipped. */
  private readonly skipNull: boolean[];
  private readonly skipNullSecond: boolean[];
  /** Per aggregate call, for the row being added: whether it contributes, and its evaluated inputs. */
  private readonly included: boolean[];
  private readonly values: Value[];
  private readonly delimiters: Value[];
  private readonly orders: (Value[] | null)[];
  private readonly errors = new RowErrors();
  private seq = 0;
  private started = false;

  constructor(private readonly spec: AggregateOpSpec) {
    this.trackIdentity = needsRowIdentity(spec);
    this.skipNull = spec.aggregates.map((a) => skipsNulls(a.fn));
    this.skipNullSecond = spec.aggregates.map((a) => skipsNullSecond(a.fn));
    this.included = spec.aggregates.map(() => false);
    this.values = spec.aggregates.map(() => null);
    this.delimiters = spec.aggregates.map(() => null);
    this.orders = spec.aggregates.map(() => null);
    if (spec.global) this.groups.set('', this.newGroup([], ''));
  }

  describe(): string {
    const calls = this.spec.aggregates.map((a) => (a.distinct ? `${a.fn}(distinct)` : a.fn)).join(', ');
    const mode = this.spec.input === 'general' ? '' : ` over ${this.spec.input}`;
    return `${this.spec.global ? 'Aggregate' : 'HashAggregate'} ${calls}${mode}`;
  }

  step([input]: Batch[]): Batch {
    const out = new BatchBuilder();
    const touched = new Set<Group>();
    if (!this.started) {
      this.started = true;
      if (this.spec.global) touched.add(this.groups.get('')!);
    }
    const kind = this.spec.input;
    for (const c of input) {
      const { row, diff } = c;
      if (diff < 0) {
        if (kind === 'stream') continue;
        if (kind === 'append') throw new Error('aggregate over an append-only input received a retraction');
      }
      let group: Group;
      try {
        group = this.groupFor(row, touched);
        this.evaluate(row);
      } catch (err) {
        // Everything that can raise is evaluated before any state changes, so a failing row is
        // simply left out (and reported) while it is present.
        this.errors.record(c, err);
        continue;
      }
      group.rows += diff;
      this.contribute(group, this.trackIdentity ? changeKey(c) : '', diff);
    }
    for (const group of touched) {
      const next = group.rows > 0 || this.spec.global ? this.resultRow(group) : null;
      const prev = group.output;
      if (prev !== null && next !== null && sameRow(prev, next)) continue;
      if (prev !== null) out.addKeyed(group.outputKey, prev, -1);
      group.output = next;
      if (next !== null) {
        group.outputKey = identityKey(next);
        out.addKeyed(group.outputKey, next, 1);
      } else this.groups.delete(group.mapKey);
    }
    return out.finish();
  }

  private newGroup(key: Value[], mapKey: string): Group {
    const retractable = this.spec.input === 'general';
    const accs = this.spec.aggregates.map((a) =>
      createAccumulator({ fn: a.fn, argKind: a.argKind, retractable, orderCompare: a.orderBy?.compare }, a.distinct),
    );
    return { key, mapKey, rows: 0, accs, output: null, outputKey: '' };
  }

  /** The row's group, created on first sight; marks it touched for this cycle. */
  private groupFor(row: Row, touched: Set<Group>): Group {
    const key = this.spec.global ? [] : this.spec.groupKey(row);
    const k = this.spec.global ? '' : rowKey(key);
    let group = this.groups.get(k);
    if (group === undefined) {
      group = this.newGroup(key, k);
      this.groups.set(k, group);
    }
    touched.add(group);
    return group;
  }

  /** Evaluates every call's FILTER and arguments for a row into the per-call scratch arrays. */
  private evaluate(row: Row): void {
    const aggs = this.spec.aggregates;
    for (let i = 0; i < aggs.length; i++) {
      const a = aggs[i];
      this.included[i] = false;
      if (a.filter !== undefined && a.filter(row) !== true) continue;
      const value = a.args.length > 0 ? a.args[0](row) : null;
      if (value === null && this.skipNull[i]) continue;
      const second = a.args.length > 1 ? a.args[1](row) : null;
      if (second === null && this.skipNullSecond[i]) continue;
      this.values[i] = value;
      this.delimiters[i] = second;
      this.orders[i] = a.orderBy ? a.orderBy.keys(row) : null;
      this.included[i] = true;
    }
  }

  /** Adds the evaluated row (diff copies) to the group's accumulators. */
  private contribute(group: Group, id: string, diff: number): void {
    const c = this.scratch;
    c.id = id;
    if (diff > 0) c.seq = this.seq++;
    for (let i = 0; i < this.included.length; i++) {
      if (!this.included[i]) continue;
      c.value = this.values[i];
      c.delimiter = this.delimiters[i];
      c.order = this.orders[i];
      group.accs[i].update(c, diff);
    }
  }

  currentError(): SqlError | null {
    return this.errors.current();
  }

  private resultRow(group: Group): Row {
    const row: Row = group.key.slice();
    for (const acc of group.accs) row.push(acc.result());
    return row;
  }
}
