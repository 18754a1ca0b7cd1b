/**
 * A system relation of recent errors (eddy_source_errors, eddy_sink_errors), queryable with
 * SELECT like any relation. It is backed by a general input node of the shared dataflow:
 * recording an error adds a row, and each owner (a source, a sink) keeps only its latest
 * `maxPerOwner` rows (older ones are retracted), so a stream of bad data cannot grow memory
 * without bound. Forgetting an owner (DROP) retracts its rows.
 */
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import type { Row } from '../engine/batch.js';

export class BoundedErrorLog {
  readonly node: InputNode;
  /** Each owner's kept rows, oldest first. */
  private readonly kept = new Map<string, Row[]>();

  constructor(dataflow: Dataflow, name: string, private readonly maxPerOwner: number) {
    this.node = dataflow.input(name, 'general');
  }

  /** Adds the rows (one push, so one cycle for a whole bad batch), evicting the oldest. */
  record(entries: { owner: string; row: Row }[]): void {
    if (entries.length === 0) return;
    const changes: { row: Row; diff: number }[] = [];
    for (const { owner, row } of entries) {
      let rows = this.kept.get(owner);
      if (!rows) this.kept.set(owner, (rows = []));
      rows.push(row);
      changes.push({ row, diff: 1 });
      if (rows.length > this.maxPerOwner) changes.push({ row: rows.shift()!, diff: -1 });
    }
    this.node.push(changes);
  }

  /** Forgets a dropped owner's errors. */
  forget(owner: string): void {
    const rows = this.kept.get(owner);
    this.kept.delete(owner);
    if (rows && rows.length > 0) this.node.push(rows.map((row) => ({ row, diff: -1 })));
  }
}
