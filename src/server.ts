/**
 * Puts Eddy together: the database (durable catalog, engine) and the wire listener whose
 * connections each get a SQL session over that database.
 */
import type { Database } from './sql/database.js';
import { openDatabase } from './sql/open-database.js';
import { ClientSession } from './sql/client-session.js';
import { normalizeMilliseconds } from './sql/settings.js';
import { MemoryGuard } from './sql/memory-guard.js';
import { DEFAULT_SOURCE_ERRORS_RETAINED } from './kafka/source-errors.js';
import { DEFAULT_MAX_CONNECTIONS, startWireServer, type WireServerOptions } from './wire/server.js';
import { DEFAULT_STARTUP_TIMEOUT_MS, type WireAuth } from './wire/connection.js';

/** Password authentication, and which users may only read. */
export interface ServerAuth extends WireAuth {
  readOnly(user: string): boolean;
}

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  log?: (line: string) => void;
  /** SCRAM-SHA-256 password authentication; absent: every client is trusted (and may write). */
  auth?: ServerAuth;
  /** TLS for clients that ask for it (and, when required, only for them). */
  tls?: WireServerOptions['tls'];
  /** Sessions at once (default 100, as PostgreSQL's max_connections); 53300 past it. */
  maxConnections?: number;
  /** A client that has not authenticated within it is disconnected (default 60 s). */
  startupTimeoutMs?: number;
  /** Undecodable messages eddy_source_errors keeps per source (default 1000, the latest). */
  sourceErrorsRetained?: number;
  /** --max-memory in bytes: a statement fails with 53200 while the heap is over it (memory-guard.ts). */
  maxMemoryBytes?: number;
}

export interface RunningServer {
  port: number;
  database: Database;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const database = await openDatabase(opts.dataDir, log, { sourceErrorsRetained: opts.sourceErrorsRetained });
  try {
    const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const startupTimeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const serverSettings = {
      max_connections: String(maxConnections),
      authentication_timeout: normalizeMilliseconds(String(startupTimeoutMs)),
      'eddy.source_errors_retained': String(opts.sourceErrorsRetained ?? DEFAULT_SOURCE_ERRORS_RETAINED),
    };
    const auth = opts.auth;
    const memoryGuard = opts.maxMemoryBytes === undefined ? undefined : new MemoryGuard(opts.maxMemoryBytes);
    const wire = await startWireServer({
      host: opts.host,
      port: opts.port,
      log,
      auth,
      tls: opts.tls,
      maxConnections,
      startupTimeoutMs,
      // The wire authenticated startup.user before it asks for the session.
      sessionFactory: (startup, connection) =>
        new ClientSession(database, startup, { readOnly: auth?.readOnly(startup.user ?? '') ?? false, serverSettings, memoryGuard, connection }),
    });
    return {
      port: wire.port,
      database,
      async close() {
        await wire.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
