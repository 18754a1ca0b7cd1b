/**
 * Starts or stops the one PostgreSQL that scripts/test.sh shares across a whole test run, with
 * the same logic the tests use on their own (test/support/postgres.ts).
 *   tsx scripts/postgres.ts start      prints shell assignments: EDDY_TEST_PG_URL=... EDDY_TEST_PG_DIR=...
 *   tsx scripts/postgres.ts stop DIR   stops that cluster and removes its dir
 */
import { startPostgresCluster, stopPostgresClusterSync } from '../test/support/postgres.js';

const [command, dir] = process.argv.slice(2);
if (command === 'start') {
  const cluster = await startPostgresCluster({ stopOnExit: false });
  process.stdout.write(`EDDY_TEST_PG_URL='${cluster.url}'\nEDDY_TEST_PG_DIR='${cluster.dir}'\n`);
} else if (command === 'stop' && dir) {
  stopPostgresClusterSync(dir);
} else {
  process.stderr.write('usage: tsx scripts/postgres.ts start | stop DIR\n');
  process.exit(2);
}
