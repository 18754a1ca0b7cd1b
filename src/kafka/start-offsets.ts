/**
 * START OFFSET resolved against the topic as it is at CREATE SOURCE: one explicit offset per
 * partition read. The catalog stores these (not EARLIEST or LATEST, whose meaning moves), so a
 * restart reads the very same messages again: Kafka is the log the source is rebuilt from.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { TopicProbe } from './kafka-client.js';
import type { KafkaConnectionSpec, PartitionOffset } from './source-spec.js';

export function resolveStartOffsets(connection: KafkaConnectionSpec, probe: TopicProbe): PartitionOffset[] {
  const byPartition = new Map(probe.partitions.map((p) => [p.partition, p]));
  const explicit = connection.startOffset.kind === 'offsets' ? connection.startOffset.offsets : [];
  const wanted = connection.partitions ?? [...new Set([...byPartition.keys(), ...explicit.map((o) => o.partition)])].sort((a, b) => a - b);
  return wanted.map((partition) => {
    const watermarks = byPartition.get(partition);
    if (!watermarks) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `Kafka topic "${connection.topic}" has no partition ${partition}`, {
        detail: `Its partitions are ${[...byPartition.keys()].join(', ')}.`,
      });
    }
    const start = connection.startOffset;
    switch (start.kind) {
      case 'earliest':
        return { partition, offset: watermarks.low };
      case 'latest':
        return { partition, offset: watermarks.high };
      case 'committed':
        return { partition, offset: probe.committed.get(partition) ?? watermarks.high };
      case 'offsets':
        // Partitions not named start where the default (LATEST) would.
        return { partition, offset: explicit.find((o) => o.partition === partition)?.offset ?? watermarks.high };
    }
  });
}
