/**
 * Reads a `COPY (SUBSCRIBE ...) TO STDOUT` as it streams, through node pg and pg-copy-streams
 * (a real client's COPY OUT): the bytes are kept as they arrive (pg-copy-streams may join
 * several CopyData into one chunk), so tests can wait for rows that have not happened yet.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { waitFor } from '../support/wait.js';

export interface CopyStream {
  /** The bytes received so far. */
  readonly chunks: Buffer[];
  /** Set once the stream ended with an error (the server's ErrorResponse). */
  error: (Error & { code?: string }) | null;
  ended: boolean;
  /** Waits until at least n rows (text lines, or binary tuples) have arrived. */
  atLeast(n: number, message?: string): Promise<void>;
  /** The text rows so far, split into fields (`\N` as null). */
  textRows(): (string | null)[][];
  /** Stops reading (TCP backpressure reaches the server), and starts again. */
  pause(): void;
  resume(): void;
}

export function copyStream(client: pg.Client, sql: string, format: 'text' | 'binary' = 'text'): CopyStream {
  const stream = client.query(copyTo(sql));
  const rowCount = () => (format === 'text' ? s.textRows().length : binaryTuples(s.chunks).tuples.length);
  const s: CopyStream = {
    chunks: [],
    error: null,
    ended: false,
    async atLeast(n, message) {
      await waitFor(() => rowCount() >= n || s.error, { message: message ?? `${n} COPY rows` });
      if (rowCount() < n) throw s.error;
    },
    textRows: () =>
      Buffer.concat(s.chunks)
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t').map((f) => (f === '\\N' ? null : f))),
    pause: () => {
      stream.pause();
      // A paused stream still fills node's own buffers; stop the socket itself too.
      (client as unknown as { connection: { stream: { pause(): void } } }).connection.stream.pause();
    },
    resume: () => {
      (client as unknown as { connection: { stream: { resume(): void } } }).connection.stream.resume();
      stream.resume();
    },
  };
  stream.on('data', (chunk: Buffer) => s.chunks.push(chunk));
  stream.on('error', (err: Error) => (s.error = err));
  stream.on('end', () => (s.ended = true));
  return s;
}

/** A value of COPY's binary format: the field's bytes, or null. */
export type BinaryField = Buffer | null;

/** Parses COPY BINARY bytes (the header, tuples, perhaps the trailer; a tuple cut short is left for later) into tuples. */
export function binaryTuples(chunks: Buffer[]): { header: boolean; tuples: BinaryField[][]; trailer: boolean } {
  const all = Buffer.concat(chunks);
  if (all.length < 19) return { header: false, tuples: [], trailer: false };
  const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
  const header = all.subarray(0, 11).equals(signature);
  let at = 11 + 4;
  at += 4 + all.readInt32BE(at);
  const tuples: BinaryField[][] = [];
  let trailer = false;
  tuple: while (at + 2 <= all.length) {
    const count = all.readInt16BE(at);
    if (count === -1) {
      trailer = true;
      break;
    }
    let p = at + 2;
    const fields: BinaryField[] = [];
    for (let i = 0; i < count; i++) {
      if (p + 4 > all.length) break tuple;
      const length = all.readInt32BE(p);
      p += 4;
      if (length === -1) fields.push(null);
      else {
        if (p + length > all.length) break tuple;
        fields.push(all.subarray(p, p + length));
        p += length;
      }
    }
    tuples.push(fields);
    at = p;
  }
  return { header, tuples, trailer };
}
