/**
 * A running Kafka sink: follows its input's changes (through the engine's change feed, wired by
 * the CREATE SINK handler), keeps what its envelope has to write (sink-envelopes.ts), and writes
 * it in Kafka transactions, one at a time, each carrying the sink's progress record last.
 *
 * Exactly once (docs/ARCHITECTURE.md, "Kafka sinks"): on start, and after any producer failure,
 * the transactional producer is opened again, which fences the previous one (the broker aborts
 * its open transaction). At start, the sink then reads its progress topic (read_committed) for
 * the last record it committed, reads its topic back up to the offsets that record holds, hands
 * those messages to the envelope state as what consumers already have, and from then on writes
 * only the difference. After a failure in flight, the progress record alone says whether the
 * failed transaction committed (its sequence number is there) or must be written again.
 */
import type { SinkRuntime, SinkStatus } from '../catalog/sink.js';
import type { ChangeDelivery } from '../engine/change-feed.js';
import type { SqlError } from '../errors.js';
import {
  ensureTopics,
  keyPartitioner,
  openTransactionalProducer,
  probeTopic,
  readCommittedRange,
  type KafkaConnection,
  type TransactionalProducer,
  type WrittenOffsets,
} from './kafka-client.js';
import type { EnvelopeState, TakenMessages } from './sink-envelopes.js';
import type { KafkaSinkSpec } from './sink-spec.js';

export interface KafkaSinkOptions {
  spec: KafkaSinkSpec;
  transactionalId: string;
  state: EnvelopeState;
  log(line: string): void;
}

/** At most this many messages go into one transaction (more wait for the next one). */
const MAX_TRANSACTION_MESSAGES = 250_000;
const RETRY_MAX_MS = 5000;

/** The progress record each transaction writes last. */
interface Progress {
  /** The transaction's number: 1, 2, ... */
  seq: number;
  /** Per partition of the sink's topic: the offset after the last message the sink committed. */
  offsets: Map<number, bigint>;
  /** Messages written so far. */
  messages: number;
}

function encodeProgress(p: Progress): string {
  return JSON.stringify({ seq: p.seq, messages: p.messages, offsets: Object.fromEntries([...p.offsets].map(([k, v]) => [k, v.toString()])) });
}

function decodeProgress(text: string): Progress {
  const raw = JSON.parse(text) as { seq: number; messages: number; offsets: Record<string, string> };
  return { seq: raw.seq, messages: raw.messages, offsets: new Map(Object.entries(raw.offsets).map(([k, v]) => [Number(k), BigInt(v)])) };
}

/** The compacted topic that holds a sink's progress records (one per transactional.id). */
export function progressTopicName(transactionalId: string): string {
  return `eddy-progress.${transactionalId.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 249);
}

type State = 'waiting' | 'starting' | 'running' | 'stalled' | 'failed' | 'stopped';

export class KafkaSinkRuntime implements SinkRuntime {
  private readonly connection: KafkaConnection;
  private readonly progressTopic: string;
  private producer: TransactionalProducer | null = null;
  private partitionOf: ((key: Buffer | null) => number) | null = null;
  private progress: Progress = { seq: 0, offsets: new Map(), messages: 0 };
  private state: State = 'waiting';
  private problem: string | null = null;
  private lastWrite: number | null = null;
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly options: KafkaSinkOptions) {
    const { connection } = options.spec;
    this.connection = { brokers: connection.brokers, properties: connection.properties };
    this.progressTopic = progressTopicName(options.transactionalId);
  }

  private log(line: string): void {
    this.options.log(`sink ${this.options.spec.name}: ${line}`);
  }

  /** The change feed's listener: every closed cycle's change of the input, the snapshot first. */
  readonly listener = {
    changes: (delivery: ChangeDelivery) => {
      if (delivery.batch.length === 0 || this.halted) return;
      this.options.state.apply(delivery.batch);
      this.scheduleFlush();
    },
    ended: (error: SqlError) => {
      if (this.halted) return;
      this.state = 'failed';
      this.problem = `its input failed: ${error.message}`;
      this.log(this.problem);
    },
  };

  private get halted(): boolean {
    return this.state === 'stopped' || this.state === 'failed';
  }

  start(): void {
    if (this.state !== 'waiting') return;
    this.state = 'starting';
    void this.recover('start').then(() => this.scheduleFlush());
  }

  /**
   * Opens the producer again (fencing the previous one) and finds out what the topic holds. At
   * start, reads the topic back into the envelope state; after a failure, settles the transaction
   * that failed: committed if the progress record has its number (`inFlight` null: it cannot
   * have committed, its progress record was never sent).
   */
  private async recover(mode: 'start' | { inFlight: { seq: number; taken: TakenMessages; progress: Progress } | null }): Promise<void> {
    const { spec } = this.options;
    for (let delay = 300; !this.halted; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        await this.producer?.close().catch(() => {});
        this.producer = null;
        const partitions = await ensureTopics(this.connection, [
          { topic: spec.connection.topic, partitions: spec.connection.partitions, replicationFactor: spec.connection.replicationFactor },
          { topic: this.progressTopic, partitions: 1, replicationFactor: spec.connection.replicationFactor, config: { 'cleanup.policy': 'compact' } },
        ]);
        this.partitionOf = keyPartitioner(spec.connection.topic, partitions.get(spec.connection.topic)!);
        const producer = await openTransactionalProducer(this.connection, this.options.transactionalId);
        if (this.halted) {
          await producer.close().catch(() => {});
          return;
        }
        this.producer = producer;
        const committed = await this.readProgress();
        if (mode === 'start') {
          await this.readBack(committed);
        } else if (mode.inFlight && committed?.seq === mode.inFlight.seq) {
          mode.inFlight.taken.committed();
          this.wrote(mode.inFlight.progress);
        } else {
          mode.inFlight?.taken.failed();
          mode.inFlight = null; // settled: a retry of this loop must not settle it again
        }
        if (committed) this.progress = committed;
        if (this.halted) return;
        this.state = 'running';
        this.problem = null;
        return;
      } catch (err) {
        if (this.halted) return;
        this.state = mode === 'start' ? 'starting' : 'stalled';
        this.problem = err instanceof Error ? err.message : String(err);
        this.log(`Kafka trouble, retrying: ${this.problem}`);
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          setTimeout(resolve, delay).unref();
        });
      }
    }
  }

  /** The last progress record this sink committed, or null when it never committed one. */
  private async readProgress(): Promise<Progress | null> {
    const probe = await probeTopic(this.connection, this.progressTopic, null);
    const ranges = new Map(probe.partitions.map((p) => [p.partition, { from: p.low, to: p.high }]));
    let last: Progress | null = null;
    await readCommittedRange(this.connection, this.progressTopic, ranges, `${this.options.transactionalId}.read.${Date.now()}`, (_, message) => {
      if (message.key?.toString() === this.options.transactionalId && message.value) last = decodeProgress(message.value.toString());
    });
    return last;
  }

  /** Hands the envelope state what the topic holds below the committed offsets. */
  private async readBack(committed: Progress | null): Promise<void> {
    const { state } = this.options;
    state.beginRecovery();
    if (committed) {
      const ranges = new Map([...committed.offsets].map(([partition, to]) => [partition, { from: 0n, to }]));
      await readCommittedRange(this.connection, this.options.spec.connection.topic, ranges, `${this.options.transactionalId}.read.${Date.now()}`, (_, message) => {
        state.recovered(message.key, message.value);
      });
      this.log(`resumed after transaction ${committed.seq} (${committed.messages} messages written)`);
    }
    state.recoveryDone();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = null));
    });
  }

  /** Writes what is pending, one transaction at a time; what arrives meanwhile goes in the next. */
  private async flush(): Promise<void> {
    while (this.state === 'running') {
      const taken = this.options.state.take(MAX_TRANSACTION_MESSAGES);
      if (taken === null) return;
      if (taken.messages.length === 0) {
        taken.committed();
        continue;
      }
      const seq = this.progress.seq + 1;
      const { topic } = this.options.spec.connection;
      const partitionOf = this.partitionOf!;
      const messages = taken.messages.map((m) => ({ key: m.key, value: m.value, partition: partitionOf(m.key) }));
      let next: Progress | null = null;
      try {
        await this.producer!.write(topic, messages, {
          topic: this.progressTopic,
          key: this.options.transactionalId,
          value: (written: WrittenOffsets) => {
            next = { seq, messages: this.progress.messages + messages.length, offsets: new Map([...this.progress.offsets, ...written]) };
            return encodeProgress(next);
          },
        });
        taken.committed();
        this.wrote(next!);
      } catch (err) {
        if (this.halted) return;
        this.state = 'stalled';
        this.problem = err instanceof Error ? err.message : String(err);
        this.log(`writing failed, recovering: ${this.problem}`);
        // Without a progress record built, none was sent: the transaction cannot have committed.
        if (next === null) taken.failed();
        await this.recover({ inFlight: next === null ? null : { seq, taken, progress: next } });
      }
    }
  }

  private wrote(progress: Progress): void {
    this.progress = progress;
    this.lastWrite = Date.now();
  }

  status(): SinkStatus {
    const status = this.state === 'waiting' ? 'starting' : this.problem === null ? this.state : `${this.state}: ${this.problem}`;
    return { topic: this.options.spec.connection.topic, status, messages: this.progress.messages, lastWrite: this.lastWrite, lag: this.options.state.pending() };
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.wakeRetry?.();
    // A transaction in flight finishes (bounded: a broker that is gone must not hold up DROP).
    await Promise.race([this.flushing, new Promise((r) => setTimeout(r, 2000).unref())]);
    const producer = this.producer;
    this.producer = null;
    await Promise.race([producer?.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
