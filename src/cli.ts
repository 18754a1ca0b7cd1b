/**
 * The `eddy` command: reads flags and EDDY_* environment variables, starts the server, and stops
 * it cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer } from './server.js';
import { isLoopback, readPasswordFile } from './password-file.js';
import { memoryLimitProblem, parseMemorySize } from './sql/memory-guard.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'password-file': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-required': { type: 'boolean' },
    insecure: { type: 'boolean' },
    'max-connections': { type: 'string' },
    'authentication-timeout': { type: 'string' },
    'source-errors-retained': { type: 'string' },
    'max-memory': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: eddy [--host H] [--port P] [--data-dir D]\n' +
      '  defaults: 127.0.0.1, 6875, ./eddy-data (or EDDY_HOST, EDDY_PORT, EDDY_DATA_DIR)\n' +
      '  --password-file F   require SCRAM-SHA-256 passwords; F has one "user:password" per line\n' +
      '                      ("user:password:readonly": SELECT, SHOW and SUBSCRIBE only)\n' +
      '  --insecure          allow a non-loopback --host without --password-file\n' +
      '  --tls-cert F --tls-key F [--tls-required]   offer TLS (and refuse clients without it)\n' +
      '  --max-connections N         sessions at once (default 100; EDDY_MAX_CONNECTIONS)\n' +
      '  --authentication-timeout S  seconds a client has to log in (default 60)\n' +
      '  --source-errors-retained N  undecodable messages kept per source in eddy_source_errors (default 1000)\n' +
      '  --max-memory SIZE           a statement fails with 53200 while the heap is over SIZE\n' +
      '                              (512MB, 2GB; EDDY_MAX_MEMORY; at most 75% of Node\'s heap limit)\n',
  );
  process.exit(0);
}

const host = values.host ?? process.env.EDDY_HOST ?? '127.0.0.1';
const portText = values.port ?? process.env.EDDY_PORT ?? '6875';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`eddy: invalid port "${portText}"\n`);
  process.exit(2);
}
const dataDir = values['data-dir'] ?? process.env.EDDY_DATA_DIR ?? './eddy-data';

/** A whole number of at least 1 from a flag, or exit 2 saying which flag was wrong. */
function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`eddy: invalid ${flag} "${text}": give a whole number of at least 1\n`);
    process.exit(2);
  }
  return n;
}
const maxConnections = positiveInteger('--max-connections', values['max-connections'] ?? process.env.EDDY_MAX_CONNECTIONS);
const authTimeoutSeconds = positiveInteger('--authentication-timeout', values['authentication-timeout']);
const sourceErrorsRetained = positiveInteger('--source-errors-retained', values['source-errors-retained']);
const maxMemoryText = values['max-memory'] ?? process.env.EDDY_MAX_MEMORY;
const maxMemoryBytes = maxMemoryText === undefined ? undefined : parseMemorySize(maxMemoryText);
if (maxMemoryBytes === null) {
  process.stderr.write(`eddy: invalid --max-memory "${maxMemoryText}": give a size such as 512MB or 2GB (kB, MB, GB, TB)\n`);
  process.exit(2);
}
const memoryProblem = maxMemoryBytes === undefined ? null : memoryLimitProblem(maxMemoryBytes);
if (memoryProblem) {
  process.stderr.write(`eddy: ${memoryProblem}\n`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

try {
  const passwordFile = values['password-file'] ?? process.env.EDDY_PASSWORD_FILE;
  // As PostgreSQL's defaults do, a new server is not open to the network without passwords.
  if (!passwordFile && !isLoopback(host) && !values.insecure) {
    process.stderr.write(
      `eddy: refusing to listen on ${host} without --password-file: anyone who can reach it could read and change every table. ` +
        'Give --password-file F (see --help), or --insecure to allow it anyway.\n',
    );
    process.exit(2);
  }
  const auth = passwordFile ? readPasswordFile(passwordFile) : undefined;
  const tlsCert = values['tls-cert'] ?? process.env.EDDY_TLS_CERT;
  const tlsKey = values['tls-key'] ?? process.env.EDDY_TLS_KEY;
  if (!!tlsCert !== !!tlsKey) throw new Error('--tls-cert and --tls-key go together');
  const server = await startServer({
    host,
    port,
    dataDir,
    log,
    auth,
    maxConnections,
    startupTimeoutMs: authTimeoutSeconds === undefined ? undefined : authTimeoutSeconds * 1000,
    sourceErrorsRetained,
    maxMemoryBytes,
    tls: tlsCert && tlsKey ? { cert: readFileSync(tlsCert), key: readFileSync(tlsKey), required: values['tls-required'] ?? false } : undefined,
  });
  log(`eddy listening on ${host}:${server.port} (data dir ${dataDir})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`received ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        log(`error while shutting down: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  log(`eddy failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
