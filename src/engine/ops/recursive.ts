/**
 * WITH RECURSIVE, maintained incrementally by iterating on deltas inside one update cycle.
 *
 * PostgreSQL evaluates `base UNION [ALL] step(t)` with a working table: W0 = base, then
 * W(k+1) = step(Wk) until it is empty; the result is every Wk (UNION ALL), or for UNION each
 * row once, Wk keeping only rows no earlier W had (W0 deduplicated too). This operator keeps
 * exactly those layers, each with its own incremental instance of the recursive term fed with
 * that layer's working table (DBSP's nested iteration: the iteration number is a second time
 * dimension, and every operator's state is kept per iteration). A change to the inputs then
 * flows layer by layer: layer k's instance receives the change of Wk and of the tables the term
 * reads, and its output change is the change of W(k+1) (UNION ALL), or of the candidate rows of
 * layer k+1 (UNION: a row belongs to the first layer that derives it, so a deletion moves it to
 * its next derivation or removes it, with no rows left supporting each other in a cycle).
 * Because each layer applies the term to its whole working table, the answer is PostgreSQL's
 * even for terms that are not linear (DISTINCT, outer joins in the term).
 *
 * Why this design: recomputing the recursion from its inputs on every change is not incremental;
 * counting derivations of the final result alone (without iterations) is wrong for cycles (rows
 * that derive each other survive the delete of their only outside support). Keeping iterations
 * apart is what makes deletes exact, at the cost of each iteration's operator state (a join in the
 * term keeps the table it reads once per iteration: memory grows with the recursion's depth).
 *
 * A layer whose working table is empty keeps no instance (the term of an empty working table is
 * empty): it is built again, from the tables' current contents, when rows reach it. A query that
 * still produces rows after `maxIterations` layers reads as a 54001 error (like a row error: it
 * goes away when a change makes the recursion converge within the limit).
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { Operator, StepContext } from '../operator.js';
import { SqlError } from '../../errors.js';

/** An instance of the recursive term: operators over slots (0: the working table, i: the op's input i). */
export type Circuit = { kind: 'slot'; index: number } | { kind: 'op'; op: Operator; inputs: Circuit[] };

export interface RecursiveSpec {
  /** UNION (each row once) or UNION ALL. */
  distinct: boolean;
  /** How many tables the recursive term reads (the op's inputs after the non-recursive term). */
  externals: number;
  /** A fresh instance of the recursive term. */
  body: () => Circuit;
  /** The most recursive-term evaluations that may produce rows (eddy.max_recursion_iterations). */
  maxIterations: number;
}

/** Rows with multiplicities, keyed like batches. */
class Multiset {
  readonly rows = new Map<string, { row: Row; count: number }>();

  apply(batch: Batch): void {
    for (const c of batch) this.add(changeKey(c), c.row, c.diff);
  }

  add(key: string, row: Row, diff: number): void {
    const slot = this.rows.get(key);
    if (!slot) this.rows.set(key, { row, count: diff });
    else if ((slot.count += diff) === 0) this.rows.delete(key);
  }

  contents(): Batch {
    return [...this.rows].map(([key, { row, count }]) => ({ row, diff: count, key }));
  }
}

interface Layer {
  /** The working table Wk. */
  readonly w: Multiset;
  /** The term's instance over Wk; null while Wk is empty. */
  circuit: Circuit | null;
}

/** UNION: a row's candidate counts per layer (how often layer k-1's term derived it; layer 0: base). */
interface Derivations {
  readonly row: Row;
  readonly counts: Map<number, number>;
  /** The layer the row belongs to before this cycle (undefined: not in the result). */
  depth: number | undefined;
}

export class RecursiveOp implements Operator {
  readonly arity: number;
  private readonly layers: Layer[] = [];
  private readonly tables: Multiset[];
  private readonly derivations = new Map<string, Derivations>();
  private overflow: SqlError | null = null;

  constructor(private readonly spec: RecursiveSpec) {
    this.arity = 1 + spec.externals;
    this.tables = Array.from({ length: spec.externals }, () => new Multiset());
  }

  describe(): string {
    return `Recursive ${this.spec.distinct ? 'Union' : 'Union All'}`;
  }

  currentError(): SqlError | null {
    if (this.overflow) return this.overflow;
    for (const layer of this.layers) {
      const e = layer.circuit ? circuitError(layer.circuit) : null;
      if (e) return e;
    }
    return null;
  }

  step([base, ...tableChanges]: Batch[], ctx: StepContext): Batch {
    tableChanges.forEach((b, i) => this.tables[i]!.apply(b));
    const out = new BatchBuilder();
    const limit = this.spec.maxIterations;
    // UNION: rows to look at again when the iteration reaches a given layer.
    const recheck = new Map<number, Map<string, Derivations>>();
    const touched = new Map<string, Derivations>();
    let candidates: Batch = base;
    // Layer limit + 1 only records what the term would still produce: rows there are the error.
    for (let k = 0; k <= limit + 1; k++) {
      const wChange = this.spec.distinct ? this.setLayerChange(k, candidates, recheck, touched) : candidates;
      const layer = (this.layers[k] ??= { w: new Multiset(), circuit: null });
      layer.w.apply(wChange);
      if (k === limit + 1) break;
      if (!this.spec.distinct) for (const c of wChange) out.addKeyed(changeKey(c), c.row, c.diff);
      candidates = this.runLayer(layer, wChange, tableChanges, ctx);
      const later = k + 1 < this.layers.length || candidates.length > 0 || [...recheck.keys()].some((j) => j > k);
      if (!later) break;
    }
    while (this.layers.length > 0 && this.layers[this.layers.length - 1]!.w.rows.size === 0) this.layers.pop();
    if (this.spec.distinct) this.finishSet(touched, out);
    this.overflow =
      this.layers.length > limit + 1
        ? new SqlError('54001', `recursive query did not finish within ${limit} iterations (eddy.max_recursion_iterations)`, {
            hint: 'Make sure the recursive term stops producing rows, or raise eddy.max_recursion_iterations.',
          })
        : null;
    return out.finish();
  }

  /** Steps layer k's term with the change of Wk and of the tables; returns the change of its output. */
  private runLayer(layer: Layer, wChange: Batch, tableChanges: Batch[], ctx: StepContext): Batch {
    if (layer.circuit === null) {
      if (layer.w.rows.size === 0) return [];
      // A new instance starts from the whole working table and the tables' current contents.
      layer.circuit = this.spec.body();
      return stepCircuit(layer.circuit, [layer.w.contents(), ...this.tables.map((t) => t.contents())], ctx);
    }
    const result = stepCircuit(layer.circuit, [wChange, ...tableChanges], ctx);
    if (layer.w.rows.size === 0) layer.circuit = null;
    return result;
  }

  /**
   * UNION: applies layer k's candidate changes and returns the change of Wk (rows whose first
   * derivation is now, or no longer, layer k). Layers below k are final for this cycle.
   */
  private setLayerChange(k: number, candidates: Batch, recheck: Map<number, Map<string, Derivations>>, touched: Map<string, Derivations>): Batch {
    const check = recheck.get(k) ?? new Map<string, Derivations>();
    recheck.delete(k);
    for (const c of candidates) {
      const key = changeKey(c);
      let d = this.derivations.get(key);
      if (!d) this.derivations.set(key, (d = { row: c.row, counts: new Map(), depth: undefined }));
      const n = (d.counts.get(k) ?? 0) + c.diff;
      if (n === 0) d.counts.delete(k);
      else d.counts.set(k, n);
      check.set(key, d);
    }
    const change: Batch = [];
    for (const [key, d] of check) {
      touched.set(key, d);
      const first = firstLayer(d);
      const was = d.depth === k;
      const is = first === k;
      if (was !== is) change.push({ row: d.row, diff: is ? 1 : -1, key });
      // Look again where the row may still enter (its next candidate layer) or leave (its old layer).
      const next = Math.min(first !== undefined && first > k ? first : Infinity, d.depth !== undefined && d.depth > k ? d.depth : Infinity);
      if (next !== Infinity) {
        const at = recheck.get(next) ?? new Map<string, Derivations>();
        at.set(key, d);
        recheck.set(next, at);
      }
    }
    return change;
  }

  /** UNION: the result's change (rows entering or leaving every layer), and each row's new layer. */
  private finishSet(touched: Map<string, Derivations>, out: BatchBuilder): void {
    const limit = this.spec.maxIterations;
    for (const [key, d] of touched) {
      const depth = firstLayer(d);
      const was = d.depth !== undefined && d.depth <= limit;
      const is = depth !== undefined && depth <= limit;
      if (was !== is) out.addKeyed(key, d.row, is ? 1 : -1);
      d.depth = depth;
      if (d.counts.size === 0) this.derivations.delete(key);
    }
  }
}

function firstLayer(d: Derivations): number | undefined {
  let first: number | undefined;
  for (const [k, n] of d.counts) if (n > 0 && (first === undefined || k < first)) first = k;
  return first;
}

function stepCircuit(c: Circuit, slots: Batch[], ctx: StepContext): Batch {
  if (c.kind === 'slot') return slots[c.index]!;
  return c.op.step(
    c.inputs.map((i) => stepCircuit(i, slots, ctx)),
    ctx,
  );
}

function circuitError(c: Circuit): SqlError | null {
  if (c.kind === 'slot') return null;
  for (const i of c.inputs) {
    const e = circuitError(i);
    if (e) return e;
  }
  return c.op.currentError?.() ?? null;
}
