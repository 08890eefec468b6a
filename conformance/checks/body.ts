/** `content_type`, `response_schema` (2xx) and `error_format` (every other status): the documented body. */
import type { Check } from '../types.js';
import { documentedMedia, isSuccess, mediaMatches, mediaTypeOf, validateBody } from './support.js';

export const contentType: Check = ({ response, documented }) => {
  if (!response || !documented || documented.content.length === 0) return 'skip';
  const documentedTypes = documented.content.map((m) => m.mediaType);
  const actual = mediaTypeOf(response);
  if (actual && documentedTypes.some((t) => mediaMatches(t, actual))) return;
  return {
    message: actual ? `Content-Type ${actual} is not documented for ${response.status}` : `no Content-Type for ${response.status}`,
    expected: documentedTypes.join(' or '),
    actual: actual ?? '(no Content-Type header)',
  };
};

function bodyCheck(successes: boolean): Check {
  return ({ response, documented, validators }) => {
    if (!response || !documented || isSuccess(response.status) !== successes) return 'skip';
    const media = documentedMedia(documented, response);
    if (!media?.schema) return 'skip';
    const what = successes ? `the ${documented.status} schema` : `the ${documented.status} error schema`;
    return validateBody(validators, { ...media, schema: media.schema }, response, what);
  };
}

export const responseSchema: Check = bodyCheck(true);
export const errorFormat: Check = bodyCheck(false);
