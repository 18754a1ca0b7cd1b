/**
 * eddy_sink_errors: the rows sinks could not write (a NULL key under UPSERT, a value its Avro
 * schema cannot hold), with the row (as a JSON object of its columns) and the reason. The sink
 * skips such a row and goes on. A BoundedErrorLog: each sink keeps its latest
 * MAX_ERRORS_PER_SINK; dropping a sink retracts its rows.
 */
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import { T } from '../types/types.js';
import { BoundedErrorLog } from './error-log.js';

export const SINK_ERRORS_RELATION = 'eddy_sink_errors';
const MAX_ERRORS_PER_SINK = 1000;

export const SINK_ERROR_COLUMNS: RelationColumn[] = [
  { name: 'sink', type: T.text, typmod: -1 },
  /** The row that could not be written, as a JSON object of the input's columns. */
  { name: 'row', type: T.text, typmod: -1 },
  { name: 'error', type: T.text, typmod: -1 },
  { name: 'recorded_at', type: T.timestamptz, typmod: -1 },
];

export interface SinkErrorRecord {
  sink: string;
  row: string;
  error: string;
}

export class SinkErrorLog {
  private readonly log: BoundedErrorLog;

  constructor(dataflow: Dataflow) {
    this.log = new BoundedErrorLog(dataflow, SINK_ERRORS_RELATION, MAX_ERRORS_PER_SINK);
  }

  get node(): InputNode {
    return this.log.node;
  }

  record(records: SinkErrorRecord[]): void {
    const now = Date.now() * 1000;
    this.log.record(records.map((r) => ({ owner: r.sink, row: [r.sink, r.row, r.error, now] })));
  }

  forget(sink: string): void {
    this.log.forget(sink);
  }
}
