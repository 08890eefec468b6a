/** The vendors' own definitions, in the shared/ folder CI and developers keep beside the repository. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './reference-server.js';

export const VENDOR_DIR = join(REPO_ROOT, '..', 'shared', 'vendor');
/** A clone without shared/ beside it has no vendor definitions: only then are their tests skipped. */
export const HAS_VENDOR = existsSync(VENDOR_DIR);
