/**
 * A sink as the database keeps it: not a relation (nothing reads it, pg_catalog does not list
 * it), but a stored catalog object with a name in the relations' namespace, the relations it
 * reads (so that DROP of one of them names it), and a running SinkRuntime (src/kafka/kafka-sink.ts).
 */
export interface SinkStatus {
  topic: string;
  /** running, starting (recovering what its topic holds), stalled: <why>, failed: <why>. */
  status: string;
  /** Messages written (committed), counted across restarts. */
  messages: number;
  /** When the last transaction committed, ms since the epoch; null before the first. */
  lastWrite: number | null;
  /** Changes waiting to be written. */
  lag: number;
}

export interface SinkRuntime {
  status(): SinkStatus;
  /**
   * Starts writing: recovers what the topic holds, then writes the difference and follows.
   * The database calls it at CREATE, and after a restart once every source has caught up.
   */
  start(): void;
  /** Stops and closes the producer (DROP SINK, shutdown). */
  stop(): Promise<void>;
}

export interface SinkObject {
  id: number;
  name: string;
  /** The statement that created it (SHOW CREATE, and replay at start). */
  sql: string;
  /** The relation it reads, or '(query)' for FROM (query). */
  input: string;
  /** Names of the relations its definition reads. */
  dependsOn: string[];
  keyFormat: string;
  valueFormat: string;
  envelope: string;
  runtime: SinkRuntime;
  /** Removes what the sink built in the dataflow (its query's node) and its feed listener. */
  dispose(): void;
}
