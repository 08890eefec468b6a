/** A spec that cannot be read or used: the CLIs turn it into a one-line reason and exit 2. */
export class SpecError extends Error {
  override name = 'SpecError';
}
