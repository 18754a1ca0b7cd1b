/**
 * The differential suite run against a second PostgreSQL database instead of Eddy, loaded in
 * another physical order: it proves every query valid and its answer deterministic (a LIMIT
 * without a total ORDER BY would differ here), and the harness able to tell equal from unequal.
 */
import pg from 'pg';
import { freshDatabase } from '../support/postgres.js';
import { differentialSuite } from './suite.js';

differentialSuite('differential self-check: PostgreSQL vs PostgreSQL', {
  rounds: 5,
  async connect(serverUrl) {
    const database = await freshDatabase(serverUrl, 'diff_subject');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    return {
      subject: { name: 'PostgreSQL (second database)', client, viewKeyword: 'VIEW', visibilityTimeoutMs: 0, reverseLoad: true },
      async close() {
        await client.end();
        await database.drop();
      },
    };
  },
});
