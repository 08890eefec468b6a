/** `status_code_documented`: the status (or its range, or `default`) is in the operation's responses. */
import type { Check } from '../types.js';
import { got } from './support.js';

export const statusCodeDocumented: Check = ({ operation, response, documented }) => {
  if (!response) return 'skip';
  if (documented) return;
  return {
    message: `status ${response.status} is not documented`,
    expected: `one of ${operation.responses.map((r) => r.status).join(', ')}`,
    actual: got(response),
    key: `status ${response.status}`,
  };
};
