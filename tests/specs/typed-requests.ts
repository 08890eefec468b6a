/**
 * Real requests and responses built against the generated types. `npm test` type-checks this file
 * (tsc --noEmit), so a spec change that breaks these shapes fails the build; the @ts-expect-error
 * lines prove the types are strict enough to reject the mistakes they name. typed-requests.test.ts
 * then validates the same values against the specs at run time.
 */

import type { operations as EightByEight } from '../../generated/8x8-contacts.js';
import type { operations as BigChange } from '../../generated/bigchange-contact-groups.js';
import type { operations as Easify } from '../../generated/easify-contact-groups.js';
import type { operations as Eloqua } from '../../generated/eloqua-contact-segments.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Problem<T> = T extends { content: { 'application/problem+json': infer B } } ? B : never;

export interface TypedRequest<Params, Body> {
  operationId: string;
  params: Params;
  body: Body;
}

export const bigChangeCreate: TypedRequest<
  BigChange['createContactGroup']['parameters'],
  Json<BigChange['createContactGroup']['requestBody']>
> = {
  operationId: 'createContactGroup',
  params: { header: { 'Customer-Id': 14532 }, query: undefined, path: undefined, cookie: undefined },
  body: { name: 'Field engineers' },
};

export const bigChangeUpdate: TypedRequest<
  BigChange['updateContactGroup']['parameters'],
  Json<BigChange['updateContactGroup']['requestBody']>
> = {
  operationId: 'updateContactGroup',
  params: { header: { 'Customer-Id': 14532 }, path: { contactGroupId: 10452 }, query: undefined, cookie: undefined },
  body: { name: 'Field engineers (north)' },
};

export const bigChangeCreated: Json<BigChange['createContactGroup']['responses'][201]> = { id: 10452 };
export const bigChangeValidation: Problem<BigChange['createContactGroup']['responses'][422]> = {
  type: 'https://tools.ietf.org/html/rfc9110#section-15.5.21',
  title: 'One or more validation errors occurred.',
  status: 422,
  errors: { name: ['The Name field is required.'] },
};

export const eightByEightCreate: TypedRequest<
  EightByEight['createContact']['parameters'],
  Json<EightByEight['createContact']['requestBody']>
> = {
  operationId: 'createContact',
  params: {
    path: { accountId: '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35' },
    query: undefined,
    header: undefined,
    cookie: undefined,
  },
  body: {
    firstName: 'Amelia',
    country: 'SG',
    groups: [{ id: 8199 }],
    addresses: { msisdn: '+6591234567', email: 'amelia.ng@example.com' },
  },
};

export const eightByEightConflict: Json<EightByEight['createContact']['responses'][409]> = {
  code: 1003,
  message: 'More than one contact was found based on a provided set of addresses',
  errorId: '2c9e4a7b-1f3d-4e8a-b6c5-9d0e1f2a3b4c',
  timestamp: '2024-03-11T10:05:42.902Z',
};

// 8x8 requires code, errorId and timestamp; message is optional.
export const eightByEightConflictWithoutMessage: Json<EightByEight['createContact']['responses'][409]> = {
  code: 1003,
  errorId: '2c9e4a7b-1f3d-4e8a-b6c5-9d0e1f2a3b4c',
  timestamp: '2024-03-11T10:05:42.902Z',
};

export const eloquaCreate: TypedRequest<
  Eloqua['createContactSegment']['parameters'],
  Json<Eloqua['createContactSegment']['requestBody']>
> = {
  operationId: 'createContactSegment',
  params: { query: undefined, header: undefined, path: undefined, cookie: undefined },
  // type is read-only (Oracle's prose), so a request leaves it out.
  body: { name: 'Q3 webinar attendees', elements: [{ isIncluded: 'true' }] },
};

export const eloquaValidation: Json<Eloqua['createContactSegment']['responses'][400]> = [
  {
    type: 'ObjectValidationError',
    container: { type: 'ObjectKey', objectType: 'ContactSegment' },
    property: 'name',
    requirement: { type: 'NotNullRequirement' },
  },
];

export const easifyCreate: TypedRequest<
  Easify['createContactGroup']['parameters'],
  Json<Easify['createContactGroup']['requestBody']>
> = {
  operationId: 'createContactGroup',
  params: { query: undefined, header: undefined, path: undefined, cookie: undefined },
  body: { name: 'My Contact Group' },
};

export const easifyCreated: Json<Easify['createContactGroup']['responses'][200]> = {
  status: true,
  message: 'Contact Group created successfully',
  data: {
    id: 1,
    name: 'My Contact Group',
    contacts_count: 0,
    shared_group: false,
    default_group: false,
    created_at: '12-02-2024 03:13:35 AM',
  },
};

// Lifecycle operations: a JSON Patch update (8x8), a PUT (Eloqua), members (8x8), query parameters
// (BigChange's list, Easify's group update) and ids in a body (Easify's contact delete).
export const bigChangeList: TypedRequest<BigChange['listContactGroups']['parameters'], undefined> = {
  operationId: 'listContactGroups',
  params: {
    header: { 'Customer-Id': 14532 },
    query: { name: 'Field', id: [10452], sortBy: 'name', direction: 'descending', pageNumber: 1, pageSize: 100 },
    path: undefined,
    cookie: undefined,
  },
  body: undefined,
};

export const bigChangePage: Json<BigChange['listContactGroups']['responses'][200]> = {
  items: [{ id: 10452, name: 'Field engineers' }],
  pageNumber: 1,
  pageSize: 100,
  pageItemCount: 1,
};

const eightByEightContactPath = {
  path: { accountId: '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35', contactId: '41702118' },
  query: undefined,
  header: undefined,
  cookie: undefined,
};

export const eightByEightPatch: TypedRequest<
  EightByEight['updateContact']['parameters'],
  Json<EightByEight['updateContact']['requestBody']>
> = {
  operationId: 'updateContact',
  params: eightByEightContactPath,
  body: [
    { op: 'replace', path: '/firstName', value: 'John' },
    { op: 'remove', path: '/addresses/msisdn' },
  ],
};

export const eightByEightAddMembers: TypedRequest<
  EightByEight['addContactsToGroup']['parameters'],
  Json<NonNullable<EightByEight['addContactsToGroup']['requestBody']>>
> = {
  operationId: 'addContactsToGroup',
  params: {
    path: { accountId: '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35', groupId: 8039 },
    query: undefined,
    header: undefined,
    cookie: undefined,
  },
  body: { contacts: [41702118, 41702119] },
};

export const eightByEightGroupPage: Json<EightByEight['searchGroups']['responses'][200]> = {
  items: [{ id: 8039, contacts: 3, createdAt: '2022-02-25T09:41:49.45Z', name: 'group_name', isBlacklist: false }],
  page: 1,
  totalPages: 1,
  totalCount: 1,
  totalFiltered: 1,
  hasPreviousPage: false,
  hasNextPage: false,
};

export const eightByEightGroupNotFound: Json<EightByEight['getGroup']['responses'][404]> = {
  code: 1300,
  message: 'Unable to find group with id 6776',
  errorId: '200171e8-4d61-45d1-a8b7-ae7b009a3dfe',
  timestamp: '2022-04-18T09:21:34.74Z',
};

export const eloquaReplace: TypedRequest<
  Eloqua['updateContactSegment']['parameters'],
  Json<Eloqua['updateContactSegment']['requestBody']>
> = {
  operationId: 'updateContactSegment',
  params: { path: { id: 1783 }, query: undefined, header: undefined, cookie: undefined },
  body: { name: 'Q3 webinar attendees (EMEA)', elements: [{ isIncluded: 'false' }] },
};

export const eloquaPage: Json<Eloqua['listContactSegments']['responses'][200]> = {
  elements: [{ type: 'ContactSegment', id: '1783', name: 'Q3 webinar attendees', depth: 'minimal' }],
  page: 1,
  pageSize: 100,
  total: 1,
};

export const easifyGroupUpdate: TypedRequest<Easify['updateContactGroup']['parameters'], undefined> = {
  operationId: 'updateContactGroup',
  params: {
    query: { group_id: 1, name: 'Updated Contact Group Name' },
    header: undefined,
    path: undefined,
    cookie: undefined,
  },
  body: undefined,
};

export const easifyContactCreate: TypedRequest<
  Easify['createContact']['parameters'],
  Json<Easify['createContact']['requestBody']>
> = {
  operationId: 'createContact',
  params: { query: undefined, header: undefined, path: undefined, cookie: undefined },
  body: { group_id: 1, first_name: 'Contact', phone_number: '7736381234', country_code: '+1' },
};

export const easifyContactDelete: TypedRequest<
  Easify['deleteContact']['parameters'],
  Json<Easify['deleteContact']['requestBody']>
> = {
  operationId: 'deleteContact',
  params: { query: undefined, header: undefined, path: undefined, cookie: undefined },
  body: { contact_id: 1 },
};

export const easifyDefaultGroup: Json<Easify['deleteContactGroup']['responses'][400]> = {
  status: false,
  message: "You can't delete the default contact group!",
  errors: [],
};

// The types reject what the specs reject.
// @ts-expect-error name is required on create (our inference, marked x-inferred)
export const bigChangeNoName: Json<BigChange['createContactGroup']['requestBody']> = {};
export const bigChangeStringCustomer: BigChange['createContactGroup']['parameters']['header'] = {
  // @ts-expect-error Customer-Id is an integer, not a string
  'Customer-Id': '14532',
};
// @ts-expect-error addresses is required
export const eightByEightNoAddresses: Json<EightByEight['createContact']['requestBody']> = { firstName: 'Amelia' };
// @ts-expect-error Eloqua sends counts as strings
export const eloquaNumericCount: Json<Eloqua['createContactSegment']['responses'][201]> = { name: 'x', count: 3 };
export const eloquaYesIncluded: Json<Eloqua['createContactSegment']['requestBody']> = {
  name: 'x',
  // @ts-expect-error isIncluded is "true" or "false" (an inferred enum: Eloqua's booleans are strings)
  elements: [{ isIncluded: 'yes' }],
};
export const easifyFalseStatus: Json<Easify['createContactGroup']['responses'][200]> = {
  ...easifyCreated,
  // @ts-expect-error a success body always has status: true
  status: false,
};

// @ts-expect-error a JSON Patch op is one of RFC 6902's six (8x8's enum); "rename" is not
export const eightByEightRenameOp: Json<EightByEight['updateContact']['requestBody']> = [{ op: 'rename', path: '/x' }];
// @ts-expect-error 8x8's patch is an array of operations, not a merge object
export const eightByEightMergePatch: Json<EightByEight['updateGroup']['requestBody']> = { name: 'New group name' };
export const eightByEightStringMembers: Json<NonNullable<EightByEight['addContactsToGroup']['requestBody']>> = {
  // @ts-expect-error member ids are integers
  contacts: ['41702118'],
};
export const eloquaReplaceWithCount: Json<Eloqua['updateContactSegment']['requestBody']> = {
  name: 'x',
  // @ts-expect-error Eloqua's count is a string of digits (and read-only)
  count: 3,
};
export const bigChangeAscQuery: BigChange['listContactGroups']['parameters']['query'] = {
  // @ts-expect-error direction is ascending or descending (BigChange's SortDirection)
  direction: 'asc',
};
// @ts-expect-error the group update takes group_id (and name) in the query
export const easifyUpdateWithoutGroup: Easify['updateContactGroup']['parameters']['query'] = { name: 'x' };
// @ts-expect-error a contact is created in a group: group_id is required
export const easifyContactWithoutGroup: Json<Easify['createContact']['requestBody']> = {
  first_name: 'A',
  email_address: 'a@example.com',
};
// @ts-expect-error the contact delete takes contact_id in its body
export const easifyDeleteWithoutId: Json<Easify['deleteContact']['requestBody']> = {};
