/**
 * eddy_source_errors: the messages sources could not decode (a BoundedErrorLog: each source
 * keeps its latest MAX_ERRORS_PER_SOURCE; dropping a source retracts its rows).
 */
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import { BoundedErrorLog } from './error-log.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import { T } from '../types/types.js';

export const SOURCE_ERRORS_RELATION = 'eddy_source_errors';
const MAX_ERRORS_PER_SOURCE = 1000;

export const SOURCE_ERROR_COLUMNS: RelationColumn[] = [
  { name: 'source', type: T.text, typmod: -1 },
  { name: 'kafkapartition', type: T.int4, typmod: -1 },
  { name: 'kafkaoffset', type: T.int8, typmod: -1 },
  /** 'key' or 'value': which part of the message failed. */
  { name: 'part', type: T.text, typmod: -1 },
  { name: 'error', type: T.text, typmod: -1 },
  /** The undecodable bytes of that part, as they came. */
  { name: 'raw', type: T.bytea, typmod: -1 },
  { name: 'recorded_at', type: T.timestamptz, typmod: -1 },
];

export interface SourceErrorRecord {
  source: string;
  partition: number;
  offset: bigint;
  part: 'key' | 'value';
  error: string;
  raw: Uint8Array | null;
}

export class SourceErrorLog {
  private readonly log: BoundedErrorLog;

  constructor(dataflow: Dataflow) {
    this.log = new BoundedErrorLog(dataflow, SOURCE_ERRORS_RELATION, MAX_ERRORS_PER_SOURCE);
  }

  get node(): InputNode {
    return this.log.node;
  }

  /** Adds the records (one push, so one cycle for a whole bad batch), evicting the oldest. */
  record(records: SourceErrorRecord[]): void {
    const now = Date.now() * 1000;
    this.log.record(records.map((r) => ({ owner: r.source, row: [r.source, r.partition, r.offset, r.part, r.error, r.raw, now] })));
  }

  /** Forgets a dropped source's errors. */
  forget(source: string): void {
    this.log.forget(source);
  }
}
