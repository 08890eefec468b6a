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
