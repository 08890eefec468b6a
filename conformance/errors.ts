/** A problem with how the runner was invoked or configured: the CLI prints it on one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
