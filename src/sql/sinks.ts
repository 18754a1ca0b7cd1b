/**
 * The database's sinks: stored like other catalog objects (the statement, replayed at start),
 * named in the relations' namespace, but not relations: pg_catalog does not list them, and
 * nothing reads them. What they show of themselves is the system relation eddy_sinks (and
 * SHOW SINKS), refreshed from the runtimes' status once a second while there are sinks; the
 * rows they could not write are eddy_sink_errors.
 */
import type { CatalogStore } from '../catalog/store.js';
import type { SinkObject } from '../catalog/sink.js';
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import type { Row } from '../engine/batch.js';
import { identityKey } from '../types/compare.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import { SinkErrorLog } from '../kafka/sink-errors.js';
import { T } from '../types/types.js';

export const SINKS_RELATION = 'eddy_sinks';

export const SINK_COLUMNS: RelationColumn[] = [
  { name: 'name', type: T.text, typmod: -1 },
  { name: 'input', type: T.text, typmod: -1 },
  { name: 'topic', type: T.text, typmod: -1 },
  { name: 'key_format', type: T.text, typmod: -1 },
  { name: 'value_format', type: T.text, typmod: -1 },
  { name: 'envelope', type: T.text, typmod: -1 },
  { name: 'status', type: T.text, typmod: -1 },
  { name: 'messages', type: T.int8, typmod: -1 },
  { name: 'last_write', type: T.timestamptz, typmod: -1 },
  { name: 'lag', type: T.int8, typmod: -1 },
];

const REFRESH_MS = 1000;

export class SinkCatalog {
  readonly byName = new Map<string, SinkObject>();
  readonly errors: SinkErrorLog;
  /** eddy_sinks. */
  readonly node: InputNode;
  private shown = new Map<string, Row>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataflow: Dataflow,
    private readonly store: CatalogStore,
    private readonly log: (line: string) => void,
  ) {
    this.errors = new SinkErrorLog(dataflow);
    this.node = dataflow.input(SINKS_RELATION, 'general');
  }

  /** The rows of eddy_sinks (and SHOW SINKS), by name. */
  rows(): Row[] {
    return [...this.byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((s) => {
        const st = s.runtime.status();
        return [s.name, s.input, st.topic, s.keyFormat, s.valueFormat, s.envelope, st.status, BigInt(st.messages), st.lastWrite === null ? null : st.lastWrite * 1000, BigInt(st.lag)];
      });
  }

  /** Pushes the changed rows of eddy_sinks; returns whether anything changed. */
  refresh(): boolean {
    const next = new Map(this.rows().map((row) => [identityKey(row), row]));
    const changes = [...this.shown].filter(([k]) => !next.has(k)).map(([, row]) => ({ row, diff: -1 }));
    for (const [k, row] of next) if (!this.shown.has(k)) changes.push({ row, diff: 1 });
    this.shown = next;
    this.node.push(changes);
    if (this.byName.size > 0 && this.timer === null) {
      this.timer = setInterval(() => this.refresh(), REFRESH_MS);
      this.timer.unref();
    } else if (this.byName.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return changes.length > 0;
  }

  /** Adds a sink (and stores its definition unless `replaying`). */
  add(sink: SinkObject, replaying: boolean): void {
    if (!replaying) this.store.addObject({ id: sink.id, kind: 'sink', name: sink.name, sql: sink.sql });
    this.byName.set(sink.name, sink);
    this.refresh();
  }

  /** The sinks that read `relation`. */
  readers(relation: string): SinkObject[] {
    return [...this.byName.values()].filter((s) => s.dependsOn.includes(relation));
  }

  /** Stops the sink, closes its producer, forgets it. */
  drop(name: string): void {
    const sink = this.byName.get(name);
    if (!sink) return;
    this.byName.delete(name);
    sink.dispose();
    void sink.runtime.stop().catch((err) => this.log(`stopping sink ${name}: ${String(err)}`));
    this.errors.forget(name);
    this.store.removeObject(sink.id);
    this.refresh();
  }

  /** After a restart's replay (sources caught up): every sink recovers and writes. */
  startAll(): void {
    for (const sink of this.byName.values()) sink.runtime.start();
  }

  async stopAll(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.byName.values()].map((s) => s.runtime.stop().catch(() => {})));
  }
}
