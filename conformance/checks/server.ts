/**
 * `not_a_server_error`: a 5xx, or no usable response at all (timeout, reset, headers or a body over
 * the client's limits).
 * It runs first and hides every other check of the exchange: one fault, one failure.
 */
import type { Check } from '../types.js';
import { got } from './support.js';

export const notAServerError: Check = ({ response, error }) => {
  if (error) {
    return {
      message: error.reason === 'too-large' ? 'response too large to evaluate' : `no usable response: ${error.reason}`,
      expected: 'a complete HTTP response',
      actual: error.status === undefined ? error.message : `${error.status} then ${error.message}`,
      key: `transport ${error.reason}`,
    };
  }
  if (response && response.status >= 500) {
    return {
      message: `server error ${response.status}`,
      expected: 'a status below 500',
      actual: got(response),
      key: `status ${response.status}`,
    };
  }
};
