#!/usr/bin/env node
// Compiled by `npm run build` (run by `npm ci` through the prepare script).
import { runCli } from '../dist/mocks/cli.js';

await runCli();
