/**
 * The one place Eddy talks to Kafka's client library (kafkajs): the client configuration from a
 * source's connection options, probing a topic (partitions, watermarks, a group's committed
 * offsets) within a deadline, and consumers that read exactly the partitions they are given,
 * from the offsets they are given; for sinks, creating topics, a transactional producer, the Java
 * client's partitioner, and reading a range back read_committed. Everything Kafka-specific that
 * the source and sink runtimes need goes through the small interfaces below, so that another
 * client (@platformatic/kafka) could replace kafkajs here alone.
 */
import { AssignerProtocol, Kafka, logLevel, Partitioners, type Admin, type Consumer, type ConsumerConfig, type KafkaConfig, type KafkaMessage, type Message, type PartitionAssigner, type SASLOptions } from 'kafkajs';
import { cacheTransactionCoordinator } from './coordinator-cache.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { withDeadline } from './deadline.js';
import { topicsWithLeaders } from './topic-leaders.js';

export interface ClientProperty {
  name: string;
  value: string;
}

export interface KafkaConnection {
  brokers: string[];
  properties: ClientProperty[];
}

/** How long CREATE SOURCE waits for an unreachable broker before it fails. */
const PROBE_TIMEOUT_MS = 5000;

interface MappedConfig {
  client: Partial<KafkaConfig>;
  consumer: Partial<ConsumerConfig>;
}

function positiveInt(property: ClientProperty): number {
  const n = Number(property.value);
  if (!Number.isInteger(n) || n < 0) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `Kafka client property '${property.name}' must be a non-negative integer, not '${property.value}'`);
  }
  return n;
}

/** The client properties (librdkafka / Java names) that mean something to kafkajs. */
const PROPERTY_SETTERS: Record<string, (config: MappedConfig, property: ClientProperty) => void> = {
  'client.id': (c, p) => (c.client.clientId = p.value),
  'request.timeout.ms': (c, p) => (c.client.requestTimeout = positiveInt(p)),
  'socket.connection.setup.timeout.ms': (c, p) => (c.client.connectionTimeout = positiveInt(p)),
  'session.timeout.ms': (c, p) => (c.consumer.sessionTimeout = positiveInt(p)),
  'heartbeat.interval.ms': (c, p) => (c.consumer.heartbeatInterval = positiveInt(p)),
  'metadata.max.age.ms': (c, p) => (c.consumer.metadataMaxAge = positiveInt(p)),
  'fetch.max.bytes': (c, p) => (c.consumer.maxBytes = positiveInt(p)),
  'max.partition.fetch.bytes': (c, p) => (c.consumer.maxBytesPerPartition = positiveInt(p)),
  'fetch.min.bytes': (c, p) => (c.consumer.minBytes = positiveInt(p)),
  'fetch.max.wait.ms': (c, p) => (c.consumer.maxWaitTimeInMs = positiveInt(p)),
  'isolation.level': (c, p) => {
    if (p.value !== 'read_committed' && p.value !== 'read_uncommitted') {
      throw new SqlError(SQLSTATE.invalidParameterValue, `'isolation.level' must be 'read_committed' or 'read_uncommitted', not '${p.value}'`);
    }
    c.consumer.readUncommitted = p.value === 'read_uncommitted';
  },
  'security.protocol': (c, p) => {
    const v = p.value.toUpperCase();
    if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(v)) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `'security.protocol' must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, not '${p.value}'`);
    }
    c.client.ssl = v === 'SSL' || v === 'SASL_SSL';
  },
  'enable.ssl.certificate.verification': (c, p) => {
    if (p.value === 'false') c.client.ssl = { rejectUnauthorized: false };
  },
  'sasl.mechanism': (c, p) => setSasl(c, { mechanism: p.value.toLowerCase() }),
  'sasl.mechanisms': (c, p) => setSasl(c, { mechanism: p.value.toLowerCase() }),
  'sasl.username': (c, p) => setSasl(c, { username: p.value }),
  'sasl.password': (c, p) => setSasl(c, { password: p.value }),
};

function setSasl(c: MappedConfig, part: Record<string, string>): void {
  const sasl = { mechanism: 'plain', username: '', password: '', ...(c.client.sasl as object | undefined), ...part };
  if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(sasl.mechanism)) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `'sasl.mechanism' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '${sasl.mechanism}'`);
  }
  c.client.sasl = sasl as SASLOptions;
}

/** Maps the quoted properties of FROM KAFKA (...) to kafkajs settings; 22023 for ones it cannot honour. */
export function mapClientProperties(properties: ClientProperty[]): MappedConfig {
  const config: MappedConfig = { client: {}, consumer: {} };
  for (const property of properties) {
    const set = PROPERTY_SETTERS[property.name];
    if (!set) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `Kafka client property '${property.name}' is not supported`, {
        hint: `Supported properties: ${Object.keys(PROPERTY_SETTERS).join(', ')}.`,
      });
    }
    set(config, property);
  }
  return config;
}

function client(connection: KafkaConnection, extra: Partial<KafkaConfig> = {}): Kafka {
  const mapped = mapClientProperties(connection.properties).client;
  return new Kafka({
    clientId: 'eddy',
    brokers: connection.brokers,
    // Errors reach Eddy as rejections and crash events, which it reports itself.
    logLevel: process.env.EDDY_KAFKA_LOG ? logLevel.INFO : logLevel.NOTHING,
    ...extra,
    ...mapped,
  });
}

/** What CREATE SOURCE needs to know about a topic before it starts reading. */
export interface TopicProbe {
  partitions: { partition: number; low: bigint; high: bigint }[];
  /** The group's committed offsets, for partitions that have one. */
  committed: Map<number, bigint>;
}

/**
 * Runs `work` with an admin client of the broker, failing within PROBE_TIMEOUT_MS with a message
 * that names the broker when it cannot be reached (SqlErrors from `work` pass as they are).
 */
async function withAdmin<R>(connection: KafkaConnection, work: (admin: Admin) => Promise<R>): Promise<R> {
  const brokers = connection.brokers.join(',');
  const admin = client(connection, {
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
  }).admin();
  try {
    const running = admin.connect().then(() => work(admin));
    return await withDeadline(running, PROBE_TIMEOUT_MS, () => new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`));
  } catch (err) {
    if (err instanceof SqlError) throw err;
    throw new SqlError(SQLSTATE.connectionFailure, `could not reach Kafka broker ${brokers}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'Check BROKER and that the broker is running and reachable from the Eddy server.',
    });
  } finally {
    void admin.disconnect().catch(() => {});
  }
}

/**
 * Reads the topic's partitions with their low and high watermarks (and the group's committed
 * offsets when `groupId` is given), failing within PROBE_TIMEOUT_MS with a message that names
 * the broker when it cannot be reached, and 42704 when the topic does not exist.
 */
export async function probeTopic(connection: KafkaConnection, topic: string, groupId: string | null): Promise<TopicProbe> {
  const brokers = connection.brokers.join(',');
  return withAdmin(connection, async (admin): Promise<TopicProbe> => {
    const metadata = await admin.fetchTopicMetadata({ topics: [] });
    if (!metadata.topics.some((t) => t.name === topic)) {
      throw new SqlError(SQLSTATE.undefinedObject, `Kafka topic "${topic}" does not exist on broker ${brokers}`, {
        hint: 'Create the topic first (or produce to it, where the broker creates topics automatically).',
      });
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    const committed = new Map<number, bigint>();
    if (groupId !== null) {
      const groupOffsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const p of groupOffsets[0]?.partitions ?? []) {
        if (BigInt(p.offset) >= 0n) committed.set(p.partition, BigInt(p.offset));
      }
    }
    return {
      partitions: offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) })).sort((a, b) => a.partition - b.partition),
      committed,
    };
  });
}

/** A topic a sink writes: created when missing (with these settings), else taken as it is. */
export interface SinkTopicSettings {
  topic: string;
  partitions: number | null;
  replicationFactor: number | null;
  /** Broker-side topic configuration for a topic created here (cleanup.policy=compact, ...). */
  config?: Record<string, string>;
}

/** How often ensureTopics looks whether a topic it created has leaders yet. */
const LEADER_POLL_MS = 100;

/**
 * Makes sure the topics exist (creating the missing ones) and returns each one's partition
 * count once every partition has a leader, within PROBE_TIMEOUT_MS, naming the broker when it
 * cannot be reached. The wait for leaders is topic-leaders.ts's, not kafkajs's (see there).
 */
export async function ensureTopics(connection: KafkaConnection, topics: SinkTopicSettings[]): Promise<Map<string, number>> {
  return withAdmin(connection, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions ?? -1,
            replicationFactor: t.replicationFactor ?? -1,
            configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (err) {
        // Another writer may have created it meanwhile; anything else is the user's to fix.
        const message = err instanceof Error ? err.message : String(err);
        if (!/already exists/i.test(message)) {
          throw new SqlError(SQLSTATE.invalidParameterValue, `could not create Kafka topic ${missing.map((t) => `"${t.topic}"`).join(', ')}: ${message}`);
        }
      }
    }
    // withAdmin's deadline fails the call first; this one ends the loop too, which would
    // otherwise go on polling after the caller gave up.
    const giveUpAt = Date.now() + PROBE_TIMEOUT_MS;
    for (;;) {
      const ready = await topicsWithLeaders(admin, topics.map((t) => t.topic));
      if (ready) return ready;
      if (Date.now() >= giveUpAt) throw new Error(`no leader for every partition of ${topics.map((t) => `"${t.topic}"`).join(', ')} within ${PROBE_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
    }
  });
}

/** What one committed transaction wrote: the next offset of every partition it wrote to. */
export type WrittenOffsets = Map<number, bigint>;

export interface OutgoingMessage {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
}

/**
 * A transactional producer (idempotent, one transactional.id): opening it fences any earlier
 * producer of the same id, whose open transaction the broker then aborts.
 */
export interface TransactionalProducer {
  /**
   * In one transaction: `progress` (the sink's progress record, one message to partition 0 of its
   * topic) and the messages to `topic`, then commit. The record rides in the first produce
   * request, beside the first messages: one request and one AddPartitionsToTxn fewer than a send
   * of its own. Resolves with the next offset per partition of `topic` written to.
   */
  write(topic: string, messages: OutgoingMessage[], progress: { topic: string; key: string; value: string }): Promise<WrittenOffsets>;
  close(): Promise<void>;
}

/** How many bytes one produce request carries at most (the broker's message.max.bytes is 1 MB). */
const MAX_REQUEST_BYTES = 900_000;
/**
 * How many messages one produce request carries at most. kafkajs groups a request's messages per
 * partition by copying the partition's array for every message (groupMessagesPerPartition.js):
 * quadratic in the count. Measured on this machine, that grouping alone: 1.5 µs a message at
 * 1,000 per request, 2.2 µs at 2,000, 10 µs at 4,000 and 33 µs at 8,000 (900 kB of 75-byte JSON
 * rows is ~10,000); a bare idempotent producer sent 80k messages/s in requests of 1,000, 69k
 * in requests of 1,500 and 66k in requests of 2,000 (means of three runs each).
 */
const MAX_REQUEST_MESSAGES = 1_000;

/**
 * Splits messages into the produce requests a write sends, in order: each at most
 * MAX_REQUEST_BYTES (a message larger than that alone) and MAX_REQUEST_MESSAGES. Exported for
 * the sink bench, whose bare-producer baseline sends the same requests.
 */
export function produceRequests<M extends { key: Buffer | null; value: Buffer | null }>(messages: readonly M[]): M[][] {
  const requests: M[][] = [];
  let chunk: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = (m.key?.length ?? 0) + (m.value?.length ?? 0) + 16;
    if (chunk.length > 0 && (bytes + size > MAX_REQUEST_BYTES || chunk.length >= MAX_REQUEST_MESSAGES)) {
      requests.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) requests.push(chunk);
  return requests;
}

export async function openTransactionalProducer(connection: KafkaConnection, transactionalId: string): Promise<TransactionalProducer> {
  // Short first retries: right after a commit, the coordinator answers the next transaction's
  // AddPartitionsToTxn with CONCURRENT_TRANSACTIONS until its markers are written (a few ms);
  // the Java client retries that within 20 ms too. A first retry after 2 ms (kafkajs also
  // refreshes metadata first) rather than 10 ms: under a steady stream, 5-20% of transactions
  // met it, and each waited the whole first backoff. Ten retries doubling from 2 ms still give
  // up after about 2 s, so a broker that is gone fails in seconds (then the sink recovers).
  const kafka = client(connection, { retry: { retries: 10, initialRetryTime: 2, maxRetryTime: 2000 } });
  cacheTransactionCoordinator(kafka);
  const producer = kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    // The first transaction initialises the producer id: that is the fencing. Nothing is sent.
    await (await producer.transaction()).abort();
  } catch (err) {
    await producer.disconnect().catch(() => {});
    throw err;
  }
  return {
    async write(topic, messages, progress) {
      const transaction = await producer.transaction();
      try {
        const next: WrittenOffsets = new Map();
        const requests = produceRequests(messages);
        for (let i = 0; i < requests.length; i++) {
          const chunk = requests[i]!;
          const counts = new Map<number, number>();
          for (const m of chunk) counts.set(m.partition, (counts.get(m.partition) ?? 0) + 1);
          const topicMessages = [{ topic, messages: chunk as Message[] }];
          if (i === 0) topicMessages.push({ topic: progress.topic, messages: [{ key: progress.key, value: progress.value, partition: 0 }] });
          for (const meta of await transaction.sendBatch({ acks: -1, topicMessages })) {
            if (meta.topicName !== topic) continue;
            next.set(meta.partition, BigInt(meta.baseOffset ?? '0') + BigInt(counts.get(meta.partition) ?? 0));
          }
        }
        await transaction.commit();
        return next;
      } catch (err) {
        if (transaction.isActive()) await transaction.abort().catch(() => {});
        throw err;
      }
    },
    close: () => producer.disconnect(),
  };
}

/** Kafka's default partitioner (murmur2 of the key, as the Java client's), round robin for no key. */
export function keyPartitioner(topic: string, partitions: number): (key: Buffer | null) => number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const partition = Partitioners.DefaultPartitioner();
  return (key) => partition({ topic, partitionMetadata, message: { key, value: null } });
}

/** One fetched batch of one partition, as the source runtime sees it. */
export interface FetchedBatch {
  partition: number;
  /** The partition's high watermark when fetched (the offset the next produced message gets). */
  highWatermark: bigint;
  messages: KafkaMessage[];
}

export interface PartitionReader {
  /** Stops reading and leaves the group. */
  stop(): Promise<void>;
  /** Writes the group's committed offsets (the next offset to read, per partition). */
  commit(offsets: Map<number, bigint>): Promise<void>;
}

export interface ReaderHandlers {
  /** Each fetched batch; the next batch of the partition waits for the returned promise. */
  onBatch(batch: FetchedBatch): Promise<void> | void;
  /** Where each partition is to be read from now (called whenever partitions are (re)assigned). */
  nextOffsets(): Map<number, bigint>;
  /** Joined the group with its partitions: reading (an idle topic gives no batches to say so). */
  onJoined(): void;
  /**
   * A fetched batch is done, `lastOffset` being its last record's offset including the ones the
   * client does not hand over (transaction markers, aborted messages): the partition's position
   * may move past them. Also called for batches of nothing but such records.
   */
  onBatchDone(partition: number, lastOffset: bigint, highWatermark: bigint): void;
  /** The connection failed; the client retries by itself. */
  onTrouble(error: Error): void;
}

const ASSIGNER_NAME = 'EddyExplicitPartitions';

/**
 * Gives every member of the group exactly the partitions it asked for in its subscription's user
 * data, even when another member asked for them too: each source reads its partitions itself
 * (from its own offsets), so sources sharing a GROUP ID (on one topic or several) never starve
 * or steal from each other. The group serves only to hold committed offsets.
 */
function explicitAssigner(topic: string, partitions: number[]): PartitionAssigner {
  return () => ({
    name: ASSIGNER_NAME,
    version: 1,
    async assign({ members }) {
      return members.map(({ memberId, memberMetadata }) => {
        const { userData } = AssignerProtocol.MemberMetadata.decode(memberMetadata)!;
        const assignment = JSON.parse(userData.toString() || '{}') as Record<string, number[]>;
        return { memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }) };
      });
    },
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify({ [topic]: partitions }));
      return { name: ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }) };
    },
  });
}

/** The longest wait before a consumer that gave up is replaced by a new one. */
const REPLACE_MAX_MS = 5000;

/**
 * Starts reading `partitions` of `topic` in group `groupId`. Offsets come from the runtime, not
 * from the group: on every (re)join the reader seeks each partition to `nextOffsets()`, so a
 * rebalance or a reconnection after the broker went away resumes exactly where the runtime's
 * applied messages end. The group's committed offsets are written by `commit` (for COMMITTED).
 * Resolves once connected; rejects if the first connection fails.
 *
 * kafkajs restarts a crashed consumer only after errors it deems retriable; after others (a
 * broker that is back but has no group coordinator yet says "Failed to find group coordinator",
 * which it does not retry) the consumer stays dead. The reader then replaces it with a new one,
 * backing off, until stopped: a source must never stop reading for a broker's passing state.
 */
export async function startPartitionReader(
  connection: KafkaConnection,
  topic: string,
  groupId: string,
  partitions: number[],
  handlers: ReaderHandlers,
): Promise<PartitionReader> {
  // Once stopped, never again: a consumer whose disconnect is still waiting for a lost broker
  // must not restart itself and rejoin (a zombie member reading for nobody) when it returns.
  let stopping = false;
  let replaceTimer: NodeJS.Timeout | null = null;
  let replaceDelay = 300;
  const replace = () => {
    replaceTimer = setTimeout(() => {
      replaceTimer = null;
      if (stopping) return;
      openConsumer(connection, topic, groupId, partitions, handlers, () => stopping, onGaveUp).then(
        (next) => {
          if (stopping) return void next.disconnect().catch(() => {});
          consumer = next;
          replaceDelay = 300;
        },
        (err: unknown) => {
          handlers.onTrouble(err instanceof Error ? err : new Error(String(err)));
          replaceDelay = Math.min(replaceDelay * 2, REPLACE_MAX_MS);
          replace();
        },
      );
    }, replaceDelay);
  };
  const onGaveUp = (dead: Consumer) => {
    if (stopping || dead !== consumer) return;
    void dead.disconnect().catch(() => {});
    replace();
  };
  let consumer = await openConsumer(connection, topic, groupId, partitions, handlers, () => stopping, onGaveUp);
  return {
    stop: () => {
      stopping = true;
      if (replaceTimer) clearTimeout(replaceTimer);
      return consumer.disconnect();
    },
    commit: (offsets) =>
      consumer.commitOffsets([...offsets].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() }))),
  };
}

/**
 * One consumer of the reader, connected and running; `onGaveUp` is told when it crashed for
 * good (kafkajs will not restart it). Rejects, disconnected, if it cannot start.
 */
async function openConsumer(
  connection: KafkaConnection,
  topic: string,
  groupId: string,
  partitions: number[],
  handlers: ReaderHandlers,
  stopping: () => boolean,
  onGaveUp: (consumer: Consumer) => void,
): Promise<Consumer> {
  const mapped = mapClientProperties(connection.properties).consumer;
  // Short retries: a lost broker soon shows as a crash (and in SHOW SOURCES), after which the
  // consumer restarts itself, rejoining (which seeks again), for as long as it lives.
  const retry = { initialRetryTime: 200, maxRetryTime: 2000, retries: 5 };
  const consumer: Consumer = client(connection, { retry }).consumer({
    groupId,
    partitionAssigners: [explicitAssigner(topic, partitions)],
    maxWaitTimeInMs: 500,
    // A member that vanished with its broker (or a server that stopped while the broker was
    // down) holds up the next join until its session expires: keep that short (the broker's
    // default minimum); 'session.timeout.ms' overrides it.
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    retry: { ...retry, restartOnFailure: async () => !stopping() },
    ...mapped,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const next = handlers.nextOffsets();
    for (const partition of payload.memberAssignment[topic] ?? []) {
      const offset = next.get(partition);
      if (offset !== undefined) consumer.seek({ topic, partition, offset: offset.toString() });
    }
    handlers.onJoined();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    handlers.onTrouble(payload.error);
    if (!payload.restart) onGaveUp(consumer);
  });
  // Emitted after eachBatch has returned (never after it threw), and for filtered-out batches.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic) handlers.onBatchDone(payload.partition, BigInt(payload.lastOffset), BigInt(payload.highWatermark));
  });
  try {
    await consumer.connect();
    // Offsets come from seeks; this only decides where an offset the log no longer holds
    // (retention) resets to: the oldest message kept, not the end, so as little as possible is lost.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        await handlers.onBatch({ partition: batch.partition, highWatermark: BigInt(batch.highWatermark), messages: batch.messages });
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => {});
    throw err;
  }
  return consumer;
}

/** How long reading back a range may go without any progress before it counts as failed. */
const READ_STALL_MS = 30_000;

/**
 * Reads the committed messages (read_committed: aborted transactions are skipped) of `topic`'s
 * partitions in [from, to) and hands each to `onMessage`; resolves when every range is read.
 * Rejects when READ_STALL_MS pass without progress (the broker went away). Reads in a consumer
 * group of its own, which never commits offsets.
 */
export async function readCommittedRange(
  connection: KafkaConnection,
  topic: string,
  ranges: Map<number, { from: bigint; to: bigint }>,
  groupId: string,
  onMessage: (partition: number, message: KafkaMessage) => void,
): Promise<void> {
  const next = new Map<number, bigint>();
  for (const [partition, { from, to }] of ranges) if (from < to) next.set(partition, from);
  if (next.size === 0) return;
  const done = () => [...next].every(([partition, offset]) => offset >= ranges.get(partition)!.to);
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  finished.catch(() => {}); // awaited below; a failure before that is not unhandled
  let lastProgress = Date.now();
  let lastTrouble: Error | null = null;
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress > READ_STALL_MS) fail(new Error(`reading back ${topic} made no progress for ${READ_STALL_MS / 1000} s${lastTrouble ? `: ${lastTrouble.message}` : ''}`));
  }, 1000);
  const advance = (partition: number, offset: bigint) => {
    const at = next.get(partition);
    if (at === undefined || offset < at) return;
    next.set(partition, offset);
    lastProgress = Date.now();
    if (done()) finish();
  };
  let reader: PartitionReader | null = null;
  try {
    reader = await startPartitionReader({ ...connection }, topic, groupId, [...next.keys()], {
      onBatch: ({ partition, messages }) => {
        const to = ranges.get(partition)!.to;
        for (const message of messages) {
          const offset = BigInt(message.offset);
          if (offset < next.get(partition)! || offset >= to) continue;
          onMessage(partition, message);
          advance(partition, offset + 1n);
        }
      },
      nextOffsets: () => next,
      onJoined: () => {
        lastProgress = Date.now();
      },
      onBatchDone: (partition, lastOffset) => advance(partition, lastOffset + 1n),
      onTrouble: (error) => {
        lastTrouble = error;
      },
    });
    await finished;
  } finally {
    clearInterval(watchdog);
    await reader?.stop().catch(() => {});
  }
}
