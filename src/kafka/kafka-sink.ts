/**
 * A running Kafka sink: follows its input's changes (through the engine's change feed, wired by
 * the CREATE SINK handler), keeps what its envelope has to write (sink-envelopes.ts), and writes
 * it in Kafka transactions, one at a time, each carrying the sink's progress record.
 *
 * Exactly once (docs/ARCHITECTURE.md, "Kafka sinks"): on start, and after any producer failure,
 * the transactional producer is opened again, which fences the previous one (the broker aborts
 * its open transaction). At start, the sink then reads its progress topic (read_committed) for
 * the last record it committed, reads its topic back as far as that record says, hands those
 * messages to the envelope state as what consumers already have, and from then on writes only
 * the difference. After a failure in flight, the progress record alone says whether the failed
 * transaction committed (its sequence number is there) or must be written again.
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
} from './kafka-client.js';
import type { EnvelopeState, TakenMessages } from './sink-envelopes.js';
import { decodeProgress, encodeProgress, nextProgress, ReadBack, settled, type Progress } from './sink-progress.js';
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
  private progress: Progress = { seq: 0, offsets: new Map(), more: new Map(), messages: 0 };
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
   * that failed: committed if the progress record has its number.
   */
  private async recover(mode: 'start' | { inFlight: { taken: TakenMessages; progress: Progress } | null }): Promise<void> {
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
        } else if (mode.inFlight && committed?.seq === mode.inFlight.progress.seq) {
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

  /** Hands the envelope state what the sink committed to its topic, as `committed` says. */
  private async readBack(committed: Progress | null): Promise<void> {
    const { state } = this.options;
    const { topic } = this.options.spec.connection;
    state.beginRecovery();
    if (committed) {
      const reading = new ReadBack(committed);
      const ends = new Map((await probeTopic(this.connection, topic, null)).partitions.map((p) => [p.partition, p.high]));
      await readCommittedRange(this.connection, topic, reading.ranges(ends), `${this.options.transactionalId}.read.${Date.now()}`, (partition, message) => {
        if (reading.accept(partition, BigInt(message.offset))) state.recovered(message.key, message.value);
      });
      for (const { partition, found, expected } of reading.done()) {
        this.log(`partition ${partition} holds ${found} of the ${expected} messages transaction ${committed.seq} counts as committed (deleted by retention?)`);
      }
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
      const { topic } = this.options.spec.connection;
      const partitionOf = this.partitionOf!;
      const messages = taken.messages.map((m) => ({ key: m.key, value: m.value, partition: partitionOf(m.key) }));
      const counts = new Map<number, number>();
      for (const m of messages) counts.set(m.partition, (counts.get(m.partition) ?? 0) + 1);
      const next = nextProgress(this.progress, this.progress.seq + 1, counts, messages.length);
      try {
        const written = await this.producer!.write(topic, messages, { topic: this.progressTopic, key: this.options.transactionalId, value: encodeProgress(next) });
        taken.committed();
        this.wrote(settled(next, written));
      } catch (err) {
        if (this.halted) return;
        this.state = 'stalled';
        this.problem = err instanceof Error ? err.message : String(err);
        this.log(`writing failed, recovering: ${this.problem}`);
        // Whether it committed (its record went out with its first request) the record says.
        await this.recover({ inFlight: { taken, progress: next } });
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
