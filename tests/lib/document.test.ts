/**
 * lib/document.ts: reading a file into one OpenAPI 3.1 document. Every way it can fail is one line
 * naming the file (and the line and column of a syntax error); Swagger 2.0 and OpenAPI 3.0 come out
 * as 3.1; `$ref`s into other local files are inlined.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../lib/document.js';
import { SpecError } from '../../lib/errors.js';
import type { JsonObject } from '../../lib/json.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'document-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function failure(path: string): Promise<string> {
  const error = await readDocument(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SpecError);
  const message = (error as SpecError).message;
  expect(message).not.toContain('\n');
  return message;
}

const MINIMAL = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n';

describe('syntax errors name the file, line and column', () => {
  it('YAML', async () => {
    const path = await file('bad.yaml', 'openapi: 3.1.0\ninfo:\n  title: x\n   version: 1\n');
    expect(await failure(path)).toBe(`${path}:3:10: invalid YAML: Nested mappings are not allowed in compact mappings`);
  });

  it('JSON', async () => {
    const path = await file('bad.json', '{\n  "openapi": "3.1.0",\n  "info": {,}\n}\n');
    expect(await failure(path)).toMatch(new RegExp(`^${path.replace(/[.\\]/g, '\\$&')}:3:12: invalid JSON: `));
  });

  it('a key twice in one YAML mapping (YAML 1.2: keys are unique), not the last one silently', async () => {
    const responses = "      '200': {description: ok}\n      '200': {description: also ok}\n";
    const path = await file(
      'twice.yaml',
      `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n      responses:\n${responses}`,
    );
    expect(await failure(path)).toBe(`${path}:8:7: invalid YAML: Map keys must be unique`);
    // A number and a text of the same digits are one key once read: the same response twice.
    const mixed = await file(
      'mixed.yaml',
      (await readFile(path, 'utf8')).replace("      '200': {description: ok}", '      200: {description: ok}'),
    );
    expect(await failure(mixed)).toBe(`${mixed}:8:7: invalid YAML: Map keys must be unique`);
  });

  it('a YAML error in a file referenced from the spec names that file', async () => {
    await file('refs/broken.yaml', 'Pet:\n  type: [object\n');
    const path = await file(
      'with-broken-ref.yaml',
      `${MINIMAL}components:\n  schemas:\n    Pet: {$ref: 'refs/broken.yaml#/Pet'}\n`,
    );
    expect(await failure(path)).toMatch(/broken\.yaml:\d+:\d+: invalid YAML: /);
  });
});

describe('a file that is not there or not a spec', () => {
  it('not found, a directory', async () => {
    expect(await failure(join(dir, 'missing.yaml'))).toBe(`spec file not found: ${join(dir, 'missing.yaml')}`);
    expect(await failure(dir)).toBe(`spec file is a directory: ${dir}`);
  });

  it('not an object, no version field', async () => {
    const list = await file('list.yaml', '- a\n- b\n');
    expect(await failure(list)).toBe(`${list}: not an OpenAPI or Swagger document (expected a YAML/JSON object)`);
    const bare = await file('bare.yaml', 'info: {}\n');
    expect(await failure(bare)).toBe(
      `${bare}: not an OpenAPI or Swagger document (no \`openapi\` or \`swagger\` field)`,
    );
  });

  it('versions other than Swagger 2.0, OpenAPI 3.0 and 3.1', async () => {
    const v4 = await file('v4.yaml', 'openapi: 4.0.0\npaths: {}\n');
    expect(await failure(v4)).toBe(`${v4}: OpenAPI 4.0.0 is not supported (OpenAPI 3.0 and 3.1, Swagger 2.0 are)`);
    const v32 = await file('v32.yaml', 'openapi: 3.2.0\npaths: {}\n');
    expect(await failure(v32)).toBe(`${v32}: OpenAPI 3.2.0 is not supported (OpenAPI 3.0 and 3.1, Swagger 2.0 are)`);
    const swagger = await file('swagger12.yaml', 'swagger: "1.2"\n');
    expect(await failure(swagger)).toBe(
      `${swagger}: Swagger 1.2 is not supported (OpenAPI 3.0 and 3.1, Swagger 2.0 are)`,
    );
  });

  it('no paths', async () => {
    const path = await file('nopaths.yaml', 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n');
    expect(await failure(path)).toBe(`${path}: the document has no "paths"`);
  });
});

describe('$ref errors', () => {
  const spec = (ref: string) => `${MINIMAL}components:\n  schemas:\n    Pet: {$ref: '${ref}'}\n`;

  it('an internal $ref to nothing, or not a JSON pointer', async () => {
    const nothing = await file('ref-nothing.yaml', spec('#/components/schemas/Nope'));
    expect(await failure(nothing)).toBe(`${nothing}: $ref "#/components/schemas/Nope" points at nothing`);
    const notPointer = await file('ref-not-pointer.yaml', spec('#components'));
    expect(await failure(notPointer)).toBe(`${notPointer}: $ref "#components" is not a valid JSON pointer`);
  });

  it('a remote $ref', async () => {
    const path = await file('ref-remote.yaml', spec('https://example.com/pet.yaml#/Pet'));
    expect(await failure(path)).toMatch(
      /ref-remote\.yaml: remote \$ref "https:\/\/example\.com\/pet\.yaml#\/Pet" is not supported \(only references to local files\)$/,
    );
  });

  it('a $ref to a file that is not there, or to nothing in it', async () => {
    const missing = await file('ref-missing.yaml', spec('refs/none.yaml#/Pet'));
    expect(await failure(missing)).toMatch(/^file referenced from .*ref-missing\.yaml not found: .*refs\/none\.yaml$/);
    await file('refs/pet.yaml', 'Pet: {type: object}\n');
    const nowhere = await file('ref-nowhere.yaml', spec('refs/pet.yaml#/Dog'));
    expect(await failure(nowhere)).toMatch(/ref-nowhere\.yaml: \$ref "refs\/pet\.yaml#\/Dog" points at nothing$/);
  });
});

describe('a file read again', () => {
  it('is parsed once while unchanged, and each reader gets a document of its own to change', async () => {
    const path = await file('again.yaml', MINIMAL);
    const first = await readDocument(path);
    (first.document.info as JsonObject).title = 'changed by a reader';
    const second = await readDocument(path);
    expect((second.document.info as JsonObject).title).toBe('t');
    expect(second.document).not.toBe(first.document);
  });

  it('is parsed again once its text changes', async () => {
    const path = await file('edited.yaml', MINIMAL);
    await readDocument(path);
    await writeFile(path, MINIMAL.replace('title: t', 'title: edited'));
    expect(((await readDocument(path)).document.info as JsonObject).title).toBe('edited');
  });
});

describe('what a readable file becomes', () => {
  it('a 3.1 document is kept as written', async () => {
    const path = await file('ok.yaml', MINIMAL);
    const read = await readDocument(path);
    expect(read).toEqual({
      file: path,
      declaredVersion: '3.1.0',
      document: { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} },
      texts: new Map([[path, MINIMAL]]),
    });
  });

  it('Swagger 2.0 comes out as OpenAPI 3.1, its version remembered', async () => {
    const path = await file(
      'swagger.yaml',
      [
        'swagger: "2.0"',
        'info: {title: t, version: "1"}',
        'paths:',
        '  /pets:',
        '    get:',
        '      operationId: listPets',
        '      produces: [application/json]',
        '      responses:',
        '        "200": {description: ok, schema: {type: array, items: {$ref: "#/definitions/Pet"}}}',
        'definitions:',
        '  Pet: {type: object}',
      ].join('\n'),
    );
    const read = await readDocument(path);
    expect(read.declaredVersion).toBe('2.0');
    expect(String(read.document.openapi)).toMatch(/^3\.1/);
    const response = ((read.document.paths as JsonObject)['/pets'] as JsonObject).get as JsonObject;
    expect(JSON.stringify(response)).toContain('#/components/schemas/Pet');
  });

  it("OpenAPI 3.0's nullable becomes a type list, even in a document that says 3.1", async () => {
    const path = await file(
      'nullable.yaml',
      `${MINIMAL}components:\n  schemas:\n    Name: {type: string, nullable: true}\n    Free: {nullable: false}\n`,
    );
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Name).toEqual({ type: ['string', 'null'] });
    expect(schemas.Free).toEqual({});
  });

  it("3.0.0's nullable without a type lets null beside its branches, its $ref, its allOf or its oneOf (Stripe's address)", async () => {
    const schemas = [
      '    Address: {type: object, properties: {city: {type: string}}}',
      "    Branches: {anyOf: [{$ref: '#/components/schemas/Address'}], nullable: true}",
      "    Referred: {$ref: '#/components/schemas/Address', nullable: true}",
      "    Joined: {allOf: [{$ref: '#/components/schemas/Address'}], nullable: true}",
      '    Either: {nullable: true, oneOf: [{type: string, nullable: true}, {type: integer}]}',
    ].join('\n');
    const path = await file(
      'stripe-nullable.yaml',
      `openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n${schemas}\n`,
    );
    const read = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    const address = { $ref: '#/components/schemas/Address' };
    expect(read.Branches).toEqual({ anyOf: [address, { type: 'null' }] });
    expect(read.Referred).toEqual({ anyOf: [address, { type: 'null' }] });
    expect(read.Joined).toEqual({ anyOf: [{ allOf: [address] }, { type: 'null' }] });
    // A oneOf keeps its branches together: null, which one branch takes already, matches once.
    expect(read.Either).toEqual({
      anyOf: [{ oneOf: [{ type: ['string', 'null'] }, { type: 'integer' }] }, { type: 'null' }],
    });
  });

  it("2.0's and 3.0's format: byte stays base64 text (the upgrader made it a file of the enclosing media type); 3.1's contentEncoding is kept", async () => {
    const body = (type: string) =>
      `          ${type}:\n            schema: {type: object, properties: {data: {type: string, format: byte}}}\n`;
    const path = await file(
      'byte.yaml',
      `openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /b:\n    post:\n      requestBody:\n        content:\n${body('application/json')}${body('multipart/form-data')}      responses: {'204': {description: ok}}\n`,
    );
    const { document } = await readDocument(path);
    const content = (((document.paths as JsonObject)['/b'] as JsonObject).post as JsonObject).requestBody as JsonObject;
    for (const media of Object.values(content.content as JsonObject))
      expect(((media as JsonObject).schema as JsonObject).properties).toEqual({
        data: { type: 'string', format: 'byte' },
      });
    const native = await file(
      'encoded.yaml',
      `${MINIMAL}components:\n  schemas:\n    Data: {type: string, contentEncoding: base64, contentMediaType: image/png}\n`,
    );
    const schemas = ((await readDocument(native)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Data).toEqual({ type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' });
  });

  it("OpenAPI 3.0's boolean exclusiveMinimum/exclusiveMaximum become the bounds they mean in a 3.1 document", async () => {
    const path = await file(
      'exclusive.yaml',
      `${MINIMAL}components:\n  schemas:\n    Rate: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false}\n`,
    );
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Rate).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 10 });
  });

  it("draft 4's list form of items (Slack's description) becomes prefixItems, additionalItems the rest", async () => {
    const path = await file(
      'tuple.yaml',
      `${MINIMAL}components:\n  schemas:\n    Pair: {items: [{type: string}, {type: integer}], additionalItems: false}\n    Open: {items: [{type: string}]}\n`,
    );
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Pair).toEqual({ prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false });
    expect(schemas.Open).toEqual({ prefixItems: [{ type: 'string' }] });
  });

  it("draft 2019-09's $recursiveRef becomes a $ref to the schema that sets $recursiveAnchor", async () => {
    const filter = [
      'Filter:',
      '      $recursiveAnchor: true',
      '      type: object',
      '      properties:',
      '        filters: {type: array, items: {anyOf: [{type: string}, {$recursiveRef: "#"}]}}',
    ].join('\n');
    const path = await file('recursive.yaml', `${MINIMAL}components:\n  schemas:\n    ${filter}\n`);
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Filter).toEqual({
      type: 'object',
      properties: {
        filters: { type: 'array', items: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Filter' }] } },
      },
    });
  });

  it('$refs into local files are inlined, with their siblings on top', async () => {
    await file('parts/tag.yaml', 'Tag:\n  type: string\n  maxLength: 20\n');
    await file('parts/text.md', 'A description kept in a file of its own.');
    const path = await file(
      'inlined.yaml',
      `${MINIMAL}components:\n  schemas:\n    Tag: {$ref: 'parts/tag.yaml#/Tag', description: {$ref: 'parts/text.md'}, maxLength: 10}\n`,
    );
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as JsonObject;
    expect(schemas.Tag).toEqual({
      type: 'string',
      maxLength: 10,
      description: 'A description kept in a file of its own.',
    });
  });

  it('a recursion across files is hoisted into the components, and refers to itself there', async () => {
    await file('parts/pet.yaml', 'Pet:\n  type: object\n  properties:\n    owner: {$ref: "owner.yaml#/Owner"}\n');
    await file(
      'parts/owner.yaml',
      'Owner:\n  type: object\n  properties:\n    pets: {type: array, items: {$ref: "pet.yaml#/Pet"}}\n',
    );
    const path = await file(
      'recursive.yaml',
      `${MINIMAL}components:\n  schemas:\n    Pet: {$ref: 'parts/pet.yaml#/Pet'}\n`,
    );
    const schemas = ((await readDocument(path)).document.components as JsonObject).schemas as Record<
      string,
      JsonObject
    >;
    const ref = schemas.Pet!.$ref as string;
    expect(ref).toMatch(/^#\/components\/schemas\/.+/);
    const hoisted = schemas[ref.split('/').pop()!]!;
    expect(hoisted.type).toBe('object');
    const owner = (hoisted.properties as Record<string, JsonObject>).owner!;
    expect(((owner.properties as JsonObject).pets as JsonObject).items).toEqual({ $ref: ref });
  });
});

describe('Swagger 2.0: what the upgrader loses is written back', () => {
  it("formData fields keep their rules, items, collectionFormat, the path's and the referenced ones; produces is the operation's", async () => {
    const { document } = await readDocument('tests/fixtures/openapi/swagger2-forms.yaml');
    const operation = (document.paths as Record<string, Record<string, JsonObject>>)['/upload']!.post!;
    expect(operation.requestBody).toEqual({
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              file: { type: 'string', contentMediaType: 'application/octet-stream' },
              kind: { type: 'string', enum: ['cat', 'dog'] },
              ids: { type: 'array', items: { type: 'integer', maximum: 9 } },
              note: { type: 'string', maxLength: 3 },
            },
            required: ['file'],
          },
          encoding: { ids: { style: 'form', explode: true } },
        },
      },
    });
    // The upgrader made the referenced field a parameter referring to a request body: no parameter is left.
    expect(operation.parameters).toEqual([]);
    const responses = operation.responses as Record<string, { content: JsonObject }>;
    expect(Object.keys(responses['200']!.content)).toEqual(['text/plain', 'application/xml']);
    expect(Object.keys(responses.default!.content)).toEqual(['text/plain', 'application/xml']);
  });
});

describe('Swagger 2.0: shared body parameters and answers', () => {
  it("a $ref'd body is the request body, an operation's produces labels a $ref'd answer, each type keeps its example", async () => {
    const { document } = await readDocument('tests/fixtures/openapi/swagger2-refs.yaml');
    const paths = document.paths as Record<string, Record<string, JsonObject>>;
    const create = paths['/pets']!.post!;
    expect(create.parameters).toEqual([]);
    expect(create.requestBody).toEqual({
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/Pet' } },
        'application/xml': { schema: { $ref: '#/components/schemas/Pet' } },
      },
    });
    const exported = paths['/export']!.get!.responses as Record<string, JsonObject>;
    expect(exported['200']).toEqual({
      description: 'csv export',
      content: { 'text/csv': { schema: { type: 'string' } } },
    });
    const read = (paths['/pets/{id}']!.get!.responses as Record<string, { content: Record<string, JsonObject> }>)[
      '200'
    ]!;
    expect(read.content['application/xml']).toEqual({
      schema: { $ref: '#/components/schemas/Pet' },
      examples: { default: { value: '<Pet><name>rex</name></Pet>' } },
    });
    expect(read.content['application/json']!.examples).toEqual({ default: { value: { name: 'rex' } } });
  });
});

describe('an upgraded document keeps its extensions as written', () => {
  it('an example inside an extension object of ours (3.0 and 2.0) is not rewritten as a schema example', async () => {
    const credential = { pattern: '^SSWS \\S+$', example: 'SSWS 00aBcD' };
    const scheme = { type: 'apiKey', in: 'header', name: 'Authorization', 'x-credential': credential };
    const v30 = await file(
      'ext30.json',
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {},
        components: {
          securitySchemes: { key: scheme },
          schemas: { Thing: { type: 'object', properties: { 'x-count': { type: 'integer', example: 2 } } } },
        },
      }),
    );
    const read30 = (await readDocument(v30)).document as JsonObject;
    const components = read30.components as JsonObject;
    expect((components.securitySchemes as JsonObject).key).toEqual(scheme);
    // A property named like an extension is a schema like any other: upgraded.
    expect(((components.schemas as JsonObject).Thing as JsonObject).properties).toEqual({
      'x-count': { type: 'integer', examples: [2] },
    });
    const v20 = await file(
      'ext20.json',
      JSON.stringify({
        swagger: '2.0',
        info: { title: 't', version: '1' },
        paths: {},
        securityDefinitions: { key: scheme },
      }),
    );
    const read20 = (await readDocument(v20)).document as JsonObject;
    expect(((read20.components as JsonObject).securitySchemes as JsonObject).key).toEqual(scheme);
  });
});

describe('the upgrade reads what 2.0 says in names starting with x-', () => {
  it("a response header named x-... stays a header, and a body parameter's x-examples its examples", async () => {
    const path = await file(
      'sw2-x.json',
      JSON.stringify({
        swagger: '2.0',
        info: { title: 't', version: '1' },
        paths: {
          '/contacts': {
            post: {
              parameters: [
                {
                  name: 'body',
                  in: 'body',
                  required: true,
                  schema: { type: 'object', properties: { name: { type: 'string' } } },
                  'x-examples': { 'application/json': { name: 'Ada' } },
                },
              ],
              responses: {
                '201': { description: 'made', headers: { 'x-rate-limit-remaining': { type: 'integer' } } },
              },
            },
          },
        },
      }),
    );
    const document = (await readDocument(path)).document as JsonObject;
    const post = ((document.paths as JsonObject)['/contacts'] as JsonObject).post as JsonObject;
    const created = (post.responses as JsonObject)['201'] as JsonObject;
    expect(Object.keys(created.headers as JsonObject)).toEqual(['x-rate-limit-remaining']);
    expect(JSON.stringify(post.requestBody)).toContain('"Ada"');
  });
});
