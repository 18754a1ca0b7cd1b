/**
 * Fills a bench topic before the measurement starts: `count` messages made by `message(i)`,
 * spread round-robin over `partitions`, sent in chunks so a large preload stays in memory bounds.
 */
import { Partitioners, type Kafka } from 'kafkajs';

const CHUNK = 10_000;

export async function preloadTopic(kafka: Kafka, topic: string, count: number, partitions: number, message: (i: number) => string): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let done = 0; done < count; done += CHUNK) {
      const messages = Array.from({ length: Math.min(CHUNK, count - done) }, (_, j) => ({ value: message(done + j), partition: (done + j) % partitions }));
      await producer.send({ topic, acks: 1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
