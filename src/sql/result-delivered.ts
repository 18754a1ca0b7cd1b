/**
 * A statement lasts until its result is delivered: its rows read, its COPY done, or it was
 * stopped. statement_timeout and pg_stat_activity's 'active' both count it so.
 */
import type { ExecResult } from '../wire/session-api.js';

/** The result, calling `done` once the client has all of it (or it was stopped). */
export function whenDelivered(result: ExecResult, done: () => void): ExecResult {
  switch (result.kind) {
    case 'command':
    case 'empty':
      done();
      return result;
    case 'rows': {
      const cursor = result.cursor;
      return {
        ...result,
        cursor: {
          async next(max) {
            const got = await cursor.next(max);
            if (got.done) done();
            return got;
          },
          close() {
            done();
            cursor.close();
          },
        },
      };
    }
    case 'copy-out': {
      const chunks = result.chunks;
      return {
        ...result,
        chunks: (async function* () {
          try {
            yield* chunks;
          } finally {
            done();
          }
        })(),
        close() {
          done();
          result.close();
        },
      };
    }
    case 'copy-in':
      return {
        ...result,
        finish: () => result.finish().finally(done),
        abort(reason) {
          done();
          result.abort(reason);
        },
      };
  }
}
