/**
 * The PostgreSQL wire listener: accepts TCP connections and gives each its own Connection and
 * SqlSession. Closing stops accepting, tells every client the server is shutting down, and
 * resolves once every connection has released what it held.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { CancelRegistry } from './cancel-registry.js';
import { Connection, type WireAuth } from './connection.js';
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
}

export interface WireServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startWireServer(opts: WireServerOptions): Promise<WireServer> {
  const cancels = new CancelRegistry();
  const tls = opts.tls && { context: createSecureContext({ key: opts.tls.key, cert: opts.tls.cert }), required: opts.tls.required ?? false };
  const connections = new Set<Connection>();
  // Half-open: a client may send its last messages and close its side at once (a script piping
  // into the socket); it still gets the answers, and each Connection ends its own side when done.
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    const connection = new Connection(socket, { sessionFactory: opts.sessionFactory, cancels, log: opts.log, auth: opts.auth, tls });
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
