/**
 * A wire listener over the real database and session, built as src/server.ts builds it, for the
 * listener options server.ts does not expose yet (password authentication, TLS) and for fault
 * injection around the real session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/sql/open-database.js';
import { ClientSession } from '../../src/sql/client-session.js';
import type { SqlSession } from '../../src/wire/session-api.js';
import { startWireServer, type WireServerOptions } from '../../src/wire/server.js';

export interface RealListener {
  port: number;
  logLines: string[];
  close(): Promise<void>;
}

export interface RealListenerOptions extends Pick<WireServerOptions, 'auth' | 'tls'> {
  /** Lets a test put a fault-injecting layer around each real session. */
  wrapSession?: (session: SqlSession) => SqlSession;
}

export async function startRealListener(options: RealListenerOptions): Promise<RealListener> {
  const { wrapSession = (s: SqlSession) => s, ...listenerOptions } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-wire-'));
  const logLines: string[] = [];
  const log = (l: string) => logLines.push(l);
  const database = await openDatabase(dataDir, log);
  const server = await startWireServer({
    host: '127.0.0.1',
    port: 0,
    log,
    sessionFactory: (startup, connection) => wrapSession(new ClientSession(database, startup, { connection })),
    ...listenerOptions,
  });
  return {
    port: server.port,
    logLines,
    async close() {
      await server.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
