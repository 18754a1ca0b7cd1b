/**
 * Runs sqllogictest files against a running Eddy (or any PostgreSQL-speaking server):
 *
 *   npm run slt -- [--url postgresql://eddy@127.0.0.1:6875/eddy] file.slt ...
 *   npm run slt -- --maintained --oracle postgresql://user@host/db file.slt ...
 *
 * --maintained makes each query a materialized view and checks it against the PostgreSQL at
 * --oracle after every later statement (scripts/slt/slt-run.ts). Prints each failure and the pass
 * rate per file; exits 1 if anything failed. Run each file on a fresh database: files create
 * their own tables.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parseSlt } from './slt-format.js';
import { printReport, runSlt, runSltMaintained } from './slt-run.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const url = option('--url') ?? 'postgresql://eddy@127.0.0.1:6875/eddy';
const oracleUrl = option('--oracle');
const maintained = args.includes('--maintained');
const files = args.filter((a) => a !== '--maintained');
if (files.length === 0 || (maintained && !oracleUrl)) {
  console.error('usage: npm run slt -- [--url URL] [--maintained --oracle POSTGRES_URL] file.slt ...');
  process.exit(2);
}

let failed = 0;
for (const file of files) {
  const records = parseSlt(readFileSync(file, 'utf8'), file);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const oracle = oracleUrl ? new pg.Client({ connectionString: oracleUrl }) : null;
  await oracle?.connect();
  try {
    const report = maintained ? await runSltMaintained(records, client, oracle!) : await runSlt(records, client, 'eddy');
    printReport(file, report);
    failed += report.failures.length;
  } finally {
    await client.end();
    await oracle?.end();
  }
}
process.exit(failed > 0 ? 1 : 0);
