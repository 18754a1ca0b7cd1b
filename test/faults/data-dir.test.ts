/**
 * The data directory under faults: a damaged catalog file stops Eddy at start with a message
 * that says what to do; an unwritable data directory does too; a disk that fills up while
 * running fails the statements that write (53100/58030) and keeps nothing of them, the server
 * stays up, and after a restart every row that was committed is there and no other.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEddy } from '../support/eddy.js';
import { connect, kill, launch, runToExit } from '../support/eddy-process.js';
import { mulberry32 } from '../support/prng.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-datadir-'));
  // Another user may need to reach data directories inside (the read-only test runs as one).
  chmodSync(dir, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A data dir holding a table with `rows` rows of ~200 bytes, cleanly shut down. */
async function catalogWithRows(name: string, rows: number): Promise<string> {
  const dataDir = join(dir, name);
  const eddy = await startEddy({ dataDir });
  const c = await eddy.client();
  await c.query('CREATE TABLE t (id int, pad text)');
  await c.query(`INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, ${rows}) g`);
  await eddy.stop();
  return dataDir;
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, at);
  closeSync(fd);
}

test('a damaged catalog is detected at start, with a message that says what to do', async () => {
  const random = mulberry32(12);
  const garbage = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const cases: [string, (file: string) => void][] = [
    ['header overwritten', (file) => overwrite(file, 0, garbage(100))],
    // The last page holds table rows: its b-tree page header is garbage now.
    ['a data page overwritten', (file) => overwrite(file, statSync(file).size - 4096, garbage(4096))],
  ];
  for (const [what, damage] of cases) {
    const dataDir = await catalogWithRows(what.replace(/ /g, '-'), 2000);
    const file = join(dataDir, 'catalog.sqlite');
    damage(file);
    const damaged = readFileSync(file);
    await assert.rejects(startEddy({ dataDir }), (err: Error) => {
      assert.match(err.message, new RegExp(`^the catalog ${file} is damaged \\(`), what);
      assert.match(err.message, /restore the data directory from a backup, or move .* aside to start with an empty catalog/);
      return true;
    });
    const result = await runToExit(dataDir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /eddy failed to start: the catalog .* is damaged/, what);
    // Nothing was written over the evidence: the file is as it was left.
    assert.ok(readFileSync(file).equals(damaged), 'the damaged file is untouched');
    console.log(`# damaged catalog (${what}): refused at start: ${result.stderr.trim().split(': ').slice(1, 3).join(': ').slice(0, 100)}...`);
  }
});

test('an unwritable data directory stops the start with a clear message; the data is intact once writable', async () => {
  // Permissions do not bind root: the server then runs as nobody.
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  const dataDir = join(dir, 'readonly');
  mkdirSync(dataDir);
  if (uid !== undefined) chownSync(dataDir, uid, uid);
  let server = await launch(dataDir, [], { uid });
  let c = await connect(server);
  await c.query('CREATE TABLE t (id int)');
  await c.query('INSERT INTO t SELECT g FROM generate_series(1, 100) g');
  await c.end();
  await kill(server);
  chmodSync(dataDir, 0o555);
  for (const f of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm']) {
    try {
      chmodSync(join(dataDir, f), 0o444);
    } catch {
      // -wal and -shm exist only after an unclean stop.
    }
  }
  const refused = await runToExit(dataDir, [], { uid });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`eddy failed to start: cannot write the data directory ${dataDir} \\(`));
  assert.match(refused.stderr, /needs it writable. Check its owner and permissions/);
  console.log(`# read-only data dir: ${refused.stderr.trim().split('eddy failed to start: ')[1]?.slice(0, 110)}...`);
  chmodSync(dataDir, 0o755);
  for (const f of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm']) {
    try {
      chmodSync(join(dataDir, f), 0o644);
    } catch {
      // as above
    }
  }
  server = await launch(dataDir, [], { uid });
  c = await connect(server);
  assert.equal((await c.query('SELECT count(*)::int AS n FROM t')).rows[0].n, 100);
  await c.end();
  await kill(server);
});

test('a disk that fills up fails the writes it cannot keep; every committed row survives a restart, no other', { timeout: 120_000 }, async () => {
  const dataDir = join(dir, 'full');
  // 1 MiB per file: the catalog (or its write-ahead log) cannot grow past it.
  let server = await launch(dataDir, [], { fileSizeLimitKb: 1024 });
  let c = await connect(server);
  await c.query('CREATE TABLE t (batch int, pad text)');
  await c.query('CREATE MATERIALIZED VIEW per_batch AS SELECT batch, count(*) AS n FROM t GROUP BY batch');
  const committed: number[] = [];
  const failures: string[] = [];
  for (let batch = 1; batch <= 60 && failures.length < 5; batch++) {
    try {
      await c.query(`INSERT INTO t SELECT ${batch}, repeat('y', 500) FROM generate_series(1, 100)`);
      committed.push(batch);
    } catch (err) {
      const e = err as { code?: string; message: string; hint?: string };
      assert.ok(['53100', '58030'].includes(e.code!), `${e.code} ${e.message}`);
      assert.match(e.message, /^could not write to the catalog/);
      assert.match(e.hint ?? '', /The statement changed nothing/);
      failures.push(`${e.code} ${e.message}`);
    }
  }
  assert.ok(failures.length > 0, 'the disk filled up');
  assert.ok(committed.length > 0, 'some inserts fitted');
  // Still up, and memory holds exactly what was kept.
  const count = async () => (await c.query('SELECT count(*)::int AS n FROM t')).rows[0].n;
  assert.equal(await count(), committed.length * 100);
  assert.equal((await c.query('SELECT count(*)::int AS n FROM per_batch')).rows[0].n, committed.length);
  // A transaction block whose COMMIT cannot be kept keeps nothing either.
  await c.query('BEGIN');
  await c.query(`INSERT INTO t SELECT 999, repeat('z', 500) FROM generate_series(1, 100)`);
  await assert.rejects(c.query('COMMIT'), (err: { code?: string }) => ['53100', '58030'].includes(err.code!));
  assert.equal(await count(), committed.length * 100);
  await c.end();
  await kill(server);

  server = await launch(dataDir);
  c = await connect(server);
  const batches = (await c.query('SELECT batch, n::int AS n FROM per_batch ORDER BY batch')).rows;
  assert.deepEqual(batches, committed.map((batch) => ({ batch, n: 100 })));
  await c.query(`INSERT INTO t VALUES (0, 'after')`);
  assert.equal(await count(), committed.length * 100 + 1);
  await c.end();
  await kill(server);
  console.log(`# disk full at 1 MiB: ${committed.length} inserts of 100 rows kept, ${failures.length} refused (${failures[0]}); after kill -9 and restart: ${batches.length} batches, all complete, nothing else`);
});
