/**
 * Whether topics are ready to be written: every partition has a leader. Shared by Eddy's sinks
 * (kafka-client.ts ensureTopics) and the scripts that create topics for tests and benches
 * (scripts/kafka/broker.ts). Both ask kafkajs's createTopics not to wait for leaders itself:
 * its wait gives up on 'This server does not host this topic-partition', which a broker that has
 * just started answers for a moment about a topic it created an instant ago (its metadata has
 * not caught up); here that answer, like 'leader not available', means "not yet".
 */
import type { Admin } from 'kafkajs';

/** kafkajs error types that mean a topic's metadata or leaders are still settling. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * One look at `topics`: their partition counts when every partition of each has a leader, null
 * when not yet. Other errors are thrown.
 */
export async function topicsWithLeaders(admin: Admin, topics: string[]): Promise<Map<string, number> | null> {
  try {
    const metadata = await admin.fetchTopicMetadata({ topics });
    const counts = new Map<string, number>();
    for (const t of metadata.topics) {
      if (t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0)) return null;
      counts.set(t.name, t.partitions.length);
    }
    return topics.every((t) => counts.has(t)) ? counts : null;
  } catch (err) {
    if (NOT_YET.has((err as { type?: string }).type ?? '')) return null;
    throw err;
  }
}
