/**
 * An Eddy and a fresh database on the test PostgreSQL side by side, each with a connected client,
 * for tests that run the same statements on both and compare.
 */
import pg from 'pg';
import { startEddy, type EddyHandle } from './eddy.js';
import { freshDatabase, startPostgres } from './postgres.js';

export interface EddyAndPostgres {
  eddy: EddyHandle;
  /** A client of Eddy. */
  e: pg.Client;
  /** A client of the fresh PostgreSQL database. */
  p: pg.Client;
  stop(): Promise<void>;
}

export async function startEddyAndPostgres(prefix: string): Promise<EddyAndPostgres> {
  const [eddy, server] = await Promise.all([startEddy(), startPostgres()]);
  const database = await freshDatabase(server.url, prefix);
  const p = new pg.Client({ connectionString: database.url });
  await p.connect();
  const e = await eddy.client();
  return {
    eddy,
    e,
    p,
    async stop() {
      await p.end();
      await eddy.stop();
      await database.drop();
      await server.stop();
    },
  };
}
