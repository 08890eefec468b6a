/**
 * Documents whose schemas bend what the generators expect: the real mock, on a free port, still
 * answers with values that fit them. The specs are tests/fixtures/openapi/*.yaml.
 */
import { describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { runConformance } from '../support/runner.js';

const FIXTURES = 'tests/fixtures/openapi';

const postJson = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a response schema whose pattern has word boundaries', () => {
  const UUID = /^[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}$/u;

  it.each([false, true])('is answered with a value the pattern accepts (dynamic: %s)', async (dynamic) => {
    // Stateless: the rule is read as the schema makes one, not as a create stored it.
    const own = await startMock({
      port: 0,
      dynamic,
      stateless: true,
      specFiles: [`${FIXTURES}/boundary-pattern.yaml`],
    });
    try {
      const response = await fetch(`${own.url}/boundary/rules/r1`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { cluster_uuid?: unknown };
      expect(body.cluster_uuid).toMatch(UUID);
    } finally {
      await own.close();
    }
  });
});

describe('documented response headers without an example', () => {
  const ORIGIN = 'http://localhost:3000';

  it.each([false, true])('carry values of their schema, never "null" (dynamic: %s)', async (dynamic) => {
    const own = await startMock({ port: 0, dynamic, specFiles: [`${FIXTURES}/response-headers.yaml`] });
    try {
      const items = await fetch(`${own.url}/response/items`, { headers: { origin: ORIGIN } });
      expect(items.status).toBe(200);
      expect(items.headers.get('x-has-more')).toMatch(/^(true|false)$/);
      expect(Number(items.headers.get('x-total'))).toBeGreaterThanOrEqual(1);
      for (const [name, value] of items.headers) expect(value, name).not.toMatch(/^(null|undefined)$/);
      // A documented CORS header with no value of its own leaves the mock's.
      expect(items.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      // One whose value the spec states is sent as the spec states it.
      const pinned = await fetch(`${own.url}/response/pinned`, { headers: { origin: ORIGIN } });
      expect(pinned.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    } finally {
      await own.close();
    }
  });
});

describe('documented framing headers', () => {
  it.each([false, true])('are left to HTTP: the answer ends and its body reads (dynamic: %s)', async (dynamic) => {
    const own = await startMock({ port: 0, dynamic, specFiles: [`${FIXTURES}/response-headers.yaml`] });
    try {
      // A body that never ends fails the test by its own timeout: the abort makes it one line.
      const response = await fetch(`${own.url}/response/framed`, { signal: AbortSignal.timeout(5_000) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('transfer-encoding') ?? 'chunked').toBe('chunked');
      expect(await response.json()).toEqual(expect.any(Array));
    } finally {
      await own.close();
    }
  });
});

describe('an operation whose only documented error is about pace (429)', () => {
  it.each([false, true])(
    'answers an unknown id and an invalid body for what they are, never 429 (dynamic: %s)',
    async (dynamic) => {
      const own = await startMock({ port: 0, dynamic, specFiles: [`${FIXTURES}/pace-errors-only.yaml`] });
      try {
        const missing = await fetch(`${own.url}/pace/things/no-such-thing`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('content-type')).toBe('application/problem+json');
        expect(missing.headers.get('retry-after')).toBeNull();
        const invalid = await postJson(`${own.url}/pace/things`, { name: 5 });
        expect(invalid.status).toBe(422);
        expect(((await invalid.json()) as { detail?: string }).detail).toMatch(/name/);
        const created = await postJson(`${own.url}/pace/things`, { name: 'a' });
        expect(created.status).toBe(200);
      } finally {
        await own.close();
      }
    },
  );
});

describe('a create whose answer has another shape than its request, its examples breaking the schema', () => {
  it.each([false, true])(
    'answers the id it stored and the values that fit, and reads them back (dynamic: %s)',
    async (dynamic) => {
      const own = await startMock({ port: 0, dynamic, specFiles: [`${FIXTURES}/reshaped.yaml`] });
      try {
        const created = await fetch(`${own.url}/reshaped/evals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // Any `kind` may be sent; only two are ever answered.
          body: JSON.stringify({ name: 'mine', kind: 'other', source: { item_schema: { type: 'object' } } }),
        });
        expect(created.status).toBe(201);
        const body = (await created.json()) as { id: string; name: string; source: unknown };
        expect(body.name).toBe('mine');
        // The request's `source` is not the answer's shape: the answer keeps one that fits.
        expect(body.source).toEqual({ schema: expect.any(Object) });
        const read = await fetch(`${own.url}/reshaped/evals/${encodeURIComponent(body.id)}`);
        expect(read.status).toBe(200);
        expect(await read.json()).toMatchObject({ id: body.id, name: 'mine' });
      } finally {
        await own.close();
      }
    },
  );
});

describe('$ref keys in example data', () => {
  it('are data: the mock starts without fetching them and serves the examples as written', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/data-ref.yaml`] });
    try {
      const groups = await fetch(`${own.url}/data/groups`);
      expect(await groups.json()).toEqual([{ value: 'u1', $ref: 'http://127.0.0.1:9/Users/u1' }]);
      const link = await fetch(`${own.url}/data/links`);
      expect(await link.json()).toEqual({ $ref: '#/components/schemas/Link' });
    } finally {
      await own.close();
    }
  });
});

describe("a schema Prism's generator cannot make a value of (prefixItems)", () => {
  it('is answered under --dynamic with a value that fits it, never a 500', async () => {
    const own = await startMock({ port: 0, dynamic: true, specFiles: [`${FIXTURES}/tuple.yaml`] });
    try {
      const response = await fetch(`${own.url}/tuple/version`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { semver: unknown[] };
      expect(body.semver).toHaveLength(3);
      expect(body.semver.every(Number.isInteger)).toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe('a text/event-stream response', () => {
  it('is framed as server-sent events: an event object by its fields, any other value as data', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/event-stream.yaml`] });
    try {
      const events = await fetch(`${own.url}/event/events`);
      expect(events.headers.get('content-type')).toBe('text/event-stream');
      const eventsText = await events.text();
      expect(eventsText).toMatch(/^(event: .*\n|id: .*\n)*data: \{"n":-?\d+\}\n\n$/);
      const speech = await fetch(`${own.url}/event/speech`);
      expect(await speech.text()).toMatch(/^data: \{"type":"speech\.audio\.(delta|done)"(,"audio":".*")?\}\n\n$/);
    } finally {
      await own.close();
    }
  });
});

describe('an error documented by its schema alone', () => {
  it('says what went wrong in its message properties, however deep in objects and lists, not a generated placeholder', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/error-without-example.yaml`] });
    try {
      const response = await postJson(`${own.url}/error/notes`, { text: 'far too long' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { message: string; code: string } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(/text/);
      expect(body.error.message).not.toBe('conformance');
      const listed = await postJson(`${own.url}/error/tags`, { name: 'far too long' });
      expect(listed.status).toBe(422);
      const { errors } = (await listed.json()) as { errors: { detail: string; source: { pointer: string } }[] };
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error.detail).toMatch(/name/);
    } finally {
      await own.close();
    }
  });
});

describe('a body under an XML media type, and an informational answer', () => {
  it('an object asked for as XML is written as XML; a 101 the mock cannot switch to is a 501 saying so', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/xml-and-upgrade.yaml`] });
    try {
      const xml = await fetch(`${own.url}/xml/report`, { headers: { accept: 'application/xml' } });
      expect(xml.headers.get('content-type')).toBe('application/xml');
      expect(await xml.text()).toBe('<xml><text>hi</text><score>0.5</score></xml>');
      const json = await fetch(`${own.url}/xml/report`);
      expect(await json.json()).toEqual({ text: 'hi', score: 0.5 });
      const session = await fetch(`${own.url}/xml/session`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
      expect(session.status).toBe(501);
      expect(((await session.json()) as { detail: string }).detail).toMatch(/documented 101 answer switches protocols/);
    } finally {
      await own.close();
    }
  });
});

describe('a body documented under a media range (*/*)', () => {
  it('is labelled with a type of the range, and an example of null the schema refuses is no example', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/range-media.yaml`] });
    try {
      const post = (body: unknown) => postJson(`${own.url}/range/things`, body);
      const created = await post({ name: 'a' });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toBe('application/json');
      expect(((await created.json()) as { id: unknown }).id).toEqual(expect.any(String));
      const refused = await post({});
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.headers.get('content-type')).toBe('application/json');
      const error = (await refused.json()) as { category: unknown; message: string };
      expect(error.category).toEqual(expect.any(String));
      expect(error.message).toMatch(/name/);
    } finally {
      await own.close();
    }
  });
});

describe('a body under a range of neither JSON nor text (image/*)', () => {
  it('keeps the range as its label: no type of it is known to be the one', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/range-image.yaml`] });
    try {
      const avatar = await fetch(`${own.url}/range/avatar`);
      expect(avatar.status).toBe(200);
      expect(avatar.headers.get('content-type')).toBe('image/*');
      const run = await runConformance(['--spec', `${FIXTURES}/range-image.yaml`, '--base-url', `${own.url}/range`]);
      expect(run.code, run.describe()).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe('a required property marked readOnly', () => {
  it('is required in answers only: a create without it is valid, its answer has it, and the runner plans its bodies', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/read-only-required.yaml`] });
    try {
      const created = await postJson(`${own.url}/read/users`, { email: 'ada@example.com' });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: expect.any(Number), email: 'ada@example.com' });
      const run = await runConformance([
        '--spec',
        `${FIXTURES}/read-only-required.yaml`,
        '--base-url',
        `${own.url}/read`,
        '--seed',
        '7',
      ]);
      expect(run.code, run.describe()).toBe(0);
      expect(run.report?.operations.createUser?.checks.positive_data_accepted?.passed).toBeGreaterThan(10);
    } finally {
      await own.close();
    }
  });

  it('in an allOf part beside the one that requires it is required in answers only too', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/read-only-allof.yaml`] });
    try {
      const created = await postJson(`${own.url}/read/users`, { email: 'ada@example.com' });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ id: expect.any(Number), email: 'ada@example.com' });
    } finally {
      await own.close();
    }
  });
});

describe('a property marked writeOnly', () => {
  it('is taken from the request and stored, and never shown in an answer, stored or made from the schema', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/write-only.yaml`] });
    try {
      const created = await postJson(`${own.url}/write/users`, { email: 'ada@example.com', password: 'hunter22' });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: expect.any(Number), email: 'ada@example.com' });
      const missing = await postJson(`${own.url}/write/users`, { email: 'ada@example.com' });
      expect(missing.status).toBe(400);
      // An answer made from the schema, static or generated, leaves it out too, at any depth.
      for (const prefer of ['dynamic=false', 'dynamic=true']) {
        const users = (await (await fetch(`${own.url}/write/me`, { headers: { prefer } })).json()) as object[];
        for (const user of users) expect(user).not.toHaveProperty('password');
      }
    } finally {
      await own.close();
    }
  });
});

describe('an application/problem+json error', () => {
  it('states the status it is answered with (RFC 9457), whatever the example or a made-up value says', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/problem-status.yaml`] });
    try {
      const refused = await fetch(`${own.url}/problem/items/abc`);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(((await refused.json()) as { status: unknown }).status).toBe(400);
      const labelledJson = await fetch(`${own.url}/problem/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(labelledJson.status).toBeGreaterThanOrEqual(400);
      expect(((await labelledJson.json()) as { status: unknown }).status).toBe(labelledJson.status);
    } finally {
      await own.close();
    }
  });
});

describe('a list of stored records', () => {
  it('repairs a record that breaks the item schema on its own: the others are still listed as stored', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/list-shape-mismatch.yaml`] });
    try {
      const contacts = `${own.url}/list/contacts`;
      expect((await postJson(contacts, { email: 'a@example.com' })).status).toBe(200);
      expect((await postJson(contacts, { email: 'b@example.com', avatar: 'https://example.com/b.png' })).status).toBe(
        200,
      );
      const { data } = (await (await fetch(contacts)).json()) as { data: { id: string; email: string }[] };
      expect(data.map((contact) => [contact.id, contact.email])).toEqual([
        ['1', 'a@example.com'],
        ['2', 'b@example.com'],
      ]);
    } finally {
      await own.close();
    }
  });

  it('documented with example null is still the stored records', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/list-null-example.yaml`] });
    try {
      const things = `${own.url}/list/things`;
      expect((await postJson(things, { name: 'lamp' })).status).toBe(201);
      expect(await (await fetch(things)).json()).toEqual({ results: [{ id: '1', name: 'lamp' }] });
    } finally {
      await own.close();
    }
  });
});

describe('a record typed by its branches alone (a oneOf of kinds)', () => {
  it('is stored as sent, answered with the id it is read back by, and listed', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/one-of-record.yaml`] });
    try {
      const created = await postJson(`${own.url}/one/menu`, { category: 'beverage', name: 'Cappuccino', volume: 250 });
      expect(created.status).toBe(201);
      const item = (await created.json()) as { id: string };
      expect(item).toEqual({ id: expect.any(String), category: 'beverage', name: 'Cappuccino', volume: 250 });
      expect(await (await fetch(`${own.url}/one/menu/${item.id}`)).json()).toEqual(item);
      expect(await (await fetch(`${own.url}/one/menu`)).json()).toEqual({ items: [item] });
    } finally {
      await own.close();
    }
  });
});

describe('a record the request wraps as the answer does (JSON:API data)', () => {
  it('is stored from inside the wrapper: a read shows what was created, then what was patched', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/enveloped-record.yaml`] });
    try {
      const profiles = `${own.url}/enveloped/api/profiles`;
      const send = (method: string, url: string, body: unknown) =>
        fetch(url, { method, headers: { 'content-type': 'application/vnd.api+json' }, body: JSON.stringify(body) });
      const created = await send('POST', profiles, {
        data: { type: 'profile', attributes: { email: 'ada@example.com', first_name: 'Ada' } },
      });
      const { data } = (await created.json()) as { data: { id: string; attributes: Record<string, unknown> } };
      expect(data.attributes).toMatchObject({ email: 'ada@example.com', first_name: 'Ada' });
      await send('PATCH', `${profiles}/${data.id}`, {
        data: { type: 'profile', id: data.id, attributes: { first_name: 'Augusta' } },
      });
      const read = (await (await fetch(`${profiles}/${data.id}`)).json()) as {
        data: { attributes: Record<string, unknown> };
      };
      expect(read.data.attributes).toMatchObject({ email: 'ada@example.com', first_name: 'Augusta' });
    } finally {
      await own.close();
    }
  });
});

describe("a delete's answer that names the record it deleted", () => {
  it("names the one it deleted, not the example's", async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/delete-answer.yaml`] });
    try {
      const persons = `${own.url}/delete/persons`;
      const made: unknown[] = [];
      for (const name of ['A', 'B'])
        made.push(((await (await postJson(persons, { name })).json()) as { data: { id: unknown } }).data.id);
      // Counted from the id's own example, 12.
      expect(made).toEqual([12, 13]);
      const deleted = await fetch(`${persons}/13`, { method: 'DELETE' });
      expect(((await deleted.json()) as { data: { id: unknown } }).data.id).toBe(13);
      expect((await fetch(`${persons}/13`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe("a discriminator over overlapping oneOf branches (OpenAPI's Cat, Dog, Lizard)", () => {
  it('takes a body of the branch its value names, and refuses one no branch of that name accepts', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/discriminator-overlap.yaml`] });
    try {
      const status = async (body: unknown) => (await postJson(`${own.url}/discriminator/pets`, body)).status;
      expect(await status({ petType: 'Dog', bark: 'woof' })).toBe(201);
      expect(await status({ petType: 'Cat' })).toBe(201);
      expect(await status({ petType: 'Lizard', lovesRocks: true })).toBe(201);
      // Lizard's own field is wrong: that Cat would take it does not matter.
      expect(await status({ petType: 'Lizard', lovesRocks: 'yes' })).toBe(400);
      expect(await status({ petType: 'Snake' })).toBe(400);
    } finally {
      await own.close();
    }
  });
});

describe('a request without credentials where no 401 or 403 is documented', () => {
  it('is a 401 in the body format of the closest documented error, never that error’s own status', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/key-without-401.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      const keyed = { 'x-api-key': 'k', 'content-type': 'application/json' };
      const created = await fetch(`${base}/tasks`, { method: 'POST', headers: keyed, body: '{"title":"a"}' });
      const { id } = (await created.json()) as { id: number };
      const read = await fetch(`${base}/tasks/${id}`);
      expect(read.status).toBe(401);
      expect(await read.json()).toMatchObject({ message: 'No credentials were given' });
      const create = await fetch(`${base}/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"b"}',
      });
      expect(create.status).toBe(401);
      expect((await fetch(`${base}/tasks`)).status).toBe(401);
    } finally {
      await own.close();
    }
  });
});

describe('a created record holding another record (a note and its author) but no id of its own', () => {
  it("never takes the other record's id for its own: the author stays the documented one", async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/record-with-related-object.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      for (const body of ['first', 'second']) {
        const created = await postJson(`${base}/notes`, { author_id: 'tea_42', body });
        expect(created.status).toBe(201);
        expect(((await created.json()) as { author: { id: string } }).author.id).toBe('tea_6r55a');
      }
      const state = (await (await fetch(`${own.url}/__mock/state`)).json()) as Record<string, unknown>;
      expect(Object.values(state).flatMap((api) => Object.keys(api as object))).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('an update by POST to the record path (Twilio, Stripe)', () => {
  it('changes the stored record, and an id never stored is the 404', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/post-update.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      const form = (path: string, body: string) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
      const { sid } = (await (await form('/conversations', 'friendly_name=Support')).json()) as { sid: string };
      const updated = await form(`/conversations/${sid}`, 'friendly_name=Renamed');
      expect(updated.status).toBe(200);
      const read = (await (await fetch(`${base}/conversations/${sid}`)).json()) as { friendly_name: string };
      expect(read.friendly_name).toBe('Renamed');
      expect((await form('/conversations/nope', 'friendly_name=x')).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe('a create whose id is not named id, with no item path (an append-only log)', () => {
  it('hands out ids in its one readOnly id-named property and lists what was made', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/sid-without-item-path.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      const made = [];
      for (const body of ['one', 'two'])
        made.push((await (await postJson(`${base}/messages`, { body })).json()) as { sid: string });
      expect(made[0]!.sid).not.toBe(made[1]!.sid);
      const { messages } = (await (await fetch(`${base}/messages`)).json()) as { messages: { body: string }[] };
      expect(messages.map((m) => m.body)).toEqual(['one', 'two']);
    } finally {
      await own.close();
    }
  });
});

describe('a POST to the record path that answers 201 (a reply to a message)', () => {
  it('leaves the record as it was: it is no update', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/post-reply.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      const { id } = (await (await postJson(`${base}/messages`, { text: 'hello' })).json()) as { id: string };
      expect((await postJson(`${base}/messages/${id}`, { text: 'thanks' })).status).toBe(201);
      const read = (await (await fetch(`${base}/messages/${id}`)).json()) as { text: string };
      expect(read.text).toBe('hello');
    } finally {
      await own.close();
    }
  });
});

describe('a 401 where no 401 is documented, in a borrowed body', () => {
  it('says 401 where the body repeats the status, else is problem details', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/key-borrowed-body.yaml`] });
    try {
      const base = own.apis[0]!.baseUrl;
      const open = await fetch(`${base}/open`);
      expect(open.status).toBe(401);
      expect(await open.json()).toMatchObject({ code: 401 });
      for (const path of ['/pinned', '/text']) {
        const answer = await fetch(`${base}${path}`);
        expect(answer.status, path).toBe(401);
        expect(answer.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
        expect(await answer.json(), path).toMatchObject({ status: 401 });
      }
    } finally {
      await own.close();
    }
  });
});

describe('an error body made from its schema (no example)', () => {
  it('names the field, where it is, a fresh id and the status in its own words where its properties are named for them', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/generated-error-body.yaml`] });
    try {
      const response = await fetch(`${own.url}/generated/lists/l1?contact_sample=abc`);
      expect(response.status).toBe(400);
      const [error] = ((await response.json()) as { errors: Record<string, string>[] }).errors;
      expect(error).toMatchObject({ field: 'contact_sample', parameter: 'contact_sample', in: 'query' });
      expect(error?.message).toContain('contact_sample');
      expect(error?.error_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      const problem = await postJson(`${own.url}/generated/things`, {});
      expect(problem.status).toBe(400);
      const body = (await problem.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ title: 'Bad Request', status: 400, detail: expect.stringContaining('name') });
      expect(body.instance).not.toBe('995c5cb0-3280-4a6e-808b-3b096d0bb219');
      // Only what the schema requires and what says what went wrong: no made-up charge or decline code.
      const stripe = await postJson(`${own.url}/generated/customers`, {});
      const { error: said } = (await stripe.json()) as { error: Record<string, unknown> };
      expect(Object.keys(said).sort()).toEqual(['message', 'param', 'type']);
      expect(said).toMatchObject({ param: 'name', message: expect.stringContaining('name') });
    } finally {
      await own.close();
    }
  });
});

describe("ids shown only by the id schema's example", () => {
  it('count up from a number shown there, and are UUIDs where it shows one', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/id-examples.yaml`] });
    try {
      const contact = (await (await postJson(`${own.url}/id/contacts`, { name: 'a' })).json()) as { id: string };
      const next = (await (await postJson(`${own.url}/id/contacts`, { name: 'b' })).json()) as { id: string };
      expect([contact.id, next.id]).toEqual(['512', '513']);
      const list = (await (await postJson(`${own.url}/id/lists`, { name: 'l' })).json()) as { id: string };
      expect(list.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await fetch(`${own.url}/id/lists/${list.id}`)).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('times a record carries by their names alone (createdAt, updatedAt as date-time)', () => {
  it("are the mock's clock at the create, updatedAt again at an update or a replace; not one the client writes", async () => {
    let now = Date.UTC(2024, 11, 2, 15, 4, 5);
    const own = await startMock({ port: 0, clock: () => now, specFiles: [`${FIXTURES}/inferred-times.yaml`] });
    try {
      const made = (await (await postJson(`${own.url}/inferred/contacts`, { name: 'a' })).json()) as Record<
        string,
        string
      >;
      expect(made).toMatchObject({ createdAt: '2024-12-02T15:04:05.000Z', updatedAt: '2024-12-02T15:04:05.000Z' });
      now += 3_600_000;
      const updated = await fetch(`${own.url}/inferred/contacts/${made.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'b' }),
      });
      expect(await updated.json()).toMatchObject({
        createdAt: '2024-12-02T15:04:05.000Z',
        updatedAt: '2024-12-02T16:04:05.000Z',
      });
      now += 3_600_000;
      const replaced = await fetch(`${own.url}/inferred/contacts/${made.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'c' }),
      });
      expect(await replaced.json()).toMatchObject({
        createdAt: '2024-12-02T15:04:05.000Z',
        updatedAt: '2024-12-02T17:04:05.000Z',
      });
      // A time the client writes is its own.
      const event = await postJson(`${own.url}/inferred/events`, { updatedAt: '2020-01-02T03:04:05.000Z' });
      expect(await event.json()).toMatchObject({ updatedAt: '2020-01-02T03:04:05.000Z' });
    } finally {
      await own.close();
    }
  });
});

describe('an example its own schema refuses (JSON written as a string)', () => {
  it('is no example: the refusal is a body made from the schema, saying what went wrong', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/string-example.yaml`] });
    try {
      const answer = await fetch(`${own.url}/string/notes`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '"x"',
      });
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as unknown;
      expect(isObject(body) && typeof body.Message === 'string').toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe('fields a request spells otherwise than the record (FriendlyName, friendly_name)', () => {
  it('are kept and shown under the record’s spelling, at the create and at an update', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/respelled-fields.yaml`] });
    const form = (url: string, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    try {
      const base = `${own.url}/respelled/v1/Users`;
      const made = (await (await form(base, 'Identity=alice&FriendlyName=Alice')).json()) as Record<string, string>;
      expect(made).toMatchObject({ identity: 'alice', friendly_name: 'Alice' });
      await form(`${base}/${made.sid}`, 'FriendlyName=Bob');
      const read = (await (await fetch(`${base}/${made.sid}`)).json()) as Record<string, unknown>;
      expect(read).toEqual({ sid: made.sid, identity: 'alice', friendly_name: 'Bob' });
    } finally {
      await own.close();
    }
  });
});

describe('a list paged by Page and PageSize that says so in its body (Twilio)', () => {
  it('says its page and size, and a client following next_page_url meets every record once', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/twilio-paging.yaml`] });
    try {
      const base = `${own.url}/twilio/v1/Users`;
      for (const name of ['a', 'b', 'c', 'd', 'e'])
        await fetch(base, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `identity=${name}`,
        });
      type Page = {
        users: { identity: string }[];
        meta: { page: number; page_size: number; next_page_url: string | null };
      };
      const seen: string[] = [];
      let url: string | null = `${base}?PageSize=2&Page=0`;
      for (let pages = 0; url !== null && pages < 6; pages++) {
        const page = (await (await fetch(url)).json()) as Page;
        expect(page.meta).toMatchObject({ page: pages, page_size: 2 });
        seen.push(...page.users.map((u) => u.identity));
        url = page.meta.next_page_url;
      }
      expect(url).toBeNull();
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    } finally {
      await own.close();
    }
  });
});

describe('records sent and answered as a list (Xero)', () => {
  it('are kept: the create answers what was sent, the read and the list show it, the delete removes it', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/xero-list-records.yaml`] });
    try {
      const base = `${own.url}/xero/Things`;
      const made = (await (await postJson(base, { Things: [{ Name: 'alpha' }] })).json()) as {
        Things: { ThingID: string; Name: string }[];
      };
      expect(made.Things[0]?.Name).toBe('alpha');
      const id = made.Things[0]!.ThingID;
      expect(await (await fetch(`${base}/${id}`)).json()).toEqual({ Things: [{ ThingID: id, Name: 'alpha' }] });
      expect(((await (await fetch(base)).json()) as { Things: unknown[] }).Things).toEqual([
        { ThingID: id, Name: 'alpha' },
      ]);
      expect((await fetch(`${base}/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${base}/${id}`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe('an x-resource unique field the record spells otherwise (Identity, identity)', () => {
  it('is kept as the request spells it: a second create with the same value is refused, and the runner passes', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/respelled-unique.yaml`] });
    const form = (body: string) =>
      fetch(`${own.url}/respelled/v1/Users`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    try {
      expect((await form('Identity=alice&FriendlyName=A')).status).toBe(201);
      expect((await form('Identity=alice&FriendlyName=B')).status).toBe(409);
      const run = await runConformance([
        '--spec',
        `${FIXTURES}/respelled-unique.yaml`,
        '--base-url',
        `${own.url}/respelled`,
        '--seed',
        '7',
      ]);
      expect(run.code, run.describe()).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe('a nested record whose parent the path calls {id} (Pipedrive: org_id under /organizations/{id}/followers)', () => {
  it('shows the parent the path names in the field named for its collection, and keeps its own id', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/parent-named-by-id.yaml`] });
    try {
      const base = `${own.url}/parent/v1`;
      const org = (await (await postJson(`${base}/organizations`, { name: 'Acme' })).json()) as {
        data: { id: number };
      };
      const follower = (await (
        await postJson(`${base}/organizations/${org.data.id}/followers`, { user_id: 5 })
      ).json()) as {
        data: { id: number; org_id: number; user_id: number };
      };
      expect(follower.data.org_id).toBe(org.data.id);
      expect(follower.data.user_id).toBe(5);
      expect(follower.data.id).not.toBe(org.data.id);
    } finally {
      await own.close();
    }
  });
});

describe('a success example written as a JSON string (ActiveCampaign)', () => {
  it('is no example: each create answers the record it stored, with an id of its own', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/string-success-example.yaml`] });
    try {
      const base = `${own.url}/string/contacts`;
      const ada = (await (await postJson(base, { contact: { email: 'ada@example.com' } })).json()) as {
        contact: { email: string; id: string };
      };
      const bob = (await (await postJson(base, { contact: { email: 'bob@example.com' } })).json()) as {
        contact: { email: string; id: string };
      };
      expect(ada.contact.email).toBe('ada@example.com');
      expect(bob.contact.id).not.toBe(ada.contact.id);
      expect(await (await fetch(`${base}/${ada.contact.id}`)).json()).toEqual({ contact: ada.contact });
    } finally {
      await own.close();
    }
  });
});

describe('times named as Twilio names them (date_created, date_updated)', () => {
  it("are the mock's clock: date_updated at the create and again at an update, never the example's", async () => {
    let now = Date.UTC(2024, 11, 2, 15, 4, 5);
    const own = await startMock({ port: 0, clock: () => now, specFiles: [`${FIXTURES}/twilio-times.yaml`] });
    const form = (url: string, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    try {
      const made = (await (await form(`${own.url}/twilio/v1/Users`, 'identity=a')).json()) as Record<string, string>;
      expect(made).toMatchObject({
        date_created: '2024-12-02T15:04:05.000Z',
        date_updated: '2024-12-02T15:04:05.000Z',
      });
      now += 3_600_000;
      const updated = await form(`${own.url}/twilio/v1/Users/${made.sid}`, 'identity=b');
      expect(await updated.json()).toMatchObject({
        date_created: '2024-12-02T15:04:05.000Z',
        date_updated: '2024-12-02T16:04:05.000Z',
      });
    } finally {
      await own.close();
    }
  });
});

describe('a list paged by a text cursor (after, starting_after)', () => {
  it('follows the cursor it hands out to every record once, and says of no next page on the last', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/cursor-paging.yaml`] });
    try {
      const base = `${own.url}/cursor`;
      for (const name of ['a', 'b', 'c']) await postJson(`${base}/contacts`, { name });
      type Page = { results: { name: string }[]; count: number; paging?: { next?: { after: string } } };
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 5; pages++) {
        const page = (await (await fetch(`${base}/contacts${after ? `?after=${after}` : ''}`)).json()) as Page;
        seen.push(...page.results.map((r) => r.name));
        expect(page.count).toBe(3);
        after = page.paging?.next?.after;
        if (after === undefined) {
          expect(page.paging).toBeUndefined();
          break;
        }
      }
      expect(seen).toEqual(['a', 'b', 'c']);

      const ids: string[] = [];
      for (const name of ['x', 'y', 'z'])
        ids.push(((await (await postJson(`${base}/customers`, { name })).json()) as { id: string }).id);
      const first = (await (await fetch(`${base}/customers`)).json()) as {
        data: unknown[];
        has_more: boolean;
        total_items: number;
      };
      expect([first.data.length, first.has_more, first.total_items]).toEqual([2, true, 3]);
      const rest = (await (await fetch(`${base}/customers?starting_after=${ids[1]}`)).json()) as {
        data: { name: string }[];
        has_more: boolean;
      };
      expect([rest.data.map((c) => c.name), rest.has_more]).toEqual([['z'], false]);
      // Backwards: the page that ends just before the record named.
      const back = (await (await fetch(`${base}/customers?limit=1&ending_before=${ids[2]}`)).json()) as {
        data: { name: string }[];
      };
      expect(back.data.map((c) => c.name)).toEqual(['y']);
    } finally {
      await own.close();
    }
  });
});

describe('a PUT whose body requires nothing', () => {
  it('updates what it sends and keeps the rest, as a PATCH would', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/partial-put.yaml`] });
    try {
      const made = await postJson(`${own.url}/partial/lists`, { name: 'Keep me', folderId: 7 });
      const { id } = (await made.json()) as { id: number };
      const put = await fetch(`${own.url}/partial/lists/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Renamed' }),
      });
      expect(put.status).toBe(204);
      expect(await (await fetch(`${own.url}/partial/lists/${id}`)).json()).toMatchObject({
        name: 'Renamed',
        folderId: 7,
      });
    } finally {
      await own.close();
    }
  });
});

describe('a form field with no name', () => {
  it('is named as such where the form takes no other field, not as an empty word', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/form-strict.yaml`] });
    try {
      const response = await fetch(`${own.url}/form/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Ada&=x',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe(
        'a field with no name is not an allowed property',
      );
    } finally {
      await own.close();
    }
  });
});

describe('a record written by a form, with no example', () => {
  it('holds what was sent and what the server fills, no made-up value of a field left out', async () => {
    const own = await startMock({ port: 0, specFiles: [`${FIXTURES}/form-record.yaml`] });
    try {
      const made = await fetch(`${own.url}/form/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Ada',
      });
      const customer = (await made.json()) as Record<string, unknown>;
      expect(customer).toMatchObject({ name: 'Ada', object: 'customer' });
      expect(Object.keys(customer).sort()).toEqual(['id', 'name', 'object']);
      const read = await fetch(`${own.url}/form/customers/${String(customer.id)}`);
      expect(await read.json()).toEqual(customer);
    } finally {
      await own.close();
    }
  });
});
