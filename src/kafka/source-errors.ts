/**
 * eddy_source_errors: the messages sources could not decode (a BoundedErrorLog: each source
 * keeps its latest `retained`, --source-errors-retained, default 1000; dropping a source retracts
 * its rows). The raw bytes kept are cut at MAX_RAW_BYTES, so memory stays bounded by retained x
 * 64 KiB per source whatever the messages' size.
 */
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import { BoundedErrorLog } from './error-log.js';
import type { RelationColumn } from '../planner/catalog-api.js';
import { T } from '../types/types.js';

export const SOURCE_ERRORS_RELATION = 'eddy_source_errors';
export const DEFAULT_SOURCE_ERRORS_RETAINED = 1000;
const MAX_RAW_BYTES = 64 * 1024;

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

  constructor(dataflow: Dataflow, retained = DEFAULT_SOURCE_ERRORS_RETAINED) {
    this.log = new BoundedErrorLog(dataflow, SOURCE_ERRORS_RELATION, retained);
  }

  get node(): InputNode {
    return this.log.node;
  }

  /** Adds the records (one push, so one cycle for a whole bad batch), evicting the oldest. */
  record(records: SourceErrorRecord[]): void {
    const now = Date.now() * 1000;
    this.log.record(records.map((r) => ({ owner: r.source, row: [r.source, r.partition, r.offset, r.part, r.error, r.raw && r.raw.subarray(0, MAX_RAW_BYTES), now] })));
  }

  /** Forgets a dropped source's errors. */
  forget(source: string): void {
    this.log.forget(source);
  }
}
