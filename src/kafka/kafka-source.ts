/**
 * A running Kafka source: reads its partitions from the offsets it was given, turns each fetched
 * batch into rows (undecodable messages go to eddy_source_errors, or stop the source under
 * ON ERROR = 'fail') and pushes them into the source's input node in one piece, which schedules
 * an update cycle.
 *
 * The runtime, not Kafka's consumer group, owns the position: `next` holds each partition's first
 * unapplied offset, the reader seeks there on every (re)join, and messages below it are dropped,
 * so reconnecting after the broker went away neither loses nor repeats a message. The group's
 * committed offsets follow `next` (for START OFFSET COMMITTED), written after rows are applied.
 *
 * The topic's metadata is looked at again every 'metadata.max.age.ms' (default 30 s): partitions
 * added since are read from their start (the reader restarts with them; positions are the
 * runtime's, so nothing is lost or repeated), and a topic that no longer exists, or whose offsets
 * went back (deleted and created again), fails the source, saying so, instead of leaving it
 * retrying for ever.
 */
import type { Row } from '../engine/batch.js';
import type { SourceRuntime } from '../catalog/relation.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { probeTopic, startPartitionReader, type FetchedBatch, type KafkaConnection, type PartitionReader, type TopicProbe } from './kafka-client.js';
import { MessagePartError, rowAssembler, type RowAssembler } from './message-rows.js';
import type { SourceErrorLog, SourceErrorRecord } from './source-errors.js';
import type { KafkaSourceSpec, PartitionOffset, PreparedDecoder } from './source-spec.js';

export interface KafkaSourceOptions {
  spec: KafkaSourceSpec;
  /** Where each partition starts (resolved at CREATE, or stored in the catalog). */
  startOffsets: PartitionOffset[];
  /** Null for IGNORE. */
  key: PreparedDecoder | null;
  value: PreparedDecoder | null;
  /** Hands rows to the source's input node. */
  push(rows: Row[]): void;
  errors: SourceErrorLog;
  log(line: string): void;
  /** High watermarks known at CREATE, so lag shows before the first fetch. */
  highWatermarks?: Map<number, bigint>;
}

/** How often the applied offsets are committed to the group. */
const COMMIT_INTERVAL_MS = 1000;
const RECONNECT_MAX_MS = 5000;
/** How long a restarted source tries to learn how far its topic goes (to catch up to it). */
const CATCH_UP_PROBE_MS = 10_000;
/** How often the topic's partitions are looked at again, unless 'metadata.max.age.ms' says. */
const DEFAULT_METADATA_CHECK_MS = 30_000;

type State = 'starting' | 'running' | 'stalled' | 'failed' | 'stopped';

export class KafkaSourceRuntime implements SourceRuntime {
  private readonly next = new Map<number, bigint>();
  private readonly high: Map<number, bigint>;
  private readonly assemble: RowAssembler;
  private readonly connection: KafkaConnection;
  private reader: PartitionReader | null = null;
  private state: State = 'starting';
  private problem: string | null = null;
  private messages = 0;
  private errorCount = 0;
  private readonly committed = new Map<number, bigint>();
  private commitInFlight: Promise<void> | null = null;
  private commitTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private metadataTimer: NodeJS.Timeout | null = null;
  private checkingMetadata = false;
  /** Checks in a row that found no topic: two are needed, so a broker's hiccup fails nothing. */
  private topicMissing = 0;
  private wakeRetry: (() => void) | null = null;
  /** After a restart: the high watermarks to reach, and who waits for that. */
  private catchUp: { targets: Map<number, bigint> | null; done: () => void; promise: Promise<void> } | null = null;

  constructor(private readonly options: KafkaSourceOptions) {
    for (const { partition, offset } of options.startOffsets) this.next.set(partition, offset);
    this.high = new Map(options.highWatermarks ?? []);
    this.assemble = rowAssembler(options.spec.include, options.key?.decode ?? null, options.value?.decode ?? null);
    this.connection = { brokers: options.spec.connection.brokers, properties: options.spec.connection.properties };
  }

  /** A line for the server log, naming this source. */
  private log(line: string): void {
    this.options.log(`source ${this.options.spec.name}: ${line}`);
  }

  /** Stopped (DROP, shutdown) or failed (ON ERROR = 'fail'): no more reading. */
  private get halted(): boolean {
    return this.state === 'stopped' || this.state === 'failed';
  }

  /** Starts reading in the background; a broker that cannot be reached yet is retried. */
  start(): void {
    void this.connect();
    this.commitTimer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS);
    this.commitTimer.unref();
    const maxAge = this.options.spec.connection.properties.find((p) => p.name === 'metadata.max.age.ms');
    this.metadataTimer = setInterval(() => void this.checkMetadata(), Math.max(100, maxAge ? Number(maxAge.value) : DEFAULT_METADATA_CHECK_MS));
    this.metadataTimer.unref();
  }

  /** New partitions are read from their start; a deleted topic fails the source. */
  private async checkMetadata(): Promise<void> {
    if (this.halted || this.checkingMetadata || this.state === 'starting') return;
    this.checkingMetadata = true;
    const topic = this.options.spec.connection.topic;
    try {
      // The positions as of before the probe: the reader goes on while it waits, and under load
      // it once read past the watermark the probe had fetched, which looked like offsets going back.
      const before = new Map(this.next);
      const probe = await probeTopic(this.connection, topic, null);
      this.topicMissing = 0;
      // Offsets never go back on a topic: one that did was deleted and created again (a reader
      // asking for it may do that where the broker creates topics automatically).
      const reset = probe.partitions.find((p) => (before.get(p.partition) ?? 0n) > p.high);
      if (reset) {
        const read = before.get(reset.partition)!;
        this.halt(`Kafka topic "${topic}" was deleted or created again: partition ${reset.partition} ends at offset ${reset.high}, before the ${read} messages read; DROP SOURCE and create it again`);
        return;
      }
      const added = probe.partitions.filter((p) => !this.next.has(p.partition));
      if (added.length === 0 || this.halted) return;
      for (const p of added) {
        this.next.set(p.partition, p.low);
        this.high.set(p.partition, p.high);
      }
      this.log(`topic ${topic} has new partitions ${added.map((p) => p.partition).join(', ')}: reading them from their start`);
      const old = this.reader;
      this.reader = null;
      await old?.stop();
      await this.connect();
    } catch (err) {
      if (err instanceof SqlError && err.code === SQLSTATE.undefinedObject && ++this.topicMissing >= 2) {
        this.halt(`Kafka topic "${topic}" no longer exists (deleted?): the source cannot read on; DROP SOURCE and create it again`);
      }
      // Anything else (the broker away) the reader reports itself, and the next check retries.
    } finally {
      this.checkingMetadata = false;
    }
  }

  private async connect(): Promise<void> {
    const { spec } = this.options;
    let delay = 300;
    while (!this.halted) {
      try {
        const reader = await startPartitionReader(this.connection, spec.connection.topic, spec.connection.groupId, [...this.next.keys()], {
          onBatch: (batch) => this.onBatch(batch),
          nextOffsets: () => this.next,
          onJoined: () => this.reading(),
          onBatchDone: (partition, lastOffset, high) => this.batchDone(partition, lastOffset, high),
          onTrouble: (error) => this.trouble(error),
        });
        if (this.halted) {
          await reader.stop();
          return;
        }
        this.reader = reader;
        return;
      } catch (err) {
        this.trouble(err);
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          this.retryTimer = setTimeout(resolve, delay);
        });
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    }
  }

  private trouble(error: unknown): void {
    if (this.halted) return;
    this.state = 'stalled';
    this.problem = error instanceof Error ? error.message : String(error);
    this.log(`Kafka connection trouble, retrying: ${this.problem}`);
  }

  private reading(): void {
    if (this.halted) return;
    this.state = 'running';
    this.problem = null;
  }

  private async onBatch(batch: FetchedBatch): Promise<void> {
    if (this.halted) return;
    this.reading();
    const { partition, messages } = batch;
    this.high.set(partition, batch.highWatermark);
    let next = this.next.get(partition);
    if (next === undefined || messages.length === 0) return;
    const { key, value } = this.options;
    if (key?.prepare || value?.prepare) {
      await Promise.all([key?.prepare?.(messages.map((m) => m.key)), value?.prepare?.(messages.map((m) => m.value))]);
      if (this.halted) return; // dropped while the registry answered
    }
    const rows: Row[] = [];
    const bad: SourceErrorRecord[] = [];
    let failure: SourceErrorRecord | null = null;
    for (const message of messages) {
      const offset = BigInt(message.offset);
      if (offset < next) continue; // read before a reconnection: applied already
      try {
        rows.push(this.assemble(partition, offset, message));
      } catch (err) {
        const record = this.errorRecord(partition, offset, err);
        bad.push(record);
        if (this.options.spec.onError === 'fail') {
          failure = record;
          break; // the failing message stays unapplied: next points at it
        }
      }
      next = offset + 1n;
    }
    this.next.set(partition, next);
    this.messages += rows.length + bad.length;
    this.errorCount += bad.length;
    if (rows.length > 0) this.options.push(rows);
    this.options.errors.record(bad);
    if (failure) this.fail(failure);
    this.checkCaughtUp();
  }

  /**
   * Moves a partition's position past records that were fetched but are not messages
   * (transaction markers, aborted messages), so that lag reaches 0 and a restart's catch-up ends.
   */
  private batchDone(partition: number, lastOffset: bigint, high: bigint): void {
    if (this.halted) return;
    this.high.set(partition, high);
    const next = this.next.get(partition);
    if (next !== undefined && lastOffset >= next) this.next.set(partition, lastOffset + 1n);
    this.checkCaughtUp();
  }

  /** Resolves once every partition has been read up to its high watermark of now (see SourceRuntime). */
  caughtUp(): Promise<void> {
    if (this.catchUp) return this.catchUp.promise;
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    const catchUp = (this.catchUp = { targets: null as Map<number, bigint> | null, done, promise });
    void this.probeForCatchUp(Date.now() + CATCH_UP_PROBE_MS).then((probe) => {
      if (!probe) return done(); // the broker is not there: nothing to wait for
      catchUp.targets = new Map(probe.partitions.filter((p) => this.next.has(p.partition)).map((p) => [p.partition, p.high]));
      for (const [partition, high] of catchUp.targets) this.high.set(partition, high);
      this.checkCaughtUp();
    });
    return promise;
  }

  /** The topic's watermarks, retried for a while: a broker that has just started may not answer yet. */
  private async probeForCatchUp(deadline: number): Promise<TopicProbe | null> {
    for (let delay = 250; !this.halted; delay = Math.min(delay * 2, 2000)) {
      try {
        return await probeTopic(this.connection, this.options.spec.connection.topic, null);
      } catch (err) {
        if (Date.now() + delay > deadline) {
          this.log(`not waiting to catch up: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    return null;
  }

  private checkCaughtUp(): void {
    const targets = this.catchUp?.targets;
    if (!targets) return;
    if (this.halted || [...targets].every(([partition, high]) => this.next.get(partition)! >= high)) this.catchUp!.done();
  }

  private errorRecord(partition: number, offset: bigint, err: unknown): SourceErrorRecord {
    const part = err instanceof MessagePartError ? err : new MessagePartError('value', null, err);
    const cause = part.error;
    if (!(cause instanceof SqlError)) {
      // Not a data problem: a decoder bug. Keep the source alive, but say so in the log.
      this.log(`decoding partition ${partition} offset ${offset} failed: ${cause instanceof Error ? cause.stack : String(cause)}`);
    }
    const error = cause instanceof Error ? cause.message : String(cause);
    return { source: this.options.spec.name, partition, offset, part: part.part, error, raw: part.raw };
  }

  private fail(record: SourceErrorRecord): void {
    this.halt(`message at partition ${record.partition} offset ${record.offset} could not be decoded (${record.part}): ${record.error}`);
  }

  /** Stops reading for good, saying why in SHOW SOURCES and the log. */
  private halt(problem: string): void {
    this.state = 'failed';
    this.problem = problem;
    this.options.log(`source ${this.options.spec.name} failed: ${this.problem}`);
    // Not awaited: disconnecting waits for the batch being handled, which may be the caller's.
    void this.shutdown(true);
  }

  /** Commits the applied offsets to the group when they moved (one commit in flight at most). */
  private async commit(): Promise<void> {
    if (!this.reader || this.commitInFlight) return;
    const moved = [...this.next].filter(([p, o]) => this.committed.get(p) !== o);
    if (moved.length === 0) return;
    const offsets = new Map(moved);
    this.commitInFlight = this.reader
      .commit(offsets)
      .then(() => {
        for (const [p, o] of offsets) this.committed.set(p, o);
      })
      .catch((err) => this.log(`committing offsets failed (will retry): ${String(err)}`))
      .finally(() => {
        this.commitInFlight = null;
      });
    await this.commitInFlight;
  }

  /**
   * status: starting (not joined yet), running, stalled: <why> (the broker is away; it is
   * retried, and reading resumes by itself), failed: <why> (ON ERROR = 'fail', the topic deleted), stopped. lag: messages in the
   * log not read yet.
   */
  status(): ReturnType<SourceRuntime['status']> {
    let lag: number | null = null;
    for (const [partition, high] of this.high) {
      const next = this.next.get(partition);
      if (next !== undefined) lag = (lag ?? 0) + Number(high > next ? high - next : 0n);
    }
    const status = this.problem === null ? this.state : `${this.state}: ${this.problem}`;
    return { type: 'kafka', topic: this.options.spec.connection.topic, status, messages: this.messages, errors: this.errorCount, lag };
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const connected = this.state === 'running';
    this.state = 'stopped';
    await this.shutdown(connected);
  }

  /** Ends reading; `connected` says whether a last commit is worth trying. */
  private async shutdown(connected: boolean): Promise<void> {
    this.catchUp?.done();
    if (this.commitTimer) clearInterval(this.commitTimer);
    if (this.metadataTimer) clearInterval(this.metadataTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    const reader = this.reader;
    if (!reader) return;
    // A last commit, bounded: a broker that is gone must not hold up DROP or shutdown.
    if (connected) {
      const lastCommit = (async () => {
        await this.commitInFlight;
        await this.commit();
      })();
      await Promise.race([lastCommit, new Promise((r) => setTimeout(r, 1500).unref())]);
    }
    this.reader = null;
    // Bounded too: with the broker gone, leaving the group waits on retries; it ends by itself.
    const disconnect = reader.stop().catch((err) => this.log(`disconnecting: ${String(err)}`));
    await Promise.race([disconnect, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
