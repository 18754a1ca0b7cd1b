/**
 * eddy_source_errors: the messages sources could not decode, queryable with SELECT like any
 * relation. It is backed by a general input node of the shared dataflow: recording an error adds
 * a row, and each source keeps only its latest MAX_ERRORS_PER_SOURCE (older ones are retracted),
 * so a topic full of garbage cannot grow memory without bound. Dropping a source retracts its rows.
 */
import type { Dataflow, InputNode } from '../engine/dataflow.js';
import type { Row } from '../engine/batch.js';
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
  readonly node: InputNode;
  /** Each source's kept rows, oldest first. */
  private readonly kept = new Map<string, Row[]>();

  constructor(dataflow: Dataflow) {
    this.node = dataflow.input(SOURCE_ERRORS_RELATION, 'general');
  }

  /** Adds the records (one push, so one cycle for a whole bad batch), evicting the oldest. */
  record(records: SourceErrorRecord[]): void {
    if (records.length === 0) return;
    const changes: { row: Row; diff: number }[] = [];
    const now = Date.now() * 1000;
    for (const r of records) {
      let rows = this.kept.get(r.source);
      if (!rows) this.kept.set(r.source, (rows = []));
      const row: Row = [r.source, r.partition, r.offset, r.part, r.error, r.raw, now];
      rows.push(row);
      changes.push({ row, diff: 1 });
      if (rows.length > MAX_ERRORS_PER_SOURCE) changes.push({ row: rows.shift()!, diff: -1 });
    }
    this.node.push(changes);
  }

  /** Forgets a dropped source's errors. */
  forget(source: string): void {
    const rows = this.kept.get(source);
    this.kept.delete(source);
    if (rows && rows.length > 0) this.node.push(rows.map((row) => ({ row, diff: -1 })));
  }
}
