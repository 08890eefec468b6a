/**
 * How a list pages by its query parameters' names alone, where no `x-resource` declares it
 * (`limit`, `per_page`, `offset`, `page`): the mock pages by it, the runner knows a page may be full.
 */
import type { PagingExtension } from './extensions.js';
import { flatten, mainType } from './schema.js';
import type { Operation, Parameter } from './spec.js';

/** Query parameters that set how many items a page holds, and those that page through a list otherwise. */
export const PAGE_SIZE = /^(\$?top|limit|per_?page|page_?size|size|count|max_?results|take)$/i;
export const PAGE_MOVE =
  /^(\$?skip|offset|start|page|page_?number|cursor|after|before|page_?token|next_?token|starting_?after|marker)$/i;
// Not `start`: as often a time as a position.
const OFFSET = /^(\$?skip|offset)$/i;
const PAGE = /^(page|page_?number)$/i;

const counts = (parameter: Parameter): boolean => {
  const type = mainType(flatten(parameter.schema));
  return type === 'integer' || type === 'number';
};

/** The paging a list's number parameters suggest (a size, an offset or a page number), or none. */
export function inferredPaging(list: Operation): PagingExtension | undefined {
  const query = list.parameters.filter((p) => p.in === 'query' && counts(p));
  const size = query.find((p) => PAGE_SIZE.test(p.name));
  const offset = query.find((p) => OFFSET.test(p.name));
  const page = query.find((p) => PAGE.test(p.name));
  if (!size && !offset && !page) return undefined;
  const fallback = flatten(size?.schema ?? {}).default;
  return {
    firstPage: page && flatten(page.schema).minimum === 0 ? 0 : 1,
    ...(size ? { size: size.name } : {}),
    ...(offset ? { offset: offset.name } : {}),
    ...(page ? { page: page.name } : {}),
    ...(typeof fallback === 'number' && Number.isSafeInteger(fallback) && fallback > 0
      ? { defaultSize: fallback }
      : {}),
  };
}
