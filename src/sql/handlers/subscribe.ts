/**
 * SUBSCRIBE through its three transports: a bare SUBSCRIBE (rows that keep coming: psycopg's
 * stream(), node pg's cursors, Execute with a row limit), COPY (SUBSCRIBE ...) TO STDOUT, and
 * DECLARE ... CURSOR FOR SUBSCRIBE read by FETCH (handlers/cursors.ts).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { ParamTypes } from '../../planner/bind-expr.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import type { Value } from '../../types/types.js';
import type { ColumnDesc, ExecResult } from '../../wire/session-api.js';
import { copyOptions, CopyRowEncoder } from '../copy-format.js';
import type { SqlCursor } from '../cursors.js';
import type { SubscribeStatement } from '../grammar/subscribe.js';
import { column, commandResult, simplePrepared, type Handler } from '../prepared.js';
import { followRelation, maintainQuery, planSelect } from '../query.js';
import type { Session } from '../session.js';
import { Subscription, subscribeColumns, type QueuedPiece } from '../subscription.js';
import type { Batch } from '../../engine/batch.js';
import type { Node } from '../../engine/dataflow.js';
import type { SourceRelation } from '../../catalog/relation.js';
import { checkCursorAllowed, CURSOR_OPT_HOLD } from './cursors.js';

/** The sources whose input nodes `node` reads, directly or through other nodes. */
function sourcesFeeding(session: Session, node: Node): SourceRelation[] {
  const upstream = new Set<Node>();
  const visit = (n: Node): void => {
    if (upstream.has(n)) return;
    upstream.add(n);
    for (const input of n.inputs) visit(input);
  };
  visit(node);
  return [...session.db.relations.values()].filter((r): r is SourceRelation => r.kind === 'source' && upstream.has(r.node));
}

/** A source that reads and has read all its topic holds: its silence means nothing new. */
const caughtUp = (s: ReturnType<SourceRelation['runtime']['status']>): boolean => s.status === 'running' && !s.lag;

/** What a prepared SUBSCRIBE knows before it runs: its row shape; start() attaches it. */
interface PreparedSubscribe {
  columns: RelationColumn[];
  start(): Subscription;
}

function prepareSubscribe(session: Session, stmt: SubscribeStatement): PreparedSubscribe {
  const target = stmt.target;
  let relationColumns: RelationColumn[];
  if (target.kind === 'relation') {
    relationColumns = session.db.getQualified(target.schema, target.name, target.location).columns;
  } else {
    const params = new ParamTypes([]);
    relationColumns = planSelect(session, target.query, params).columns;
    if (params.resolved().length > 0) throw new SqlError(SQLSTATE.undefinedParameter, 'SUBSCRIBE cannot have parameters');
  }
  return {
    columns: subscribeColumns(relationColumns, stmt.progress),
    start() {
      const followed =
        target.kind === 'relation' ? followRelation(session, target.schema, target.name, target.location) : maintainQuery(session, target.query);
      const bufferRows = Number(session.settings.get('eddy.subscribe_buffer_rows'));
      const sources = sourcesFeeding(session, followed.node);
      const feedsCaughtUp = () => sources.every((s) => caughtUp(s.runtime.status()));
      return new Subscription(session.db.dataflow, followed, { snapshot: stmt.snapshot, progress: stmt.progress, bufferRows, feedsCaughtUp });
    },
  };
}

const descs = (columns: RelationColumn[]): ColumnDesc[] => columns.map((c) => column(c.name, c.type, c.typmod));
const cancelHook = (session: Session) => (listener: (reason: SqlError) => void) => session.onCancel(listener);

/** The subscription's next pieces: what is queued, else the first ones to come; null once closed. */
async function nextPieces(session: Session, sub: Subscription, max: number): Promise<QueuedPiece[] | null> {
  for (;;) {
    const pieces = sub.takePieces(max);
    if (pieces === null || pieces.length > 0) return pieces;
    await sub.wait(null, cancelHook(session));
  }
}

/** The subscription's next rows: what is queued, else the first ones to come; null once closed. */
async function nextRows(session: Session, sub: Subscription, max: number): Promise<Value[][] | null> {
  const pieces = await nextPieces(session, sub, max);
  return pieces && sub.rowsOf(pieces);
}

export const subscribe: Handler = (session, statement) => {
  const prepared = prepareSubscribe(session, statement.ast.EddySubscribe);
  return simplePrepared(statement, descs(prepared.columns), (): ExecResult => {
    const sub = prepared.start();
    return {
      kind: 'rows',
      columns: descs(prepared.columns),
      cursor: {
        async next(max) {
          const rows = await nextRows(session, sub, max > 0 ? max : Infinity);
          return rows === null ? { rows: [], done: true } : { rows, done: false };
        },
        close: () => sub.close(),
      },
      tag: (n) => `SUBSCRIBE ${n}`,
    };
  });
};

/** Rows taken from a subscription's queue, encoded and handed to the wire at a time. */
const COPY_GROUP_ROWS = 1024;

/**
 * Encoded rows of delivered batches, by batch and encoder key: the subscribers of one relation
 * get the same batch in a cycle, so each change is encoded once, not once per subscriber. An
 * entry lives as long as some subscriber still queues its batch.
 */
const encodedBatches = new WeakMap<Batch, Map<string, (Buffer | undefined)[]>>();

function encodedRow(sub: Subscription, piece: Extract<QueuedPiece, { kind: 'changes' }>, i: number, encoder: CopyRowEncoder): Buffer {
  let byKey = encodedBatches.get(piece.batch);
  if (!byKey) encodedBatches.set(piece.batch, (byKey = new Map()));
  let rows = byKey.get(encoder.key);
  if (!rows) byKey.set(encoder.key, (rows = new Array(piece.batch.length)));
  return (rows[i] ??= encoder.body(sub.subscribeRow(piece, i)));
}

export const copySubscribe: Handler = (session, statement) => {
  const { subscribe: stmt, copy } = statement.ast.EddyCopySubscribe;
  const prepared = prepareSubscribe(session, stmt);
  const opts = copyOptions(copy.options);
  return simplePrepared(statement, null, (): ExecResult => {
    const sub = prepared.start();
    const encoder = new CopyRowEncoder(prepared.columns, opts, session.settings.get('timezone'));
    let sent = 0;
    async function* chunks(): AsyncGenerator<Uint8Array[]> {
      try {
        const head = encoder.head();
        if (head) yield [head];
        for (;;) {
          const pieces = await nextPieces(session, sub, COPY_GROUP_ROWS);
          if (pieces === null) break;
          const group: Buffer[] = [];
          for (const piece of pieces) {
            if (piece.kind === 'progress') group.push(encoder.row(sub.subscribeRow(piece, 0)));
            else for (let i = piece.from; i < piece.to; i++) group.push(encoder.framed(encodedRow(sub, piece, i, encoder)));
          }
          sent += group.length;
          yield group;
        }
        const end = encoder.end();
        if (end) yield [end];
      } finally {
        sub.close();
      }
    }
    return {
      kind: 'copy-out',
      format: encoder.binary ? 'binary' : 'text',
      columnCount: prepared.columns.length,
      chunks: chunks(),
      tag: () => `COPY ${sent}`,
      close: () => sub.close(),
    };
  });
};

/** A cursor over a subscription: FETCH returns what is queued, waiting up to its timeout for a first row. */
function subscribeCursor(session: Session, sub: Subscription): SqlCursor {
  return {
    columns: sub.columns,
    async fetch(count, timeoutMs) {
      if (count === 0) return [];
      if (sub.ready === 0) await sub.wait(timeoutMs, cancelHook(session));
      return sub.take(count === 'all' ? Infinity : count) ?? [];
    },
    close: () => sub.close(),
  };
}

export const declareSubscribe: Handler = (session, statement) => {
  const { name, options, subscribe: stmt } = statement.ast.EddyDeclareSubscribe;
  const prepared = prepareSubscribe(session, stmt);
  return simplePrepared(statement, null, () => {
    checkCursorAllowed(session, options);
    session.cursors.declare(name, subscribeCursor(session, prepared.start()), (options & CURSOR_OPT_HOLD) !== 0);
    return commandResult('DECLARE CURSOR');
  });
};
