#!/usr/bin/env node
// The package's `eddy` command: runs the compiled server (dist/, which `npm ci` and `npm run
// build` produce from src/ with tsc). No TypeScript is compiled at start.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('eddy: dist/cli.js is missing; build it with `npm run build` (npm ci does it too)\n');
  process.exit(1);
}
await import(cli.href);
