/**
 * The dataflow graph and its update cycle.
 *
 * Nodes are inputs (tables, sources, constants) and operators; a node can only consume nodes
 * created before it, so creation order is a topological order. runCycle drains the inputs,
 * runs every node whose inputs changed (or that has pending work) once, in that order, applies
 * the outputs to the arrangements and then tells the listeners what changed. Reads happen between
 * cycles, so every arrangement is seen at one consistent cycle.
 *
 * Nodes added to a running graph are hydrated in their first cycle: where a new node consumes an
 * older one, it receives that node's whole current contents (from its arrangement) instead of
 * just the cycle's change, so a view created over existing tables starts complete.
 *
 * Errors come in two kinds. A row whose expression raises a SqlError in a filter or projection
 * (division by zero) is left out while it is present and the relations downstream read as that
 * error until it is retracted, as in Materialize. Any other exception thrown by an operator fails
 * that node and everything downstream for good: they stop updating and their arrangements carry
 * the error, while the rest of the graph goes on.
 */
import type { Batch, Row } from './batch.js';
import type { Operator, StepContext } from './operator.js';
import { Arrangement, type CycleInfo } from './arrangement.js';
import { ConstantBuffer, createInputBuffer, type InputBuffer, type InputTableKind } from './inputs.js';
import { consolidate } from './batch-builder.js';
import { asSqlError, type SqlError } from '../errors.js';

export type { InputTableKind } from './inputs.js';

const EMPTY: Batch = [];

export class Node {
  /** The consumers of this node's output. */
  readonly consumers = new Set<Node>();
  /** Present when the node's contents are kept (materialize, and always for inputs). */
  arrangement: Arrangement | null = null;
  /** The node's output change in the current (or last) cycle. */
  output: Batch = EMPTY;
  /** The cycle in which the node first ran; 0 until then (it is hydrated in its first cycle). */
  firstCycle = 0;
  /** A permanent failure: the node no longer runs. */
  failed: SqlError | null = null;
  /** A row error present in this node or upstream of it (see Operator.currentError). */
  rowError: SqlError | null = null;
  /** Told when the node leaves the dataflow (Dataflow.onRemove). */
  readonly removalListeners = new Set<() => void>();

  constructor(
    readonly id: number,
    readonly op: Operator | null,
    readonly inputs: readonly Node[],
  ) {}

  describe(): string {
    return this.op ? this.op.describe() : 'Input';
  }
}

/** A table, source or constant: rows come from push. */
export class InputNode extends Node {
  constructor(
    id: number,
    readonly name: string,
    readonly kind: InputTableKind,
    readonly buffer: InputBuffer,
    private readonly onPush: () => void,
  ) {
    super(id, null, []);
  }

  /** Buffers changes for the next cycle (additions only unless the input is 'general'). */
  push(batch: Batch): void {
    if (batch.length === 0) return;
    this.buffer.push(batch);
    this.onPush();
  }

  /** Buffers rows as additions. */
  insert(rows: Row[]): void {
    this.push(rows.map((row) => ({ row, diff: 1 })));
  }

  override describe(): string {
    const kind = typeof this.kind === 'object' ? `ring ${this.kind.ring}` : this.kind;
    return `Input ${this.name} (${kind})`;
  }
}

export type CycleListener = (info: CycleInfo) => void;

export class Dataflow {
  private nodes: Node[] = [];
  private nextId = 1;
  private cycle = 0;
  private lastTime = 0;
  private running = false;
  private readonly cycleListeners = new Set<CycleListener>();
  private readonly wakeListeners = new Set<() => void>();

  /** Creates an input node. Its arrangement always holds its current rows. */
  input(name: string, kind: InputTableKind): InputNode {
    return this.addInput(name, kind, createInputBuffer(kind));
  }

  /**
   * A node whose contents are fixed rows (VALUES, or a snapshot of a relation for a one-shot
   * query). Snapshotting a relation whose computation failed raises that relation's error, so a
   * read of a broken view reports why instead of showing it empty.
   */
  constant(contents: Row[] | Arrangement, name = 'constant'): InputNode {
    if (contents instanceof Arrangement && contents.error) throw contents.error;
    const batch = contents instanceof Arrangement ? contents.snapshot() : consolidate(contents.map((row) => ({ row, diff: 1 })));
    return this.addInput(name, 'general', new ConstantBuffer(batch));
  }

  private addInput(name: string, kind: InputTableKind, buffer: InputBuffer): InputNode {
    const node = new InputNode(this.nextId++, name, kind, buffer, () => this.wake());
    node.arrangement = new Arrangement();
    this.nodes.push(node);
    this.wake();
    return node;
  }

  /**
   * Adds an operator over existing nodes. A node that has already run can only be consumed if it
   * keeps an arrangement (inputs and materialized nodes do), since the new operator needs its contents.
   */
  add(op: Operator, inputs: Node[]): Node {
    if (inputs.length !== op.arity) throw new Error(`${op.describe()} takes ${op.arity} inputs, got ${inputs.length}`);
    for (const input of inputs) {
      if (!this.nodes.includes(input)) throw new Error(`node ${input.id} is not part of this dataflow`);
      if (input.firstCycle > 0 && input.arrangement === null) {
        throw new Error(`node ${input.id} (${input.describe()}) has run without an arrangement and cannot feed a new operator`);
      }
    }
    const node = new Node(this.nextId++, op, inputs);
    for (const input of inputs) input.consumers.add(node);
    this.nodes.push(node);
    this.wake();
    return node;
  }

  /**
   * Keeps the node's contents in an arrangement (idempotent). Must happen before the node's first
   * cycle. `replacesRows`: the node's rows are replaced as its inputs change (see Arrangement).
   */
  materialize(node: Node, replacesRows = false): Arrangement {
    if (node.arrangement) return node.arrangement;
    if (node.firstCycle > 0) throw new Error(`node ${node.id} (${node.describe()}) has already run: materialize it when it is created`);
    node.arrangement = new Arrangement(replacesRows);
    if (node.failed) node.arrangement.error = node.failed;
    return node.arrangement;
  }

  /**
   * Removes a node that nothing consumes any more (DROP), and then every operator upstream of it
   * that is left without consumers and without an arrangement of its own. Inputs and materialized
   * nodes upstream stay: they belong to other catalog objects, which drop them explicitly.
   */
  remove(node: Node): void {
    if (node.consumers.size > 0) throw new Error(`node ${node.id} (${node.describe()}) still has consumers`);
    const i = this.nodes.indexOf(node);
    if (i < 0) return;
    this.nodes.splice(i, 1);
    node.op?.dispose?.();
    for (const input of node.inputs) {
      input.consumers.delete(node);
      if (input.consumers.size === 0 && input.op !== null && input.arrangement === null) this.remove(input);
    }
    const listeners = [...node.removalListeners];
    node.removalListeners.clear();
    for (const l of listeners) l();
  }

  /**
   * Removes a node together with everything still downstream of it (DROP of a relation that
   * subscriptions or other catalog-less nodes read: they end, told through onRemove).
   */
  removeWithDependents(node: Node): void {
    const doomed = new Set<Node>([node]);
    // Creation order is topological, so one pass finds every node downstream.
    for (const n of this.nodes) if (n.inputs.some((i) => doomed.has(i))) doomed.add(n);
    for (const n of [...doomed].reverse()) this.remove(n);
  }

  /** Calls listener once when `node` leaves the dataflow; returns the unsubscribe function. */
  onRemove(node: Node, listener: () => void): () => void {
    node.removalListeners.add(listener);
    return () => node.removalListeners.delete(listener);
  }

  /** The number of nodes in the graph (tests check that temporary nodes go away). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Is a cycle needed: input buffered since the last cycle, or nodes waiting to be hydrated? */
  hasPendingInput(): boolean {
    for (const node of this.nodes) {
      if (node.firstCycle === 0 && !node.failed) return true;
      if (node instanceof InputNode && node.buffer.hasBuffered) return true;
    }
    return false;
  }

  /** The earliest time (ms since the epoch) at which some operator wants a cycle without new input. */
  nextWakeup(): number | null {
    let earliest: number | null = null;
    for (const node of this.nodes) {
      const t = node.failed ? null : (node.op?.nextWakeup?.() ?? null);
      if (t !== null && (earliest === null || t < earliest)) earliest = t;
    }
    return earliest === null ? null : Math.ceil(earliest / 1000);
  }

  /** Called after every cycle with the changes of all arrangements; returns the unsubscribe function. */
  onCycle(listener: CycleListener): () => void {
    this.cycleListeners.add(listener);
    return () => this.cycleListeners.delete(listener);
  }

  /** Called whenever input is pushed or nodes are added (the Scheduler uses it). */
  onWake(listener: () => void): () => void {
    this.wakeListeners.add(listener);
    return () => this.wakeListeners.delete(listener);
  }

  /** The number of the last cycle run (0 before the first). */
  get cycleNumber(): number {
    return this.cycle;
  }

  /** The time (ms since the epoch) of the last cycle run (0 before the first). */
  get cycleTime(): number {
    return this.lastTime;
  }

  /** The number of cycle listeners (tests check that subscriptions leave none behind). */
  get cycleListenerCount(): number {
    return this.cycleListeners.size;
  }

  /**
   * Runs one update cycle at time `now` (ms since the epoch; forced to be non-decreasing).
   * Returns whether any node produced a change.
   */
  runCycle(now: number = Date.now()): boolean {
    // A listener that ran a cycle from inside a cycle would see half-updated state.
    if (this.running) throw new Error('runCycle called from within a cycle (a listener must not run cycles)');
    this.running = true;
    try {
      return this.cycleAt(now);
    } finally {
      this.running = false;
    }
  }

  private cycleAt(now: number): boolean {
    const time = Math.max(now, this.lastTime);
    this.lastTime = time;
    const ctx: StepContext = { time: time * 1000, cycle: ++this.cycle };
    const changes = new Map<Arrangement, Batch>();
    const failed = new Map<Arrangement, SqlError>();
    let anything = false;
    for (const node of this.nodes) {
      node.output = EMPTY;
      if (node.failed) continue;
      let error: SqlError | null = null;
      for (const input of node.inputs) if (input.failed) error = input.failed;
      if (error === null) {
        try {
          node.output = this.runNode(node, ctx);
        } catch (err) {
          error = asSqlError(err);
        }
      }
      if (error !== null) {
        this.fail(node, error);
        if (node.arrangement) failed.set(node.arrangement, error);
        continue;
      }
      this.trackRowError(node, failed);
      if (node.firstCycle === 0) node.firstCycle = ctx.cycle;
      if (node.output.length === 0) continue;
      anything = true;
      if (node.arrangement) {
        node.arrangement.apply(node.output);
        changes.set(node.arrangement, node.output);
      }
    }
    const info: CycleInfo = { cycle: ctx.cycle, time, changes, failed };
    for (const [arrangement, batch] of changes) arrangement.notify(batch, info);
    for (const listener of this.cycleListeners) listener(info);
    return anything;
  }

  /** The plan under a node as indented lines (EXPLAIN). */
  explain(node: Node, depth = 0): string[] {
    const lines = [`${'  '.repeat(depth)}${node.describe()}`];
    for (const input of node.inputs) lines.push(...this.explain(input, depth + 1));
    return lines;
  }

  private runNode(node: Node, ctx: StepContext): Batch {
    if (node instanceof InputNode) {
      if (!node.buffer.hasBuffered && !node.buffer.mustRun) return EMPTY;
      return node.buffer.drain();
    }
    const op = node.op!;
    const fresh = node.firstCycle === 0;
    let changed = fresh;
    const batches: Batch[] = node.inputs.map((input) => {
      // A new node reading an older one starts from that node's whole contents (add() made sure
      // older inputs keep an arrangement); the arrangement already includes this cycle's change.
      const older = input.firstCycle > 0 && input.firstCycle < ctx.cycle;
      const batch = fresh && older ? input.arrangement!.snapshot() : input.output;
      if (batch.length > 0) changed = true;
      return batch;
    });
    if (!changed && !(op.hasPendingWork?.(ctx) ?? false)) return EMPTY;
    return op.step(batches, ctx);
  }

  /** Carries row errors downstream; an arrangement reads as one while it is present anywhere upstream. */
  private trackRowError(node: Node, newlyFailed: Map<Arrangement, SqlError>): void {
    let error = node.op?.currentError?.() ?? null;
    for (const input of node.inputs) if (error === null) error = input.rowError;
    node.rowError = error;
    if (node.arrangement === null) return;
    if (error !== null && node.arrangement.error === null) newlyFailed.set(node.arrangement, error);
    node.arrangement.error = error;
  }

  private fail(node: Node, error: SqlError): void {
    node.failed = error;
    node.output = EMPTY;
    if (node.arrangement) {
      node.arrangement.error = error;
      node.arrangement.clear();
    }
  }

  private wake(): void {
    for (const l of this.wakeListeners) l();
  }
}
