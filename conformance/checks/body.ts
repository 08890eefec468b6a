/** `content_type`, `response_schema` (2xx) and `error_format` (every other status): the documented body. */

import { isObject } from '../../lib/json.js';
import { isJsonMediaType, mediaTypeMatches } from '../../lib/media-type.js';
import { PROBLEM_JSON } from '../../lib/problem.js';
import { responseAssumption } from '../../lib/provenance.js';
import { isBodiless } from '../../lib/responses.js';
import { hasWriteOnly, writeOnlyPointers } from '../../lib/write-only.js';
import type { Check, CheckContext, Failure } from '../types.js';
import { documentedMedia, got, isSuccess, mediaTypeOf, readableBody, validateBody } from './support.js';

/**
 * A HEAD answer (RFC 9110 9.3.2) and a 204, 205 or 304 have no body: none to check, whatever schema the
 * document shows for it, and their Content-Type may be left out.
 */
const noContent = (ctx: CheckContext): boolean =>
  ctx.request.method.toUpperCase() === 'HEAD' || (ctx.response !== undefined && isBodiless(ctx.response.status));

export const contentType: Check = (ctx) => {
  const { spec, response, documented, rules } = ctx;
  if (!response || !documented || documented.content.length === 0) return 'skip';
  const actual = mediaTypeOf(response);
  // No content, nothing to label: an empty body is judged by the body checks, where a schema says what it holds.
  if (!actual && (noContent(ctx) || response.text === '')) return 'skip';
  if (actual && documented.content.some((m) => mediaTypeMatches(m.mediaType, actual))) return;
  // The vendor shows the body but names no media type: by its own word any label of that kind will
  // do (problem details as plain application/json), not another kind (JSON sent as text/plain).
  if (
    actual &&
    rules === 'documented' &&
    documented.inferred?.mediaType !== undefined &&
    documented.content.some((m) => isJsonMediaType(m.mediaType) === isJsonMediaType(actual))
  )
    return;
  // No body or another body where the vendor documents none: only our assumption of one is broken.
  const assumptions =
    responseAssumption(spec, documented, 'content') ??
    (actual ? responseAssumption(spec, documented, 'mediaType') : undefined);
  return {
    message: actual
      ? `Content-Type ${actual} is not documented for ${response.status}`
      : `no Content-Type for ${response.status}`,
    expected: documented.content.map((m) => m.mediaType).join(' or '),
    actual: actual ?? '(no Content-Type header)',
    key: `${documented.status} ${actual ?? 'none'}`,
    ...(assumptions ? { assumptions } : {}),
  };
};

/**
 * A 2xx only `default` covers (a 200 where the create documents its 201) is judged by what `default`
 * describes, often the error: the failure says which success the operation documents instead.
 */
function withUndocumentedSuccess(failure: Failure, ctx: CheckContext): Failure {
  const { documented, response, operation } = ctx;
  if (documented?.status !== 'default' || !response) return failure;
  const successes = operation.responses.map((r) => r.status).filter((status) => status.startsWith('2'));
  if (successes.length === 0) return failure;
  return {
    ...failure,
    message: `${failure.message} (${response.status} is not the documented ${successes.join(' or ')}: only default covers it)`,
  };
}

function bodyCheck(successes: boolean): Check {
  return (ctx) => {
    const { response, documented } = ctx;
    if (!response || !documented || isSuccess(response.status) !== successes || noContent(ctx)) return 'skip';
    const media = documentedMedia(documented, response);
    if (!media?.schema) return 'skip';
    if (!readableBody(media.mediaType, media.schema) && response.text.trim() !== '') return 'skip';
    const content = responseAssumption(ctx.spec, documented, 'content');
    const failure = validateBody(
      ctx,
      media,
      media.schema,
      response,
      documented.status,
      successes ? 'schema' : 'error schema',
      content,
    );
    return failure && successes ? withUndocumentedSuccess(failure, ctx) : failure;
  };
}

export const responseSchema: Check = bodyCheck(true);

/** How many write-only properties one failure names before "and N more". */
const SHOWN_POINTERS = 5;

/** A 2xx JSON body carries none of the properties its schema marks `writeOnly` (OpenAPI: SHOULD NOT be sent). */
export const writeOnlyHidden: Check = (ctx) => {
  const { response, documented } = ctx;
  if (!response?.json || !documented || !isSuccess(response.status) || !hasWriteOnly(ctx.spec.source)) return 'skip';
  const media = documentedMedia(documented, response);
  if (!media?.schema) return 'skip';
  const pointers = writeOnlyPointers(response.json.value, media.schema);
  if (pointers.length === 0) return undefined;
  const more = pointers.length > SHOWN_POINTERS ? ` and ${pointers.length - SHOWN_POINTERS} more` : '';
  const named = `${pointers.slice(0, SHOWN_POINTERS).join(', ')}${more}`;
  return {
    message: `the ${response.status} answer carries ${named}, which the schema marks writeOnly`,
    expected: 'no writeOnly property in an answer (OpenAPI: SHOULD NOT be sent in a response)',
    actual: got(response),
    // One fault, whichever items of a list carry it.
    key: `${documented.status} ${[...new Set(pointers.map((p) => p.replace(/\/\d+(?=\/|$)/g, '/*')))].sort().join()}`,
  };
};

const errorBody = bodyCheck(false);

/** Problem details (RFC 9457 3.1.3): a `status` member is the status of the answer carrying it. */
function problemStatus(ctx: CheckContext): Failure | undefined {
  const { response } = ctx;
  if (!response?.json || mediaTypeOf(response) !== PROBLEM_JSON) return undefined;
  const stated = isObject(response.json.value) ? response.json.value.status : undefined;
  if (typeof stated !== 'number' || stated === response.status) return undefined;
  return {
    message: `problem details say status ${stated}, answered with ${response.status}`,
    expected: `"status": ${response.status} (RFC 9457: the status of the answer)`,
    actual: got(response),
    key: `${response.status} problem status ${stated}`,
  };
}

export const errorFormat: Check = (ctx) => {
  const result = errorBody(ctx);
  return result === undefined ? problemStatus(ctx) : result;
};
