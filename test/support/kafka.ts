/**
 * Real Kafka for tests: ensureKafka() brings up the local broker and schema registry through
 * `scripts/kafka/kafka.ts start` when they are not answering, and the helpers below create
 * topics, produce and read messages with kafkajs. Tests create their own topics (uniqueTopic)
 * so that they can run in parallel against the one shared broker.
 * Where: an outside Kafka given by the caller (EDDY_TEST_KAFKA_BROKERS, and
 * EDDY_TEST_SCHEMA_REGISTRY_URL) is used as is and never started; otherwise the script's local
 * instance (KAFKA_PORT, SCHEMA_REGISTRY_PORT, EDDY_KAFKA_STATE_DIR).
 * A test that must stop and restart a broker (broker loss) takes its own: startPrivateKafka()
 * runs the same script on free ports and a temp dir, and the helpers take it as their target.
 * EDDY_TEST_LOG=1 shows kafkajs's own log lines.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, Partitioners, type IHeaders, type Producer } from 'kafkajs';
import { brokerAnswers, createTopic as createTopicWithAdmin } from '../../scripts/kafka/broker.js';
import { registryAnswers } from '../../scripts/kafka/registry.js';
import { brokerAddress, readSettings, registryUrl } from '../../scripts/kafka/settings.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

export interface KafkaEndpoints {
  /** bootstrap.servers, e.g. '127.0.0.1:9092' */
  brokers: string;
  /** e.g. 'http://127.0.0.1:8081' */
  registryUrl: string;
}

/** Where the tests' Kafka and registry are: given by the caller, or the local instance's. */
export function kafkaEndpoints(): KafkaEndpoints & { outside: boolean } {
  const settings = readSettings();
  const brokers = process.env.EDDY_TEST_KAFKA_BROKERS;
  return {
    brokers: brokers || brokerAddress(settings),
    registryUrl: process.env.EDDY_TEST_SCHEMA_REGISTRY_URL || registryUrl(settings),
    outside: Boolean(brokers),
  };
}

/** Starts the local broker and registry unless both already answer; returns where they are. */
export async function ensureKafka(): Promise<KafkaEndpoints> {
  const { outside, ...endpoints } = kafkaEndpoints();
  if (outside) return endpoints;
  const [broker, registry] = await Promise.all([brokerAnswers(endpoints.brokers), registryAnswers(endpoints.registryUrl)]);
  if (broker && registry) return endpoints;
  // The script takes a lock, so test files starting it at the same time get one broker.
  const result = await runKafkaScript(['start'], process.env);
  if (result.code !== 0) throw new Error(`could not start Kafka for tests:\n${result.output}`);
  return endpoints;
}

export interface CliResult {
  code: number;
  /** stdout then stderr. */
  output: string;
}

/** Runs `scripts/kafka/kafka.ts ARGS...` with the given environment (which picks the instance). */
function runKafkaScript(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/kafka/kafka.ts', ...args], { cwd: REPO_ROOT, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: stdout + stderr });
    });
  });
}

let topicCounter = 0;

/** A topic name no other test (or earlier run against the same broker) has used. */
export function uniqueTopic(prefix: string): string {
  topicCounter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${topicCounter}`;
}

/** Creates the topic with its leaders elected, so producing to any partition works at once. */
export async function createTopic(name: string, partitions = 1, at: KafkaEndpoints = kafkaEndpoints()): Promise<void> {
  const result = await createTopicWithAdmin(at.brokers, name, partitions);
  if (result.partitions !== partitions) {
    throw new Error(`topic ${name} exists with ${result.partitions} partitions, not ${partitions}`);
  }
}

function client(clientId: string, at: KafkaEndpoints): Kafka {
  // Failures reach the test as rejections; kafkajs also logs the retriable ones (a group
  // coordinator still loading) as ERROR, which is noise unless EDDY_TEST_LOG asks for logs.
  const level = process.env.EDDY_TEST_LOG ? logLevel.INFO : logLevel.NOTHING;
  return new Kafka({ clientId, brokers: at.brokers.split(','), logLevel: level });
}

export interface MessageToProduce {
  key?: string | Buffer | null;
  /** null is a tombstone. */
  value: string | Buffer | null;
  partition?: number;
  headers?: Record<string, string | Buffer>;
  /** Milliseconds since the epoch, as a decimal string (kafkajs's form); default: now. */
  timestamp?: string;
}

/** Produces the messages in order, waiting for the broker's acknowledgement of all of them. */
export async function produce(topic: string, messages: MessageToProduce[], at: KafkaEndpoints = kafkaEndpoints()): Promise<void> {
  // Kafka's default partitioner (murmur2 on the key), named to silence kafkajs's v2 notice.
  const producer = client('eddy-test-producer', at).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export interface PacedProducerOptions {
  topic: string;
  /** Message i goes to partition i % partitions. */
  partitions: number;
  /** A batch of `batch` messages every `everyMs` milliseconds (from one batch's start to the next's). */
  batch: number;
  everyMs: number;
  /** Message i's value (default: i in decimal). */
  value?: (i: number) => string;
}

/**
 * Produces numbered messages 0, 1, 2, ... at a steady pace until paused. Pausing waits for the
 * send in flight, so `acked` is exactly what the broker acknowledged (a test stops a broker or
 * kills a server only between sends), and resume() goes on from there.
 */
export class PacedProducer {
  acked = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly options: PacedProducerOptions,
    private readonly at: KafkaEndpoints = kafkaEndpoints(),
  ) {}

  async resume(): Promise<void> {
    if (this.loop) return;
    const producer = client('eddy-test-paced-producer', this.at).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    this.running = true;
    this.loop = this.run(producer).finally(() => producer.disconnect());
  }

  private async run(producer: Producer): Promise<void> {
    const { topic, partitions, batch, everyMs, value = String } = this.options;
    // Batches start every everyMs (the send's own time counts), so the pace holds while the broker keeps up.
    let next = performance.now();
    while (this.running) {
      const messages = Array.from({ length: batch }, (_, j) => ({ partition: (this.acked + j) % partitions, value: value(this.acked + j) }));
      await producer.send({ topic, acks: -1, messages });
      this.acked += batch;
      next = Math.max(next + everyMs, performance.now());
      await new Promise((r) => setTimeout(r, next - performance.now()));
    }
  }

  async pause(): Promise<void> {
    this.running = false;
    const loop = this.loop;
    this.loop = null;
    await loop;
  }

  /** The sum of the ids acknowledged: 0 + 1 + ... + (acked - 1). */
  get idSum(): number {
    return (this.acked * (this.acked - 1)) / 2;
  }
}

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/**
 * Reads the topic from the beginning in a fresh consumer group until `count` messages arrived or
 * the deadline passes (an error that says how many came). Returns what arrived, in arrival
 * order: at least `count`, more if further messages came before the consumer stopped, so a test
 * can tell "exactly these" from "these and duplicates".
 */
export async function consume(
  topic: string,
  count: number,
  options: { timeoutMs?: number; at?: KafkaEndpoints } = {},
): Promise<ConsumedMessage[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const consumer = client('eddy-test-consumer', options.at ?? kafkaEndpoints()).consumer({ groupId: uniqueTopic('eddy-test-group') });
  const received: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`consumed ${received.length} of ${count} messages from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
              timestamp: message.timestamp,
            });
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** The real Confluent registry client, pointed at the tests' registry (or `at`'s). */
export function schemaRegistry(at: KafkaEndpoints = kafkaEndpoints()): SchemaRegistry {
  return new SchemaRegistry({ host: at.registryUrl });
}

/** A broker and registry of one test's own, run by the same script as the shared ones. */
export interface PrivateKafka extends KafkaEndpoints {
  /** Config, data, logs and pid files of this instance. */
  stateDir: string;
  /** Runs `scripts/kafka/kafka.ts ARGS...` against this instance. */
  cli(...args: string[]): Promise<CliResult>;
  /** Starts broker and registry (again) on the same data: topics and offsets survive. */
  start(): Promise<void>;
  /** Stops both and keeps the data: clients see the broker go away. */
  stop(): Promise<void>;
  /** Stops both and removes the data. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a private instance on free ports in a temp dir; destroy() it when done. A port found
 * free can be taken by another test before the instance binds it: then it starts again on others.
 */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrivateKafkaOnce();
    } catch (error) {
      if (attempt >= 3 || !/is in use by another program/.test(String(error))) throw error;
    }
  }
}

async function startPrivateKafkaOnce(): Promise<PrivateKafka> {
  const stateDir = mkdtempSync(join(tmpdir(), 'eddy-kafka-private-'));
  const [kafkaPort, controllerPort, registryPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    SCHEMA_REGISTRY_PORT: String(registryPort),
    EDDY_KAFKA_STATE_DIR: stateDir,
  };
  const cli = (...args: string[]) => runKafkaScript(args, env);
  const run = async (command: 'start' | 'stop') => {
    const result = await cli(command);
    if (result.code !== 0) throw new Error(`kafka ${command} (private instance in ${stateDir}) failed:\n${result.output}`);
  };
  const instance: PrivateKafka = {
    stateDir,
    brokers: `127.0.0.1:${kafkaPort}`,
    registryUrl: `http://127.0.0.1:${registryPort}`,
    cli,
    start: () => run('start'),
    stop: () => run('stop'),
    destroy: async () => {
      await run('stop');
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  try {
    await instance.start();
  } catch (error) {
    await instance.destroy();
    throw error;
  }
  return instance;
}
