/**
 * The project's sqllogictest files (test/slt/*.slt), each run three ways: on a real PostgreSQL
 * (so the files' expected results are PostgreSQL's, not made up), on Eddy, and in maintained mode
 * (every query a materialized view in Eddy, checked against PostgreSQL after every later
 * statement). Each run prints its pass rate; every record must pass.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { startEddy } from '../support/eddy.js';
import { freshDatabase, startPostgres, type PostgresHandle } from '../support/postgres.js';
import { parseSlt } from '../../scripts/slt/slt-format.js';
import { printReport, runSlt, runSltMaintained, type SltReport } from '../../scripts/slt/slt-run.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.slt')).sort();

let postgres: PostgresHandle;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.stop();
});

/** A client of a database of its own on the test PostgreSQL, for `use`. */
async function withPostgres<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const db = await freshDatabase(postgres.url, 'slt');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
    await db.drop();
  }
}

async function withEddy<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const eddy = await startEddy();
  try {
    return await use(await eddy.client());
  } finally {
    await eddy.stop();
  }
}

function passesAll(label: string, report: SltReport): void {
  printReport(label, report);
  assert.ok(report.ran > 0, `${label}: nothing ran`);
  assert.deepEqual(report.failures, [], `${label}: failures`);
}

test('there are sqllogictest files to run', () => {
  assert.ok(FILES.length >= 3, FILES.join(', '));
});

for (const file of FILES) {
  const records = parseSlt(readFileSync(join(DIR, file), 'utf8'), file);
  test(`${file}: PostgreSQL agrees with the file`, async () => {
    passesAll(`${file} on PostgreSQL`, await withPostgres((c) => runSlt(records, c, 'postgresql')));
  });
  test(`${file}: Eddy`, async () => {
    passesAll(`${file} on Eddy`, await withEddy((c) => runSlt(records, c, 'eddy')));
  });
  test(`${file}: Eddy, every query maintained as a view`, async () => {
    const report = await withEddy((e) => withPostgres((p) => runSltMaintained(records, e, p)));
    passesAll(`${file} maintained`, report);
    assert.ok(report.ran > records.filter((r) => r.kind === 'query').length, 'views were checked again after changes');
  });
}
