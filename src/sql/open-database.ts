/**
 * Opens the database in a data directory and restores what it stored by running each stored
 * definition through a session, as a client once ran it. Lives above database.ts because the
 * statement handlers import the database.
 */
import { Database, type DatabaseOptions } from './database.js';
import { ClientSession } from './client-session.js';

export async function openDatabase(dataDir: string, log: (line: string) => void, options: DatabaseOptions = {}): Promise<Database> {
  const db = new Database(dataDir, log, options);
  const session = new ClientSession(db, { user: 'eddy', database: 'eddy' });
  await db.restore(async (sql) => {
    for (const stmt of session.parse(sql)) {
      const result = await session.execute(session.prepare(stmt, []), []);
      if (result.kind === 'rows') result.cursor.close();
    }
  });
  return db;
}
