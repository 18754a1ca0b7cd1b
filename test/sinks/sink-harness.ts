/**
 * What the sink tests share: the source tests' harness (a real Eddy server, the real broker,
 * queries through the wire), plus reading a sink's topic back with a real kafkajs consumer
 * (read_committed, kafkajs's default isolation), and a check that exactly the expected number
 * of messages is there.
 */
import assert from 'node:assert/strict';
import { consume, uniqueTopic, type ConsumedMessage, type KafkaEndpoints } from '../support/kafka.js';
import { sourceHarness, type SourceHarness } from '../kafka/source-harness.js';

export { waitFor } from '../kafka/source-harness.js';
export type { ConsumedMessage };

export interface SinkHarness extends SourceHarness {
  /** A topic name nobody has used (the sink creates it). */
  sinkTopic(prefix: string): string;
  /** `BROKER '...', TOPIC '...'` for INTO KAFKA (...). */
  into(topic: string, extra?: string): string;
  /**
   * Reads the topic from the beginning until `count` messages came, then asserts no more did
   * within a short grace: exactly `count`, as consumed.
   */
  exactly(topic: string, count: number): Promise<ConsumedMessage[]>;
  /** The topic's first `count` messages (of a sink that goes on writing), in the order consumed. */
  first(topic: string, count: number): Promise<ConsumedMessage[]>;
  /** The error a statement fails with. */
  sqlError(sql: string): Promise<{ code: string; message: string; hint?: string; position?: string; detail?: string }>;
}

export async function sinkHarness(): Promise<SinkHarness> {
  const base = await sourceHarness();
  return {
    ...base,
    sinkTopic: (prefix) => uniqueTopic(`sink-${prefix}`),
    into: (topic, extra = '') => `BROKER '${base.kafka.brokers}', TOPIC '${topic}'${extra}`,
    exactly: (topic, count) => exactlyMessages(topic, count, base.kafka),
    first: async (topic, count) => (await consume(topic, count, { at: base.kafka })).slice(0, count),
    async sqlError(sql) {
      const err = await base.client.query(sql).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; hint?: string; position?: string; detail?: string },
      );
      assert.ok(err, `expected ${sql} to fail`);
      return err;
    },
  };
}

export async function exactlyMessages(topic: string, count: number, at: KafkaEndpoints, timeoutMs = 30_000): Promise<ConsumedMessage[]> {
  const messages = await consume(topic, count, { timeoutMs, at });
  assert.equal(messages.length, count, `expected exactly ${count} messages in ${topic}, got ${messages.length}`);
  return messages;
}

/** Message parts as text (null stays null), for readable assertions. */
export function texts(messages: ConsumedMessage[]): [string | null, string | null][] {
  return messages.map((m) => [m.key?.toString('utf8') ?? null, m.value?.toString('utf8') ?? null]);
}
