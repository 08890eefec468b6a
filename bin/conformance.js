#!/usr/bin/env node
// The runner is TypeScript run by tsx, so `npx conformance` works from a fresh `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../conformance/cli.ts');
