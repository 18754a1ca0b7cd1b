/**
 * Startup: the time from starting the `eddy` process to its answer to a client's first
 * `SELECT 1`, for the compiled server (`node bin/eddy.js`, what `npm start` runs) next to the
 * same sources run through tsx (`tsx src/cli.ts`, what `npm start` ran before), in the same run,
 * alternating. Both start on an empty data directory, and again on one holding `objects` catalog
 * objects (a third each tables with rows, views, and materialized views over those views), which
 * a restart replays before it serves. Prints the median, min and max of `runs` starts of each,
 * and the ratios of the medians.
 *
 *   node --import tsx bench/startup.ts [runs=10] [objects=100]
 *
 * It builds dist/ first (npm run build), so that it measures the current sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const RUNS = Number(process.argv[2] ?? 10);
const OBJECTS = Number(process.argv[3] ?? 100);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const COMMANDS = {
  compiled: [process.execPath, join(ROOT, 'bin/eddy.js')],
  tsx: [join(ROOT, 'node_modules/.bin/tsx'), join(ROOT, 'src/cli.ts')],
};
type Kind = keyof typeof COMMANDS;

interface Started {
  port: number;
  stop(): Promise<void>;
}

/** Starts eddy on dataDir; resolves once it logs where it listens. */
function startEddy(kind: Kind, dataDir: string): Promise<Started> {
  const [command, ...args] = COMMANDS[kind];
  const child = spawn(command!, [...args, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /eddy listening on [^:]+:(\d+)/.exec(log);
      if (m) {
        resolve({
          port: Number(m[1]),
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`eddy (${kind}) exited with ${code} before listening:\n${log}`)));
  });
}

/**
 * Seconds from spawning eddy to the answer of its first SELECT 1. Over the stored catalog it then
 * checks that the restart rebuilt it: mv0 counts the 90 rows of t0 that v0 keeps.
 */
async function timeToFirstSelect(kind: Kind, dataDir: string, catalog: boolean): Promise<number> {
  const t0 = performance.now();
  const server = await startEddy(kind, dataDir);
  const client = new pg.Client({ connectionString: `postgresql://eddy@127.0.0.1:${server.port}/eddy` });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    const seconds = (performance.now() - t0) / 1000;
    if (rows[0]?.one !== 1) throw new Error(`SELECT 1 answered ${JSON.stringify(rows)}`);
    if (catalog) {
      const { rows: kept } = await client.query('SELECT sum(n)::int AS n FROM mv0');
      if (kept[0]?.n !== 90) throw new Error(`after the restart mv0 counts ${JSON.stringify(kept)}, not 90 rows`);
    }
    return seconds;
  } finally {
    await client.end();
    await server.stop();
  }
}

/** The catalog a restart replays: tables with rows, views over them, materialized views over those. */
function catalogStatements(objects: number): string[] {
  const third = Math.ceil(objects / 3);
  const statements: string[] = [];
  for (let i = 0; i < objects; i++) {
    const n = i % third;
    if (i < third) {
      statements.push(`CREATE TABLE t${n} (id int PRIMARY KEY, grp text NOT NULL, qty int, price double precision DEFAULT 1.5)`);
      statements.push(`INSERT INTO t${n} SELECT g, 'g' || (g % 7), g, g * 0.5 FROM generate_series(1, 100) AS g`);
    } else if (i < 2 * third) {
      statements.push(`CREATE VIEW v${n} AS SELECT grp, qty * price AS notional FROM t${n} WHERE qty > 10`);
    } else {
      statements.push(`CREATE MATERIALIZED VIEW mv${n} AS SELECT grp, count(*) AS n, sum(notional) AS total FROM v${n} GROUP BY grp`);
    }
  }
  return statements;
}

async function prepareCatalog(dataDir: string, objects: number): Promise<void> {
  const server = await startEddy('compiled', dataDir);
  const client = new pg.Client({ connectionString: `postgresql://eddy@127.0.0.1:${server.port}/eddy` });
  try {
    await client.connect();
    for (const sql of catalogStatements(objects)) await client.query(sql);
  } finally {
    await client.end();
    await server.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const work = mkdtempSync(join(tmpdir(), 'eddy-startup-'));
try {
  const catalog = join(work, 'catalog');
  await prepareCatalog(catalog, OBJECTS);
  const cases = [
    { name: 'empty, compiled', kind: 'compiled' as const, catalog: false },
    { name: 'empty, tsx', kind: 'tsx' as const, catalog: false },
    { name: `${OBJECTS} objects, compiled`, kind: 'compiled' as const, catalog: true },
    { name: `${OBJECTS} objects, tsx`, kind: 'tsx' as const, catalog: true },
  ];
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  let run = 0;
  for (let r = 0; r < RUNS; r++) {
    for (const c of cases) {
      // Every start gets a data directory of its own, a copy of the prepared catalog or empty.
      const dataDir = join(work, `run-${run++}`);
      if (c.catalog) cpSync(catalog, dataDir, { recursive: true });
      times.get(c.name)!.push(await timeToFirstSelect(c.kind, dataDir, c.catalog));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`start to the first SELECT 1 answered, ${RUNS} runs each (seconds):`);
  for (const c of cases) {
    const t = times.get(c.name)!;
    console.log(`  ${c.name.padEnd(24)} median ${median(t).toFixed(3)}  min ${Math.min(...t).toFixed(3)}  max ${Math.max(...t).toFixed(3)}`);
  }
  const ratio = (a: string, b: string) => (median(times.get(a)!) / median(times.get(b)!)).toFixed(2);
  console.log(`compiled / tsx, empty: ${ratio('empty, compiled', 'empty, tsx')}`);
  console.log(`compiled / tsx, ${OBJECTS} objects: ${ratio(`${OBJECTS} objects, compiled`, `${OBJECTS} objects, tsx`)}`);
  console.log(`${OBJECTS} objects / empty, compiled: ${ratio(`${OBJECTS} objects, compiled`, 'empty, compiled')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
