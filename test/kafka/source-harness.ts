/**
 * What the Kafka source tests share: a real Eddy server and the real broker, topics of their own,
 * and reading rows back through the wire. Group ids are unique per test (GROUP ID), so tests
 * running in parallel against the one broker never share a consumer group.
 */
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { createTopic, ensureKafka, uniqueTopic, type KafkaEndpoints } from '../support/kafka.js';

export { waitFor };

export interface SourceHarness {
  eddy: EddyHandle;
  kafka: KafkaEndpoints;
  client: pg.Client;
  /** A fresh topic with that many partitions. */
  topic(prefix: string, partitions?: number): Promise<string>;
  /** `BROKER '...', TOPIC '...', GROUP ID '<unique>'` for FROM KAFKA (...). */
  from(topic: string): string;
  /** The query's rows as arrays of text values (as psql shows them), in the server's order. */
  rows(sql: string): Promise<(string | null)[][]>;
  /** Polls until the query's rows, sorted, equal `expected` (sorted); returns them. */
  waitRows(sql: string, expected: (string | null)[][], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sortRows = (rows: (string | null)[][]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

export async function sourceHarness(): Promise<SourceHarness> {
  const kafka = await ensureKafka();
  const eddy = await startEddy();
  const h: SourceHarness = {
    eddy,
    kafka,
    client: await eddy.client(),
    async topic(prefix, partitions = 1) {
      const name = uniqueTopic(prefix);
      await createTopic(name, partitions, kafka);
      return name;
    },
    from(topic) {
      return `BROKER '${kafka.brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-test-group')}'`;
    },
    async rows(sql) {
      const result = await h.client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
      return result.rows as (string | null)[][];
    },
    async waitRows(sql, expected, timeoutMs = 15_000) {
      const want = JSON.stringify(sortRows(expected));
      let last: unknown = null;
      try {
        await waitFor(
          async () => {
            last = sortRows(await h.rows(sql));
            return JSON.stringify(last) === want;
          },
          { timeoutMs, message: sql },
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n  expected ${want}\n  last got ${JSON.stringify(last)}`);
      }
    },
    async close() {
      await eddy.stop();
    },
  };
  return h;
}
