/** `content_type`, `response_schema` (2xx) and `error_format` (every other status): the documented body. */

import { mediaTypeMatches } from '../../lib/media-type.js';
import type { Check } from '../types.js';
import { documentedMedia, isSuccess, mediaTypeOf, validateBody } from './support.js';

export const contentType: Check = ({ response, documented }) => {
  if (!response || !documented || documented.content.length === 0) return 'skip';
  const actual = mediaTypeOf(response);
  if (actual && documented.content.some((m) => mediaTypeMatches(m.mediaType, actual))) return;
  return {
    message: actual
      ? `Content-Type ${actual} is not documented for ${response.status}`
      : `no Content-Type for ${response.status}`,
    expected: documented.content.map((m) => m.mediaType).join(' or '),
    actual: actual ?? '(no Content-Type header)',
  };
};

function bodyCheck(successes: boolean): Check {
  return ({ response, documented, validators }) => {
    if (!response || !documented || isSuccess(response.status) !== successes) return 'skip';
    const media = documentedMedia(documented, response);
    if (!media?.schema) return 'skip';
    return validateBody(
      validators,
      media,
      media.schema,
      response,
      documented.status,
      successes ? 'schema' : 'error schema',
    );
  };
}

export const responseSchema: Check = bodyCheck(true);
export const errorFormat: Check = bodyCheck(false);
