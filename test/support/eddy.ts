/**
 * The real Eddy server for integration tests, started in this process on an ephemeral port and
 * reached through the wire with node `pg`, exactly as users reach it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer, type ServerOptions } from '../../src/server.js';
import type { Database } from '../../src/sql/database.js';

export { waitFor } from './wait.js';

export interface EddyHandle {
  port: number;
  url: string;
  dataDir: string;
  /** The running server's database (tests look at its dataflow). */
  readonly database: Database;
  /** Server log lines so far; printed live too when EDDY_TEST_LOG is set. */
  logLines: string[];
  /** A connected client (with extra pg options if given); stop() and restart() end it if the test has not. */
  client(config?: pg.ClientConfig): Promise<pg.Client>;
  stop(): Promise<void>;
  /** Closes the server and starts it again on the same data dir (a new port, a new url). */
  restart(): Promise<void>;
}

/** `server`: listener options beyond the defaults (auth, limits, timeouts). */
export async function startEddy(opts: { dataDir?: string; server?: Partial<ServerOptions> } = {}): Promise<EddyHandle> {
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'eddy-data-'));
  const logLines: string[] = [];
  const log = (line: string) => {
    logLines.push(line);
    if (process.env.EDDY_TEST_LOG) process.stderr.write(`[eddy] ${line}\n`);
  };
  const clients = new Set<pg.Client>();
  let server: Awaited<ReturnType<typeof startServer>> | null = null;

  const endClients = async () => {
    const open = [...clients];
    clients.clear();
    await Promise.all(open.map((c) => c.end().catch(() => {})));
  };
  const open = async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, ...opts.server, dataDir, log });
    handle.port = server.port;
    handle.url = `postgresql://eddy@127.0.0.1:${server.port}/eddy`;
  };
  const close = async () => {
    await endClients();
    const s = server;
    server = null;
    await s?.close();
  };

  const handle: EddyHandle = {
    port: 0,
    url: '',
    get database() {
      if (!server) throw new Error('the server is not running');
      return server.database;
    },
    dataDir,
    logLines,
    async client(config = {}) {
      const c = new pg.Client({ ...config, connectionString: handle.url });
      // A server-side error on an idle connection must fail the test that caused it, not crash
      // the runner with an unhandled 'error' event.
      c.on('error', (err) => log(`client error: ${err.message}`));
      await c.connect();
      clients.add(c);
      c.once('end', () => clients.delete(c));
      return c;
    },
    async stop() {
      await close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await close();
      await open();
    },
  };
  await open();
  return handle;
}
