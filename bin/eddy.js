#!/usr/bin/env node
// The package's `eddy` command: runs the TypeScript entry point through tsx's loader, so a fresh
// clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
