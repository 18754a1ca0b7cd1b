/**
 * One SUBSCRIBE: follows a relation's change feed (src/engine/change-feed.ts) and turns each
 * closed cycle into SUBSCRIBE's rows, `_ts, [_progressed,] _diff, columns...`, queued until the
 * client reads them (COPY, a bare SUBSCRIBE's rows, or FETCH from a cursor).
 *
 * The queue holds the cycles' batches as the engine delivered them, not rows made from them:
 * every subscriber of a relation gets the same batch object in a cycle, so COPY encodes each
 * change once for all of them (handlers/subscribe.ts), and a queued change costs a reference.
 *
 * The engine never waits for a reader: the queue has a bound, and a subscription whose reader
 * falls that far behind ends with 53200 and frees everything at once. Readers that keep up get
 * backpressure from their transport instead (COPY waits for the socket to drain before pulling
 * more rows from the queue).
 *
 * PROGRESS rows say "everything up to _ts is in": one after every closed cycle, and, while the
 * engine is idle (no input waiting, no timer due) and the sources feeding the relation are
 * running and caught up, one a second at the wall clock, so that a client tells a quiet relation
 * from a stalled feed, as Materialize's progress messages do.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { followChanges, type ChangeDelivery, type ChangeFeedListener } from '../engine/change-feed.js';
import type { Dataflow } from '../engine/dataflow.js';
import type { Batch } from '../engine/batch.js';
import { T, type SqlType, type Value } from '../types/types.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import type { FollowedRelation } from './query.js';

export interface SubscriptionOptions {
  snapshot: boolean;
  progress: boolean;
  /** Rows queued at most before the subscription ends with 53200. */
  bufferRows: number;
  /**
   * Whether every source feeding the relation is running and has read all its topic holds: only
   * then does an idle engine mean "nothing changed" rather than "a source is stalled".
   */
  feedsCaughtUp: () => boolean;
}

/** SUBSCRIBE's row shape: Materialize's order, with the progress flag before the diff. */
export function subscribeColumns(columns: RelationColumn[], progress: boolean): RelationColumn[] {
  const meta: RelationColumn[] = [{ name: '_ts', type: T.int8, typmod: -1 }];
  if (progress) meta.push({ name: '_progressed', type: T.bool, typmod: -1 });
  meta.push({ name: '_diff', type: T.int8, typmod: -1 });
  return [...meta, ...columns];
}

/** How often an idle subscription with PROGRESS says that time moved on. */
const IDLE_PROGRESS_MS = 1000;

/**
 * A stretch of queued SUBSCRIBE rows: rows [from, to) of one cycle's batch, or one progress row.
 * Readers take pieces; `subscribeRow` makes the wire row of a piece's element.
 */
export type QueuedPiece =
  | { kind: 'changes'; time: number; batch: Batch; from: number; to: number }
  | { kind: 'progress'; time: number };


export class Subscription implements ChangeFeedListener {
  readonly columns: RelationColumn[];
  readonly types: SqlType[];
  private queue: QueuedPiece[] = [];
  private head = 0;
  /** Rows in the queue's pieces from `head` on. */
  private queuedRows = 0;
  private error: SqlError | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly stopFeed: () => void;
  private readonly nulls: null[];
  private lastProgress = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private detached = false;
  /** Queued rows of the snapshot not read yet: they are the relation's contents, not lag, so the bound leaves them out. */
  private snapshotLeft = 0;

  constructor(
    private readonly flow: Dataflow,
    private readonly followed: FollowedRelation,
    private readonly options: SubscriptionOptions,
  ) {
    this.columns = subscribeColumns(followed.columns, options.progress);
    this.types = this.columns.map((c) => c.type);
    this.nulls = followed.columns.map(() => null);
    try {
      this.stopFeed = followChanges(this.flow, followed.node, this, { snapshot: options.snapshot });
    } catch (err) {
      followed.dispose();
      throw err;
    }
    if (options.progress) {
      // The first progress row says where the subscription starts (after its snapshot, if any).
      if (!options.snapshot) this.progressRow(flow.cycleTime);
      this.idleTimer = setInterval(() => this.idleProgress(), IDLE_PROGRESS_MS);
      this.idleTimer.unref();
    }
  }

  // --- ChangeFeedListener (called inside the engine's cycle: queue and return) ----------------

  changes({ time, batch, snapshot }: ChangeDelivery): void {
    if (this.closed) return;
    if (snapshot) this.snapshotLeft = batch.length;
    if (batch.length > 0) {
      this.queue.push({ kind: 'changes', time, batch, from: 0, to: batch.length });
      this.queuedRows += batch.length;
    }
    if (this.options.progress) this.progressRow(time);
    if (this.ready - this.snapshotLeft > this.options.bufferRows) {
      this.end(new SqlError(SQLSTATE.outOfMemory, `subscriber fell too far behind: more than ${this.options.bufferRows} rows were waiting to be read`, {
        hint: 'Read the subscription faster, or raise eddy.subscribe_buffer_rows.',
      }), true);
      return;
    }
    // a cycle that changed nothing this subscription follows (another table's write, DDL) has
    // nothing for the reader: waking it would end a FETCH that waits for a row with none
    if (this.queuedRows > 0) this.notify();
  }

  ended(error: SqlError): void {
    this.end(error, false);
  }

  // --- the reader's side -----------------------------------------------------------------------

  /** Rows queued and not yet taken. */
  get ready(): number {
    return this.queuedRows;
  }

  /**
   * Up to `max` queued rows (possibly none) as the wire rows `_ts, [_progressed,] _diff,
   * columns`. Once the queue is empty, an ended subscription throws its error; a closed one
   * returns null.
   */
  take(max: number): Value[][] | null {
    const pieces = this.takePieces(max);
    return pieces && this.rowsOf(pieces);
  }

  /** The wire rows of taken pieces. */
  rowsOf(pieces: QueuedPiece[]): Value[][] {
    const rows: Value[][] = [];
    for (const piece of pieces) {
      if (piece.kind === 'progress') rows.push(this.subscribeRow(piece, 0));
      else for (let i = piece.from; i < piece.to; i++) rows.push(this.subscribeRow(piece, i));
    }
    return rows;
  }

  /** Up to `max` queued rows as pieces (possibly none); errors and the end as for take(). */
  takePieces(max: number): QueuedPiece[] | null {
    if (this.queuedRows === 0) {
      if (this.error) throw this.error;
      return this.closed ? null : [];
    }
    const pieces: QueuedPiece[] = [];
    let left = max;
    while (left > 0 && this.head < this.queue.length) {
      const piece = this.queue[this.head]!;
      if (piece.kind === 'progress') {
        pieces.push(piece);
        left--;
        this.head++;
        continue;
      }
      const n = Math.min(left, piece.to - piece.from);
      pieces.push({ ...piece, to: piece.from + n });
      piece.from += n;
      left -= n;
      if (piece.from === piece.to) this.head++;
    }
    const taken = max - left;
    this.queuedRows -= taken;
    this.snapshotLeft = Math.max(0, this.snapshotLeft - taken);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return pieces;
  }

  /** The wire row of a piece's element `i` (a progress piece has one, at any i). */
  subscribeRow(piece: QueuedPiece, i: number): Value[] {
    const ts = BigInt(piece.time);
    if (piece.kind === 'progress') return [ts, true, null, ...this.nulls];
    const { row, diff } = piece.batch[i]!;
    return this.options.progress ? [ts, false, BigInt(diff), ...row] : [ts, BigInt(diff), ...row];
  }

  /**
   * Resolves once a row is queued, the subscription ended, or `timeoutMs` passed (null: no
   * limit). Rejects with the reason `onCancel` gives (57014) when it fires first.
   */
  wait(timeoutMs: number | null, onCancel: (listener: (reason: SqlError) => void) => () => void): Promise<void> {
    if (this.ready > 0 || this.closed || this.error) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (err?: SqlError) => {
        this.wake = null;
        clearTimeout(timer);
        stopCancel();
        if (err) reject(err);
        else resolve();
      };
      const stopCancel = onCancel((reason) => done(reason));
      if (timeoutMs !== null) timer = setTimeout(() => done(), timeoutMs);
      this.wake = () => done();
    });
  }

  /** Stops following and removes what was built for it; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropQueue();
    this.detach();
    this.notify();
  }

  private detach(): void {
    if (this.detached) return;
    this.detached = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
    this.stopFeed();
    this.followed.dispose();
  }

  private end(error: SqlError, dropQueued: boolean): void {
    if (this.error || this.closed) return;
    this.error = error;
    if (dropQueued) this.dropQueue();
    this.detach();
    this.notify();
  }

  private dropQueue(): void {
    this.queue = [];
    this.head = 0;
    this.queuedRows = 0;
  }

  private progressRow(time: number): void {
    this.lastProgress = time;
    this.queue.push({ kind: 'progress', time });
    this.queuedRows++;
  }

  /** Nothing is waiting to run, so nothing can change before now: say so. */
  private idleProgress(): void {
    const flow = this.flow;
    const now = Date.now();
    const wakeup = flow.nextWakeup();
    if (flow.hasPendingInput() || (wakeup !== null && wakeup <= now) || !this.options.feedsCaughtUp()) return;
    const time = Math.max(now, flow.cycleTime);
    if (time <= this.lastProgress) return;
    this.progressRow(time);
    this.notify();
  }

  private notify(): void {
    this.wake?.();
  }
}
