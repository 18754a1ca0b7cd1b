/**
 * Randomized property testing for incremental operators: random batches of inserts and deletes
 * go through the operator, the emitted batches are summed, and after every step the sum must equal
 * a from-scratch recomputation of the operator's definition over everything fed so far.
 */
import assert from 'node:assert/strict';
import type { Batch, Row } from '../../src/engine/batch.js';
import type { Operator } from '../../src/engine/operator.js';
import { rowKey } from '../../src/types/compare.js';
import type { Value } from '../../src/types/types.js';
import { mulberry32 } from '../support/prng.js';

/** The shared seeded PRNG, under the name these tests use. */
export const rng = mulberry32;

/** A batch without the optional row keys operators attach, for comparing changes. */
export function plain(batch: Batch): { row: Row; diff: number }[] {
  return batch.map(({ row, diff }) => ({ row, diff }));
}


export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Rows in arrival order; a deletion removes the earliest arrived copy, as the engine does. */
export class ArrivalList {
  readonly rows: Row[] = [];
  apply(batch: Batch): void {
    for (const { row, diff } of batch) {
      if (diff > 0) for (let i = 0; i < diff; i++) this.rows.push(row);
      else {
        const k = rowKey(row);
        for (let i = 0; i < -diff; i++) {
          const at = this.rows.findIndex((r) => rowKey(r) === k);
          assert.ok(at >= 0, 'generator deleted a row that is not present');
          this.rows.splice(at, 1);
        }
      }
    }
  }
}

export type InputMode = 'general' | 'append' | 'stream';

/**
 * A random consolidated batch over `present` (the input's rows so far): inserts of generated rows
 * and, for general inputs, deletions of present rows (never more copies than present). Stream
 * inputs get the previous batch's rows retracted, as a stream input node would.
 */
export function randomBatch(rand: () => number, present: Row[], makeRow: () => Row, mode: InputMode, maxChanges = 6): Batch {
  const diffs = new Map<string, { row: Row; diff: number }>();
  const counts = new Map<string, number>();
  for (const r of present) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
  const n = Math.floor(rand() * (maxChanges + 1));
  for (let i = 0; i < n; i++) {
    if (mode === 'general' && present.length > 0 && rand() < 0.4) {
      const row = pick(rand, present);
      const k = rowKey(row);
      const slot = diffs.get(k) ?? { row, diff: 0 };
      if ((counts.get(k) ?? 0) + slot.diff > 0) {
        slot.diff -= 1;
        diffs.set(k, slot);
      }
    } else {
      const row = makeRow();
      const k = rowKey(row);
      const slot = diffs.get(k) ?? { row, diff: 0 };
      slot.diff += rand() < 0.2 ? 2 : 1;
      diffs.set(k, slot);
    }
  }
  const batch: Batch = [];
  for (const { row, diff } of diffs.values()) if (diff !== 0) batch.push({ row, diff });
  return batch;
}

/** A multiset of rows, for summing emitted batches. */
export class Multiset {
  private readonly m = new Map<string, { row: Row; count: number }>();
  apply(batch: Batch): void {
    for (const { row, diff } of batch) {
      const k = rowKey(row);
      const slot = this.m.get(k) ?? { row, count: 0 };
      slot.count += diff;
      if (slot.count === 0) this.m.delete(k);
      else this.m.set(k, slot);
    }
  }
  static of(rows: Row[]): Multiset {
    const ms = new Multiset();
    ms.apply(rows.map((row) => ({ row, diff: 1 })));
    return ms;
  }
  /** Canonical listing for assertions: [key, count] sorted by key. */
  listing(): [string, number][] {
    return [...this.m.entries()].map(([k, v]): [string, number] => [k, v.count]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
}

/** Asserts the invariants every operator output must have: consolidated, no zero diffs. */
export function assertConsolidated(batch: Batch, context: string): void {
  const seen = new Set<string>();
  for (const { row, diff } of batch) {
    assert.notEqual(diff, 0, `${context}: zero diff`);
    const k = rowKey(row);
    assert.ok(!seen.has(k), `${context}: row ${k} appears twice`);
    seen.add(k);
  }
}

export interface PropertyCase {
  name: string;
  /** A fresh operator for one run. */
  make: () => Operator;
  /** Row generators, one per input. */
  rows: ((rand: () => number) => Row)[];
  /** The input kinds, one per input (default general). */
  modes?: InputMode[];
  /** The operator's definition over the inputs' current rows (in arrival order), and, for stream inputs, every row ever added. */
  reference: (inputs: Row[][], everAdded: Row[][]) => Row[];
  steps?: number;
  runs?: number;
  /** Maps output and reference rows to a comparable form (e.g. rounding numeric results). */
  normalize?: (row: Row) => Row;
}

/** Runs the randomized comparison; the seed of a failing run is in the assertion message. */
export function checkProperty(c: PropertyCase): void {
  // EDDY_PROPERTY_SCALE=10 runs ten times as many random cases (a soak run); seeds stay fixed.
  const runs = (c.runs ?? 30) * Number(process.env.EDDY_PROPERTY_SCALE ?? 1);
  const steps = c.steps ?? 25;
  for (let run = 0; run < runs; run++) {
    const seed = 1000 + run;
    const rand = rng(seed);
    const op = c.make();
    const lists = c.rows.map(() => new ArrivalList());
    const ever: Row[][] = c.rows.map(() => []);
    const lastStream: Batch[] = c.rows.map(() => []);
    const output = new Multiset();
    for (let step = 0; step < steps; step++) {
      const batches = c.rows.map((gen, i) => {
        const mode = c.modes?.[i] ?? 'general';
        let batch = randomBatch(rand, lists[i].rows, () => gen(rand), mode);
        if (mode === 'stream') {
          const retract = lastStream[i].map(({ row, diff }) => ({ row, diff: -diff }));
          lastStream[i] = batch;
          batch = consolidateForTest([...retract, ...batch]);
        }
        return batch;
      });
      batches.forEach((b, i) => {
        lists[i].apply(b);
        for (const { row, diff } of b) for (let k = 0; k < diff; k++) ever[i].push(row);
      });
      const context = `${c.name} seed ${seed} step ${step}`;
      const out = op.step(batches, { time: step * 1000, cycle: step + 1 });
      assertConsolidated(out, context);
      output.apply(c.normalize ? out.map(({ row, diff }) => ({ row: c.normalize!(row), diff })) : out);
      const reference = c.reference(lists.map((l) => l.rows.slice()), ever.map((e) => e.slice()));
      const expected = Multiset.of(c.normalize ? reference.map(c.normalize) : reference);
      assert.deepEqual(output.listing(), expected.listing(), context);
    }
  }
}

function consolidateForTest(batch: Batch): Batch {
  const m = new Map<string, { row: Row; diff: number }>();
  for (const { row, diff } of batch) {
    const k = rowKey(row);
    const slot = m.get(k) ?? { row, diff: 0 };
    slot.diff += diff;
    m.set(k, slot);
  }
  return [...m.values()].filter((s) => s.diff !== 0);
}

/** A small value domain (with NULLs) so that keys collide often. */
export function smallInt(rand: () => number, n = 4, nullRate = 0.1): Value {
  return rand() < nullRate ? null : Math.floor(rand() * n);
}
