import { SpecError } from '../lib/errors.js';

/** A problem with how the runner was invoked or configured: the CLI prints it on one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A spec the run cannot use (unreadable, malformed, a schema AJV refuses) is the user's to mend: a ConfigError. */
export const asConfigError = (error: unknown): unknown =>
  error instanceof SpecError ? new ConfigError(error.message) : error;
