/**
 * Sends one executed statement's result to the client: rows (all of them, or up to an Execute's
 * row limit, to be resumed later), a command tag, the empty query, or a COPY exchange in either
 * direction. Simple and extended query both go through here, so a result looks the same either way.
 */
import { SQLSTATE, SqlError } from '../errors.js';
import { decodeCopyFail, type FormatCode } from './frontend-messages.js';
import { protocolViolation } from './protocol-error.js';
import type { ExecResult } from './session-api.js';
import { valueEncoder, type ValueEncoder } from './value-codec.js';
import type { WireContext } from './wire-context.js';

/** Rows asked of a cursor at a time when the client set no limit. */
const FETCH_BATCH = 1000;

export class ResultRun {
  private finished = false;
  private encoders: ValueEncoder[] | null = null;

  /** `formats` has one code per result column (empty when the result has none). */
  constructor(
    private readonly ctx: WireContext,
    private readonly result: ExecResult,
    private readonly formats: FormatCode[],
  ) {}

  /**
   * Sends up to maxRows rows (0: all) and then CommandComplete, or PortalSuspended when the
   * limit stopped it first.
   */
  async run(maxRows: number): Promise<void> {
    const r = this.result;
    switch (r.kind) {
      case 'rows':
        return this.sendRows(r, maxRows);
      case 'command':
        this.ctx.writer.commandComplete(r.tag);
        break;
      case 'empty':
        this.ctx.writer.emptyQueryResponse();
        break;
      case 'copy-in':
        await this.copyIn(r);
        break;
      case 'copy-out':
        await this.copyOut(r);
        break;
    }
    this.finished = true;
  }

  /** Stops whatever the result still holds (a cursor, a COPY producer). Idempotent. */
  close(): void {
    const r = this.result;
    if (r.kind === 'rows') r.cursor.close();
    else if (r.kind === 'copy-out' && !this.finished) r.close();
    else if (r.kind === 'copy-in' && !this.finished) r.abort('connection closed');
    this.finished = true;
  }

  private async sendRows(r: Extract<ExecResult, { kind: 'rows' }>, maxRows: number): Promise<void> {
    if (this.finished) {
      // Executing a portal that already ran to completion returns nothing more.
      this.ctx.writer.commandComplete(r.tag(0));
      return;
    }
    const { writer } = this.ctx;
    this.encoders ??= r.columns.map((c, i) => valueEncoder(c.typeOid, this.formats[i] ?? 0, this.ctx.textSettings));
    const encoders = this.encoders;
    let remaining = maxRows > 0 ? maxRows : Infinity;
    // PostgreSQL's tag counts the rows of this Execute only, not of the portal's earlier ones.
    let sent = 0;
    const unregister = this.ctx.onDisconnect(() => r.cursor.close());
    try {
      while (remaining > 0) {
        const asked = Math.min(remaining, FETCH_BATCH);
        const { rows, done } = await r.cursor.next(asked);
        for (const row of rows) writer.dataRow(row.map((v, i) => encoders[i]!(v)));
        sent += rows.length;
        remaining -= rows.length;
        if (done) {
          this.finished = true;
          r.cursor.close();
          writer.commandComplete(r.tag(sent));
          return;
        }
        // A cursor that returned fewer rows than asked may be waiting for new ones (SUBSCRIBE):
        // let the client see what we have instead of holding it back.
        if (writer.wantsFlush || rows.length < asked) await this.ctx.flush();
      }
    } finally {
      unregister();
    }
    writer.portalSuspended();
  }

  private async copyIn(r: Extract<ExecResult, { kind: 'copy-in' }>): Promise<void> {
    const { writer } = this.ctx;
    writer.copyInResponse(r.format === 'binary', r.columnCount);
    await this.ctx.flush();
    for (;;) {
      const frame = await this.ctx.nextFrame().catch((err: unknown) => {
        r.abort('connection broken');
        throw err;
      });
      if (frame === null) {
        r.abort('connection closed during COPY from stdin');
        throw new SqlError(SQLSTATE.connectionFailure, 'unexpected EOF on client connection with an open transaction');
      }
      if (frame.kind !== 'typed') continue;
      switch (frame.type) {
        case 'd':
          try {
            r.write(frame.body);
          } catch (err) {
            r.abort(err instanceof Error ? err.message : String(err));
            throw err;
          }
          break;
        case 'c':
          writer.commandComplete(await r.finish());
          return;
        case 'f': {
          const reason = decodeCopyFail(frame.body);
          r.abort(reason);
          throw new SqlError(SQLSTATE.queryCanceled, `COPY from stdin failed: ${reason}`);
        }
        // The protocol lets clients send Flush and Sync during COPY IN; they mean nothing here.
        case 'H':
        case 'S':
          break;
        default:
          r.abort('protocol violation');
          throw protocolViolation(`unexpected message type 0x${frame.type.charCodeAt(0).toString(16)} during COPY from stdin`);
      }
    }
  }

  private async copyOut(r: Extract<ExecResult, { kind: 'copy-out' }>): Promise<void> {
    const { writer } = this.ctx;
    writer.copyOutResponse(r.format === 'binary', r.columnCount);
    await this.ctx.flush();
    const unregister = this.ctx.onDisconnect(() => r.close());
    try {
      for await (const group of r.chunks) {
        for (const chunk of group) writer.copyData(chunk);
        // Awaiting the drain is the backpressure: no more rows are asked for while the client lags.
        await this.ctx.flush();
      }
    } finally {
      unregister();
    }
    writer.copyDone();
    writer.commandComplete(r.tag());
  }
}
