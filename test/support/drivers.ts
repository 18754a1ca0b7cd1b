/**
 * The real drivers the driver tests run in their own languages, installed from their registries
 * once and cached under ~/.cache/eddy, one directory per content of the files that pin them:
 *   Python  a venv with test/drivers/python/requirements.txt (psycopg 3, asyncpg, SQLAlchemy, pandas)
 *   Java    pgjdbc from Maven Central (test/drivers/java/pom.xml) and DriverCheck.java compiled against it
 *   Go      pgx from the Go module proxy (test/drivers/go), built into one binary
 * Each is built in a staging directory renamed at the end, so an interrupted install is never
 * taken for a complete one. A missing toolchain is an error, never a skip: the tests that need a
 * driver fail without it. scripts/test.sh installs them all before the tests start
 * (scripts/drivers.ts), so test files running side by side find them ready.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const DRIVERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'drivers');
export const CACHE_DIR = join(homedir(), '.cache', 'eddy');

export async function run(what: string, file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  try {
    await exec(file, args, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    const { message, stdout } = error as { message: string; stdout?: string };
    throw new Error(`${what} failed: ${message}${stdout ? `\n${stdout}` : ''}`);
  }
}

/** A short digest of the files that decide what gets installed, naming the cache directory. */
export function digest(files: string[], extra = ''): string {
  const hash = createHash('sha256').update(extra);
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

/** `dir`, built by `build(staging)` into a staging directory first unless it is there already. */
export async function cached(dir: string, build: (staging: string) => Promise<void>): Promise<string> {
  if (existsSync(dir)) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await build(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // Another process may have finished the same install meanwhile: keep the first one.
  if (existsSync(dir)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, dir);
  return dir;
}

/** The venv's python, with the pinned drivers installed. */
export async function pythonDrivers(): Promise<string> {
  const requirements = join(DRIVERS_DIR, 'python', 'requirements.txt');
  const { stdout: version } = await exec('python3', ['--version']).catch(() => {
    throw new Error('the Python driver tests need python3 (apt-get install python3 python3-venv)');
  });
  const dir = await cached(join(CACHE_DIR, `python-drivers-${digest([requirements], version)}`), async (staging) => {
    await run('creating a venv (apt-get install python3-venv)', 'python3', ['-m', 'venv', staging]);
    // A venv moved by the rename still works when its python is run by path, as here.
    await run('pip install of the Python drivers', join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirements]);
  });
  return join(dir, 'bin', 'python');
}

export interface JavaDriver {
  java: string;
  /** pgjdbc's jar and the compiled DriverCheck, for `java -cp`. */
  classpath: string;
}

function javaTool(tool: string): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', tool) : tool;
}

/** pgjdbc and test/drivers/java/DriverCheck.java compiled against it. */
export async function javaDriver(): Promise<JavaDriver> {
  const javaDir = join(DRIVERS_DIR, 'java');
  const pom = join(javaDir, 'pom.xml');
  const sources = readdirSync(javaDir).filter((f) => f.endsWith('.java')).map((f) => join(javaDir, f));
  const dir = await cached(join(CACHE_DIR, `pgjdbc-${digest([pom, ...sources])}`), async (staging) => {
    const libs = join(staging, 'libs');
    await run('fetching pgjdbc with Maven (mvn)', 'mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`]);
    await run('compiling the pgjdbc checks (javac: a JDK)', javaTool('javac'), ['-d', join(staging, 'classes'), '-cp', join(libs, '*'), ...sources]);
  });
  return { java: javaTool('java'), classpath: `${join(dir, 'classes')}:${join(dir, 'libs', '*')}` };
}

/** The go command: on PATH, or where the Go distribution installs itself. */
function goCommand(): string {
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/** The pgx checks (test/drivers/go), built into one binary. */
export async function goDriver(): Promise<string> {
  const goDir = join(DRIVERS_DIR, 'go');
  const files = readdirSync(goDir).filter((f) => /\.go$|^go\.(mod|sum)$/.test(f)).map((f) => join(goDir, f));
  const dir = await cached(join(CACHE_DIR, `pgx-${digest(files)}`), async (staging) => {
    await run('building the pgx checks (go build: Go and the Go module proxy)', goCommand(), ['build', '-mod=readonly', '-o', join(staging, 'pgx-check'), '.'], {
      cwd: goDir,
      // Any Go new enough builds it with the pinned modules; never a toolchain download.
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' },
    });
  });
  return join(dir, 'pgx-check');
}

/**
 * Runs one check of a driver program (`argv` then the check's name) and returns what it printed
 * as JSON on its last line of output; a failed run (an exception, a non-zero exit) throws with
 * its output.
 */
export async function runDriverCheck(argv: string[], check: string, env: Record<string, string>, timeoutMs = 120_000): Promise<any> {
  const [file, ...args] = argv;
  let stdout: string;
  try {
    ({ stdout } = await exec(file!, [...args, check], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const { message, stdout: out, stderr } = error as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${check}: ${message}\n${out ?? ''}\n${stderr ?? ''}`);
  }
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${check} printed no JSON result:\n${stdout}`);
  }
}
