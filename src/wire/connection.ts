/**
 * One client connection: the startup handshake, then a loop that handles one message at a time
 * against the connection's SqlSession. Whatever the client sends, the worst outcome is that this
 * connection ends (with a FATAL ErrorResponse where the protocol allows one) and one log line;
 * the process and the other connections carry on.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { SQLSTATE, SqlError } from '../errors.js';
import type { CancelRegistry } from './cancel-registry.js';
import type { ConnectionLimits } from './connection-limits.js';
import { asReportable, errorFields, shiftPosition } from './error-report.js';
import { ExtendedQuery } from './extended-query.js';
import { FrameInbox } from './frame-inbox.js';
import { decodeCancelRequest, decodeQuery, decodeSaslInitialResponse, decodeStartupParams } from './frontend-messages.js';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  type Frame,
  type TypedFrame,
} from './message-framer.js';
import { MessageWriter } from './message-writer.js';
import { fatalProtocolViolation, isFatal, protocolViolation } from './protocol-error.js';
import type { SessionFactory, SqlSession } from './session-api.js';
import { SCRAM_MECHANISM, ScramExchange } from './scram.js';
import { runSimpleQuery } from './simple-query.js';
import type { TextIoSettings } from '../types/text-io.js';
import type { WireContext } from './wire-context.js';

/** PostgreSQL's authentication_timeout: a client that never finishes starting up is dropped. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** How long a closing connection may take to say goodbye before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/** Password authentication; without it every client is trusted. */
export interface WireAuth {
  /** The password of `user`, or undefined when there is no such user. */
  password(user: string): string | undefined;
}

export interface ConnectionTls {
  context: SecureContext;
  /** Refuse clients that do not ask for TLS. */
  required: boolean;
}

export interface ConnectionOptions {
  sessionFactory: SessionFactory;
  cancels: CancelRegistry;
  log: (line: string) => void;
  auth?: WireAuth;
  tls?: ConnectionTls;
  /** Sessions in use; the listener has counted this connection as starting up. */
  limits: ConnectionLimits;
  startupTimeoutMs: number;
}

export class Connection implements WireContext {
  readonly writer: MessageWriter;
  readonly textSettings: TextIoSettings = {};
  /** Resolves when the socket is closed and everything the connection held is released. */
  readonly closed: Promise<void>;

  private readonly inbox: FrameInbox;
  private readonly extended = new ExtendedQuery(this);
  private readonly disconnectHandlers = new Set<() => void>();
  private readonly peer: string;
  private readonly clientAddress: string | null;
  private readonly clientPort: number | null;
  private sessionOrNull: SqlSession | null = null;
  private backendPid: number | null = null;
  private holdsSession = false;
  private ignoreTillSync = false;
  private gone = false;
  private encrypted = false;
  private resolveSocketClosed!: () => void;
  /** The client asked for protocol 2: the refusal must be in that protocol's format. */
  private legacyClient = false;

  /** The plain TCP socket, or the TLS socket wrapping it once the client asked for encryption. */
  private socket: Socket;

  constructor(socket: Socket, private readonly opts: ConnectionOptions) {
    this.socket = socket;
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    // pg_stat_activity shows IPv4 clients of a dual-stack listener as PostgreSQL does: 127.0.0.1
    this.clientAddress = socket.remoteAddress?.replace(/^::ffff:(?=\d+\.)/, '') ?? null;
    this.clientPort = socket.remotePort ?? null;
    socket.setNoDelay(true);
    // Once our side is ended (shutdown, fatal error) late output has nowhere to go: drop it.
    this.writer = new MessageWriter({ write: (chunk) => (this.socket.writable ? this.socket.write(chunk) : true) });
    this.inbox = new FrameInbox(socket);
    this.inbox.onGoodbye(() => this.stopRunning());
    this.watch(socket);
    const socketClosed = new Promise<void>((resolve) => (this.resolveSocketClosed = resolve));
    this.closed = Promise.all([socketClosed, this.run()]).then(() => {});
  }

  private watch(socket: Socket): void {
    // Resets and broken pipes surface here; 'close' follows and does the cleaning up.
    socket.on('error', () => {});
    socket.once('close', () => this.disconnected());
  }

  get session(): SqlSession {
    if (!this.sessionOrNull) throw new Error('session used before startup completed');
    return this.sessionOrNull;
  }

  /** Server shutdown: tell the client why, then close. */
  terminate(): void {
    if (this.gone) return;
    this.writer.errorResponse(
      errorFields(new SqlError(SQLSTATE.adminShutdown, 'terminating connection due to administrator command', { severity: 'FATAL' })),
    );
    this.writer.flush();
    this.sessionOrNull?.cancel();
    this.endSocket();
  }

  // --- WireContext ------------------------------------------------------------------------------

  nextFrame(): Promise<Frame | null> {
    return this.inbox.next();
  }

  async flush(): Promise<void> {
    if (this.writer.flush() || this.gone) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  sendNotices(): void {
    for (const n of this.session.takeNotices()) {
      this.writer.noticeResponse({ severity: n.severity, code: n.code, message: n.message });
    }
  }

  reportError(err: unknown, positionOffset: number): void {
    const e = asReportable(shiftPosition(err, positionOffset));
    if (isFatal(e)) throw e;
    if (!(err instanceof SqlError)) this.logInternal(err);
    this.writer.errorResponse(errorFields(e));
    this.session.onError(e);
    this.sendNotices();
  }

  onDisconnect(stop: () => void): () => void {
    this.disconnectHandlers.add(stop);
    return () => this.disconnectHandlers.delete(stop);
  }

  // --- lifecycle ------------------------------------------------------------------------------

  private async run(): Promise<void> {
    try {
      if (await this.startup()) await this.messageLoop();
    } catch (err) {
      this.failConnection(err);
    } finally {
      this.release();
    }
  }

  /**
   * Handles startup packets until the session is ready; false when the connection should just
   * end. Nothing can be recovered before startup completes: whatever it throws reaches
   * failConnection, which reports it as FATAL.
   */
  private async startup(): Promise<boolean> {
    const timeoutMs = this.opts.startupTimeoutMs;
    const timer = setTimeout(() => {
      this.opts.log(`wire ${this.peer}: startup not completed within ${timeoutMs} ms, closing`);
      this.socket.destroy();
    }, timeoutMs);
    try {
      for (;;) {
        const frame = await this.inbox.next();
        if (frame === null) return false;
        if (frame.kind !== 'startup') throw fatalProtocolViolation('expected a startup packet');
        if (frame.code === SSL_REQUEST_CODE && this.opts.tls && !this.encrypted) {
          await this.startTls(this.opts.tls);
          continue;
        }
        if (frame.code === SSL_REQUEST_CODE || frame.code === GSSENC_REQUEST_CODE) {
          // 'N': no TLS (or no GSS) here, go on in plain text on this socket.
          this.writer.rawByte('N');
          await this.flush();
          continue;
        }
        if (frame.code === CANCEL_REQUEST_CODE) {
          const { pid, secret } = decodeCancelRequest(frame.body);
          this.opts.cancels.cancel(pid, secret);
          return false;
        }
        return await this.acceptStartup(frame.code, frame.body);
      }
    } finally {
      clearTimeout(timer);
      this.opts.limits.startEnded();
    }
  }

  /** Checks the protocol version, authenticates, opens the session; false when the client went away. */
  private async acceptStartup(code: number, body: Buffer): Promise<boolean> {
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== 3) {
      this.legacyClient = major < 3;
      throw fatalProtocolViolation(
        `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`,
        SQLSTATE.featureNotSupported,
      );
    }
    if (this.opts.tls?.required && !this.encrypted) {
      throw new SqlError('28000', 'this server requires SSL connections', { severity: 'FATAL' });
    }
    const params = decodeStartupParams(body);
    // Protocol options (_pq_.*) and minor versions above 0 are declined, not refused: the client
    // learns what we speak and carries on with 3.0.
    const options = Object.keys(params).filter((k) => k.startsWith('_pq_.'));
    for (const k of options) delete params[k];
    if (minor > 0 || options.length > 0) this.writer.negotiateProtocolVersion(0, options);
    if (this.opts.auth && !(await this.authenticate(params.user ?? '', this.opts.auth))) return false;
    if (!this.opts.limits.tryOpenSession()) throw new SqlError(SQLSTATE.tooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' });
    this.holdsSession = true;
    const { pid, secret } = this.opts.cancels.register(() => this.sessionOrNull?.cancel());
    this.backendPid = pid;
    this.sessionOrNull = this.opts.sessionFactory(params, {
      pid,
      clientAddress: this.clientAddress,
      clientPort: this.clientPort,
      encrypted: this.encrypted,
      terminate: () => this.terminate(),
    });
    const session = this.sessionOrNull;
    this.writer.authenticationOk();
    for (const [name, value] of session.parameterStatuses()) this.parameterStatus(name, value);
    this.writer.backendKeyData(pid, secret);
    this.writer.readyForQuery(session.transactionStatus());
    await this.flush();
    return true;
  }

  /** Answers 'S' and runs the TLS handshake; everything after goes through the TLS socket. */
  private async startTls(tls: ConnectionTls): Promise<void> {
    // Bytes the client sent after its SSLRequest, before the handshake, were never encrypted: a
    // man in the middle could have injected them (PostgreSQL's CVE-2021-23214), so refuse.
    if (this.inbox.hasUnreadBytes) throw fatalProtocolViolation('received unencrypted data after SSL request');
    this.writer.rawByte('S');
    await this.flush();
    const secure = new TLSSocket(this.socket, { isServer: true, secureContext: tls.context });
    this.inbox.switchTo(secure);
    this.socket = secure;
    this.watch(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
      secure.once('close', resolve);
    }).catch((err: Error) => {
      throw fatalProtocolViolation(`TLS handshake failed: ${err.message}`);
    });
    this.encrypted = true;
  }

  /**
   * SCRAM-SHA-256 inside AuthenticationSASL. False when the client hangs up midway, which is
   * normal: psql connects, learns a password is needed, and reconnects after prompting for it.
   */
  private async authenticate(user: string, auth: WireAuth): Promise<boolean> {
    const scram = new ScramExchange(user, auth.password(user));
    this.writer.authenticationSasl([SCRAM_MECHANISM]);
    await this.flush();
    const initial = await this.nextPasswordMessage();
    if (initial === null) return false;
    const { mechanism, data } = decodeSaslInitialResponse(initial);
    if (mechanism !== SCRAM_MECHANISM) {
      throw protocolViolation('client selected an invalid SASL authentication mechanism');
    }
    this.writer.authenticationSaslContinue(await scram.serverFirstMessage(data));
    await this.flush();
    const final = await this.nextPasswordMessage();
    if (final === null) return false;
    this.writer.authenticationSaslFinal(scram.serverFinalMessage(final.toString('utf8')));
    return true;
  }

  /** The body of the next message, which must be a password-family message ('p'). */
  private async nextPasswordMessage(): Promise<Buffer | null> {
    const frame = await this.inbox.next();
    if (frame === null) return null;
    if (frame.kind !== 'typed' || frame.type !== 'p') {
      throw protocolViolation(`expected SASL response, got message type ${frame.kind === 'typed' ? frame.type : 'startup'}`);
    }
    return frame.body;
  }

  private async messageLoop(): Promise<void> {
    for (;;) {
      const frame = await this.inbox.next();
      if (frame === null) {
        if (this.inbox.partialBytes > 0) {
          this.opts.log(`wire ${this.peer}: client closed the connection in the middle of a message`);
        }
        return;
      }
      if (frame.kind !== 'typed') throw fatalProtocolViolation('unexpected startup packet');
      if (frame.type === 'X') return;
      await this.dispatch(frame);
      if (this.writer.wantsFlush) await this.flush();
    }
  }

  private async dispatch({ type, body }: TypedFrame): Promise<void> {
    if (type === 'S') return this.sync();
    // After an error in the extended protocol everything up to the next Sync is skipped (even a
    // simple Query, as in PostgreSQL), so the rest of a pipelined batch does not run against a
    // failed state.
    if (this.ignoreTillSync) return;
    if (type === 'Q') return this.simpleQuery(body);
    try {
      switch (type) {
        case 'P':
          return this.extended.parse(body);
        case 'B':
          return this.extended.bind(body);
        case 'D':
          return this.extended.describe(body);
        case 'E':
          return await this.extended.execute(body);
        case 'C':
          return this.extended.close(body);
        case 'H':
          return await this.flush();
        // The protocol says CopyData, CopyDone and CopyFail outside COPY are ignored (they may
        // trail a COPY that failed).
        case 'd':
        case 'c':
        case 'f':
          return;
        case 'F':
          throw new SqlError(SQLSTATE.featureNotSupported, 'the function call protocol is not supported');
        default:
          throw protocolViolation(`unexpected message type "${type}"`);
      }
    } catch (err) {
      this.reportError(err, 0);
      this.ignoreTillSync = true;
      // PostgreSQL sends every error report at once (elog.c flushes it): a client that ended its
      // batch with Flush rather than Sync (asyncpg's prepare) waits for the error before its Sync.
      await this.flush();
    }
  }

  private async simpleQuery(body: Buffer): Promise<void> {
    this.extended.dropUnnamed();
    try {
      await runSimpleQuery(this, decodeQuery(body));
    } catch (err) {
      this.reportError(err, 0);
    }
    this.readyForQuery();
    await this.flush();
  }

  private async sync(): Promise<void> {
    this.ignoreTillSync = false;
    this.readyForQuery();
    await this.flush();
  }

  /** Like PostgreSQL, changed parameters are reported just before ReadyForQuery. */
  private readyForQuery(): void {
    for (const [name, value] of this.session.takeParameterChanges()) this.parameterStatus(name, value);
    const status = this.session.transactionStatus();
    if (status === 'I') this.extended.endOfTransaction();
    this.writer.readyForQuery(status);
  }

  private parameterStatus(name: string, value: string): void {
    if (name === 'TimeZone') this.textSettings.timeZone = value;
    this.writer.parameterStatus(name, value);
  }

  /** Ends the connection after an error that cannot be recovered from (or a bug in this loop). */
  private failConnection(err: unknown): void {
    const e = asReportable(err);
    if (err instanceof SqlError) this.opts.log(`wire ${this.peer}: closing connection: ${e.code} ${e.message}`);
    else this.logInternal(err);
    if (this.legacyClient) this.writer.legacyErrorResponse('FATAL', e.message);
    else this.writer.errorResponse(errorFields(new SqlError(e.code, e.message, { ...e.extra, severity: 'FATAL' })));
    this.writer.flush();
  }

  private logInternal(err: unknown): void {
    this.opts.log(`wire ${this.peer}: internal error: ${err instanceof Error ? err.stack : String(err)}`);
  }

  private disconnected(): void {
    if (this.gone) return;
    this.gone = true;
    this.resolveSocketClosed();
    this.stopRunning();
  }

  /** The client is gone or has said goodbye: whatever runs for it stops. */
  private stopRunning(): void {
    for (const stop of [...this.disconnectHandlers]) stop();
    this.disconnectHandlers.clear();
  }

  private release(): void {
    this.extended.closeAll();
    if (this.backendPid !== null) this.opts.cancels.unregister(this.backendPid);
    this.sessionOrNull?.close();
    if (this.holdsSession) this.opts.limits.sessionClosed();
    this.holdsSession = false;
    this.endSocket();
  }

  private endSocket(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }
}
