/**
 * Hostile wire: a seeded fuzzer (wire-fuzzer.ts) sends mutated frames over many connections at
 * once to a real Eddy process. Every bad frame gets an ErrorResponse or a closed connection
 * (never XX000, never silence), the server never crashes, what was stored before is intact, and
 * its RSS comes back near where it started. `npm run soak` runs 100k frames over 1,000
 * connections at a time; `npm test` 1,000 (EDDY_FUZZ_FRAMES, EDDY_FUZZ_CONNECTIONS).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, kill, launch, residentMiB } from '../support/eddy-process.js';
import { mulberry32 } from '../support/prng.js';
import { waitFor } from '../support/wait.js';
import { emptyStats, WireFuzzer } from './wire-fuzzer.js';

const FRAMES = Number(process.env.EDDY_FUZZ_FRAMES ?? 1000);
const CONCURRENCY = Number(process.env.EDDY_FUZZ_CONNECTIONS ?? 20);
const SEED = Number(process.env.EDDY_FUZZ_SEED ?? 20261207);

test(`wire fuzz: ${FRAMES} mutated frames, ${CONCURRENCY} connections at a time (seed ${SEED})`, { timeout: 1_800_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-fuzz-'));
  const server = await launch(dataDir, ['--max-connections', String(CONCURRENCY + 10)]);
  try {
    const c = await connect(server);
    await c.query('CREATE TABLE kept (id int)');
    await c.query('INSERT INTO kept SELECT g FROM generate_series(1, 1000) g');
    await c.query('CREATE MATERIALIZED VIEW kept_sum AS SELECT sum(id) AS s FROM kept');
    const pid = server.child.pid!;
    const rssStart = residentMiB(pid);
    const stats = emptyStats();
    const started = Date.now();
    const perWorker = Math.ceil(FRAMES / CONCURRENCY);
    let peak = rssStart;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMiB(pid))), 200);
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => new WireFuzzer(server.port, mulberry32(SEED + w), stats).run(perWorker)));
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.equal(server.child.signalCode, null);
    // Nothing stored before was touched, and the server answers as before.
    assert.deepEqual((await c.query('SELECT s::int AS s FROM kept_sum')).rows, [{ s: 500_500 }]);
    assert.equal((await c.query('SELECT count(*)::int AS n FROM kept')).rows[0].n, 1000);
    await c.end();
    const internal = server.log.filter((l) => /internal error/.test(l));
    // Memory: back near the start once the connections are gone (V8 may keep some heap).
    const bound = rssStart * 1.5 + 64;
    const rssEnd = await waitFor(() => (residentMiB(pid) <= bound ? residentMiB(pid) : null), { timeoutMs: 30_000, message: `RSS back under ${bound.toFixed(0)} MiB` });
    const table = Object.entries(stats.byKind).map(([k, o]) => `${k} ${o.error}/${o.closed}/${o.accepted}`).join(', ');
    console.log(`# fuzz seed ${SEED}: ${stats.frames} bad frames over ${stats.connections} connections in ${seconds.toFixed(1)} s (${(stats.frames / seconds).toFixed(0)}/s)`);
    console.log(`# outcomes error/closed/accepted: ${table}`);
    console.log(`# server RSS MiB: start ${rssStart.toFixed(0)}, peak ${peak.toFixed(0)}, after ${rssEnd.toFixed(0)}; internal errors logged: ${internal.length}; violations: ${stats.violations.length}`);
    assert.deepEqual(stats.violations.slice(0, 10), []);
    assert.deepEqual(internal.slice(0, 3), []);
    // Frames that cannot be valid are never accepted.
    for (const kind of ['type', 'oversize', 'truncated', 'garbage'] as const) assert.equal(stats.byKind[kind].accepted, 0, kind);
    assert.ok(stats.frames >= FRAMES);
  } finally {
    await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
