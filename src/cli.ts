/**
 * The `eddy` command: reads flags and EDDY_* environment variables, starts the server, and stops
 * it cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startServer } from './server.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: eddy [--host H] [--port P] [--data-dir D]\n' +
      '  defaults: 127.0.0.1, 6875, ./eddy-data (or EDDY_HOST, EDDY_PORT, EDDY_DATA_DIR)\n',
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

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

try {
  const server = await startServer({ host, port, dataDir, log });
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
