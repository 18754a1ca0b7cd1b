/**
 * The PostgreSQL wire listener: accepts TCP connections and gives each its own Connection and
 * SqlSession. Closing stops accepting, tells every client the server is shutting down, and
 * resolves once every connection has released what it held.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { CancelRegistry } from './cancel-registry.js';
import { Connection, DEFAULT_STARTUP_TIMEOUT_MS, type WireAuth } from './connection.js';
import { ConnectionLimits } from './connection-limits.js';
import { MessageWriter } from './message-writer.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { errorFields } from './error-report.js';
import type { SessionFactory } from './session-api.js';

export interface WireServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  sessionFactory: SessionFactory;
  log: (line: string) => void;
  /** SCRAM-SHA-256 password authentication; absent: every client is trusted. */
  auth?: WireAuth;
  /** TLS for clients that ask for it (SSLRequest); `required` refuses those that do not. */
  tls?: { key: string | Buffer; cert: string | Buffer; required?: boolean };
  /** Sessions served at once (PostgreSQL's max_connections, default 100); 53300 past it. */
  maxConnections?: number;
  /** A connection that has not finished starting up by then is closed (authentication_timeout). */
  startupTimeoutMs?: number;
}

export const DEFAULT_MAX_CONNECTIONS = 100;

/** Refuses a socket before reading anything from it, as PostgreSQL's postmaster does when full. */
function refuse(socket: Socket): void {
  const writer = new MessageWriter({ write: (chunk) => socket.write(chunk) });
  writer.errorResponse(errorFields(new SqlError(SQLSTATE.tooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' })));
  writer.flush();
  socket.on('error', () => {});
  socket.end();
  setTimeout(() => socket.destroy(), 1000).unref();
}

export interface WireServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startWireServer(opts: WireServerOptions): Promise<WireServer> {
  const cancels = new CancelRegistry();
  const tls = opts.tls && { context: createSecureContext({ key: opts.tls.key, cert: opts.tls.cert }), required: opts.tls.required ?? false };
  const connections = new Set<Connection>();
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // As many may be starting up (unauthenticated) as may be served: enough for a reconnect storm
  // of every client at once, bounded against a flood of sockets that never authenticate.
  const limits = new ConnectionLimits(maxConnections, maxConnections);
  const startupTimeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  // Half-open: a client may send its last messages and close its side at once (a script piping
  // into the socket); it still gets the answers, and each Connection ends its own side when done.
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    if (!limits.tryStart()) {
      opts.log(`wire ${socket.remoteAddress}:${socket.remotePort}: refused, ${limits.maxStarting} connections are starting up already`);
      refuse(socket);
      return;
    }
    const connection = new Connection(socket, { sessionFactory: opts.sessionFactory, cancels, log: opts.log, auth: opts.auth, tls, limits, startupTimeoutMs });
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  });
  // A failing accept (EMFILE) must not bring the process down; the listener stays up.
  server.on('error', (err) => opts.log(`wire: listener error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  opts.log(`wire: listening on ${opts.host}:${port}`);

  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const open = [...connections];
        for (const c of open) c.terminate();
        await Promise.all(open.map((c) => c.closed));
        await stopped;
      })();
      return closing;
    },
  };
}
