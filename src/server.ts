/**
 * Puts Eddy together: the database (durable catalog, engine) and the wire listener whose
 * connections each get a SQL session over that database.
 */
import type { Database } from './sql/database.js';
import { openDatabase } from './sql/open-database.js';
import { ClientSession } from './sql/client-session.js';
import { startWireServer, type WireServerOptions } from './wire/server.js';

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  log?: (line: string) => void;
  /** SCRAM-SHA-256 password authentication; absent: every client is trusted. */
  auth?: WireServerOptions['auth'];
  /** TLS for clients that ask for it (and, when required, only for them). */
  tls?: WireServerOptions['tls'];
}

export interface RunningServer {
  port: number;
  database: Database;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const database = await openDatabase(opts.dataDir, log);
  try {
    const wire = await startWireServer({
      host: opts.host,
      port: opts.port,
      log,
      auth: opts.auth,
      tls: opts.tls,
      sessionFactory: (startup) => new ClientSession(database, startup),
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
