/** `status_code_documented`: the status (or its range, or `default`) is in the operation's responses. */
import type { Check } from '../types.js';
import { got, guessedStatuses } from './support.js';

export const statusCodeDocumented: Check = ({ spec, operation, response, documented, rules }) => {
  if (!response) return 'skip';
  if (documented) return;
  // The vendor gives no status of this class: under its rules any status of the class is its answer.
  const guessed = guessedStatuses(spec, operation, response.status);
  if (guessed && rules === 'documented') return;
  return {
    message: `status ${response.status} is not documented`,
    expected:
      operation.responses.length > 0
        ? `one of ${operation.responses.map((r) => r.status).join(', ')}`
        : 'a documented status: the operation documents none',
    actual: got(response),
    key: `status ${response.status}`,
    ...(guessed ? { assumptions: guessed } : {}),
  };
};
