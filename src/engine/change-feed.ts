/**
 * The one way the engine tells its readers of changes (SUBSCRIBE, sinks) about closed cycles:
 * a listener attached to a node that keeps an arrangement hears, for every cycle that closes after
 * it attached, that relation's consolidated change in the cycle (possibly empty: "nothing changed"
 * is news too, SUBSCRIBE's progress rows tell it). Optionally the first delivery is the
 * arrangement's snapshot, as additions. The feed ends with an error when the relation goes into
 * error or leaves the dataflow (DROP); after that, nothing more is delivered.
 *
 * Deliveries run inside the cycle's listener phase (synchronously, after every arrangement is
 * updated): a listener must not run cycles or block, only buffer what it needs.
 */
import type { Batch } from './batch.js';
import type { Dataflow, Node } from './dataflow.js';
import { SqlError, SQLSTATE } from '../errors.js';

/** One closed cycle, as a reader of changes sees it. */
export interface ChangeDelivery {
  /** The cycle's time, ms since the epoch (SUBSCRIBE's _ts). */
  readonly time: number;
  /** The cycle's number. */
  readonly cycle: number;
  /** The relation's consolidated change in this cycle; empty when it did not change. */
  readonly batch: Batch;
  /** True for the snapshot delivery (the relation's whole contents as additions; see unconsolidatedSnapshot). */
  readonly snapshot: boolean;
}

export interface ChangeFeedListener {
  changes(delivery: ChangeDelivery): void;
  /** The relation went into error or was dropped; the feed has already detached. */
  ended(error: SqlError): void;
}

export interface FollowOptions {
  /** Start with the arrangement's current contents (delivered before followChanges returns). */
  snapshot: boolean;
  /**
   * The snapshot may repeat a row instead of counting it (Arrangement.additions: cheaper for an
   * append-only relation); for listeners that treat it as a multiset of rows. Default false.
   */
  unconsolidatedSnapshot?: boolean;
}

/**
 * Attaches `listener` to `node`'s arrangement and returns the function that detaches it. Throws
 * the relation's error when it is in error already. A node that has not run yet delivers its
 * first cycle (which hydrates it with its whole contents) as the snapshot, or skips it without one.
 */
export function followChanges(flow: Dataflow, node: Node, listener: ChangeFeedListener, options: FollowOptions): () => void {
  const arrangement = node.arrangement;
  if (arrangement === null) throw new Error(`node ${node.id} (${node.describe()}) keeps no arrangement to follow`);
  if (arrangement.error) throw arrangement.error;
  let hydrating = node.firstCycle === 0;
  if (options.snapshot && !hydrating) {
    const batch = options.unconsolidatedSnapshot ? arrangement.additions() : arrangement.snapshot();
    listener.changes({ time: flow.cycleTime, cycle: flow.cycleNumber, batch, snapshot: true });
  }
  let detached = false;
  const detach = (): void => {
    if (detached) return;
    detached = true;
    stopCycles();
    stopRemoval();
  };
  const end = (error: SqlError): void => {
    detach();
    listener.ended(error);
  };
  const stopCycles = flow.onCycle((info) => {
    const error = info.failed.get(arrangement);
    if (error) return end(error);
    const batch = info.changes.get(arrangement) ?? [];
    if (hydrating) {
      if (node.firstCycle === 0) return; // not run in this cycle (it waits for its first)
      hydrating = false;
      if (!options.snapshot) return;
      return listener.changes({ time: info.time, cycle: info.cycle, batch, snapshot: true });
    }
    listener.changes({ time: info.time, cycle: info.cycle, batch, snapshot: false });
  });
  const stopRemoval = flow.onRemove(node, () => end(new SqlError(SQLSTATE.undefinedTable, 'the relation being followed was dropped')));
  return detach;
}
