/**
 * The `eddy` command: reads flags and EDDY_* environment variables, starts the server, and stops
 * it cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer } from './server.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'password-file': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-required': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: eddy [--host H] [--port P] [--data-dir D]\n' +
      '  defaults: 127.0.0.1, 6875, ./eddy-data (or EDDY_HOST, EDDY_PORT, EDDY_DATA_DIR)\n' +
      '  --password-file F   require SCRAM-SHA-256 passwords; F has one "user:password" per line\n' +
      '  --tls-cert F --tls-key F [--tls-required]   offer TLS (and refuse clients without it)\n',
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

/** user:password lines; '#' starts a comment. */
function readPasswords(file: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const colon = text.indexOf(':');
    if (colon <= 0) throw new Error(`${file}: expected "user:password" lines`);
    users.set(text.slice(0, colon), text.slice(colon + 1));
  }
  return users;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

try {
  const passwordFile = values['password-file'] ?? process.env.EDDY_PASSWORD_FILE;
  const passwords = passwordFile ? readPasswords(passwordFile) : null;
  const tlsCert = values['tls-cert'] ?? process.env.EDDY_TLS_CERT;
  const tlsKey = values['tls-key'] ?? process.env.EDDY_TLS_KEY;
  if (!!tlsCert !== !!tlsKey) throw new Error('--tls-cert and --tls-key go together');
  const server = await startServer({
    host,
    port,
    dataDir,
    log,
    auth: passwords ? { password: (user) => passwords.get(user) } : undefined,
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
