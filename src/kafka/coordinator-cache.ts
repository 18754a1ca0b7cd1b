/**
 * Remembers a transactional producer's transaction coordinator. kafkajs 2.2.4 looks it up
 * (FindCoordinator) before every AddPartitionsToTxn and every EndTxn: two of the five round
 * trips of each sink transaction, one at a time, which at 10k msg/s under load is a good part
 * of a message's latency. The Java client keeps the coordinator until a request to it fails.
 *
 * kafkajs does not expose its cluster object, so this wraps the private factory a Kafka client
 * builds clusters with (found by its symbol's description; if a kafkajs version lacks it,
 * nothing is cached and nothing else changes). The cache is dropped whenever kafkajs refreshes
 * metadata, which it does after every retriable error (NOT_COORDINATOR among them) before it
 * retries, and a sink whose write fails opens a new producer, with a new cluster. A stale
 * coordinator can only make a request fail: the broker checks that it coordinates the id, so
 * delivery stays exactly once.
 */
import type { Kafka } from 'kafkajs';

/** kafkajs's coordinator type of a transaction coordinator (protocol/coordinatorTypes.js). */
const TRANSACTION_COORDINATOR = 1;

interface ClusterInternals {
  findGroupCoordinator(args: { groupId: string; coordinatorType?: number }): Promise<unknown>;
  refreshMetadata(...args: unknown[]): Promise<unknown>;
}

type ClusterFactory = (options: unknown) => ClusterInternals;

/** Makes the producers `kafka` creates from now on keep their transaction coordinator. */
export function cacheTransactionCoordinator(kafka: Kafka): void {
  const holder = kafka as unknown as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(holder).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key === undefined ? undefined : holder[key];
  if (key === undefined || typeof create !== 'function') return;
  holder[key] = (options: unknown): ClusterInternals => {
    const cluster = (create as ClusterFactory)(options);
    const find = cluster.findGroupCoordinator.bind(cluster);
    const refresh = cluster.refreshMetadata.bind(cluster);
    const known = new Map<string, Promise<unknown>>();
    cluster.findGroupCoordinator = (args) => {
      if (args.coordinatorType !== TRANSACTION_COORDINATOR) return find(args);
      let found = known.get(args.groupId);
      if (!found) {
        found = find(args);
        known.set(args.groupId, found);
        found.catch(() => known.delete(args.groupId));
      }
      return found;
    };
    cluster.refreshMetadata = (...args) => {
      known.clear();
      return refresh(...args);
    };
    return cluster;
  };
}
