// Spectral function: every `x-inferred` mark names a keyword its own node carries, with a one-line
// reason (the convention in specs/README.md; the check itself is ./inferred-marks.js, which
// tests/specs/provenance.test.ts runs too).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { inferredMarkProblems } from './inferred-marks.js';

export default createRulesetFunction({ input: null, options: null }, function xInferredMarks(document) {
  return inferredMarkProblems(document).map(({ path, message }) => ({ message, path }));
});
