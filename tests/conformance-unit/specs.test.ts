/**
 * A process that runs many times loads a spec once while its files say the same, and no run
 * leaves anything in the model the next run reads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, run } from '../../conformance/index.js';
import { loadForRun } from '../../conformance/specs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'specs-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function document(petSchema: string, idPattern = '^[a-z]+$'): string {
  return [
    'openapi: 3.1.0',
    'info: {title: Pets, version: "1"}',
    'servers: [{url: "http://127.0.0.1:9/api"}]',
    'paths:',
    '  /pets/{petId}:',
    '    get:',
    '      operationId: getPet',
    '      parameters:',
    `        - {name: petId, in: path, required: true, schema: {type: string, pattern: "${idPattern}"}, example: rex}`,
    '      responses:',
    `        "200": {description: ok, content: {application/json: {schema: {$ref: "${petSchema}"}}}}`,
    '        "404": {description: none}',
  ].join('\n');
}

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const responseSchema = async (file: string) => {
  const { spec } = await loadForRun(file);
  return spec.operations[0]!.responses.find((r) => r.status === '200')!.content[0]!.schema;
};

describe('a spec is loaded once while its files are unchanged', () => {
  it('the same model and validators, until the file changes', async () => {
    const file = await write('same.yaml', `${document('pet.yaml')}\n`);
    await write('pet.yaml', 'type: object\nrequired: [name]\n');
    const first = await loadForRun(file);
    expect(await loadForRun(file)).toBe(first);
    await write('same.yaml', `${document('pet.yaml', '^[0-9]+$')}\n`);
    const second = await loadForRun(file);
    expect(second).not.toBe(first);
    expect(second.spec.operations[0]!.parameters[0]!.schema).toMatchObject({ pattern: '^[0-9]+$' });
  });

  it('a change in a file it references reloads it', async () => {
    const file = await write('referencing.yaml', document('dog.yaml'));
    await write('dog.yaml', 'type: object\nrequired: [name]\n');
    expect(await responseSchema(file)).toMatchObject({ required: ['name'] });
    await write('dog.yaml', 'type: object\nrequired: [bark]\n');
    expect(await responseSchema(file)).toMatchObject({ required: ['bark'] });
  });

  it('a broken file is refused, and read again once mended', async () => {
    const file = await write('mended.yaml', 'openapi: 3.1.0\npaths: [');
    await expect(loadForRun(file)).rejects.toBeInstanceOf(ConfigError);
    await write('cat.yaml', 'type: object\n');
    await write('mended.yaml', document('cat.yaml'));
    expect((await loadForRun(file)).spec.operations.map((op) => op.operationId)).toEqual(['getPet']);
  });

  it('the model is frozen: a reader that writes into it fails instead of changing the next run', async () => {
    const file = await write('frozen.yaml', document('cat.yaml'));
    await write('cat.yaml', 'type: object\n');
    const { spec } = await loadForRun(file);
    expect(() => {
      (spec.operations as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      spec.operations[0]!.parameters[0]!.example = 'tom';
    }).toThrow(TypeError);
  });
});

describe('a run leaves nothing in the shared model', () => {
  it('a configured parameter value is used by its run only', async () => {
    const file = await write('configured.yaml', document('cat.yaml'));
    await write('cat.yaml', 'type: object\n');
    const planned = async (parameters?: Record<string, unknown>) => {
      let out = '';
      await run({
        spec: file,
        dryRun: true,
        seed: 1,
        random: false,
        ...(parameters ? { parameters } : {}),
        write: (text) => (out += text),
      });
      return out;
    };
    expect(await planned({ petId: 'felix' })).toContain('/api/pets/felix');
    const plain = await planned();
    expect(plain).toContain('/api/pets/rex');
    expect(plain).not.toContain('felix');
  });
});

describe('run() called from code', () => {
  it('refuses a header value the HTTP client cannot send, as the command line does, never quoting it', async () => {
    const file = await write('headers.yaml', document('cat.yaml'));
    await write('cat.yaml', 'type: object\n');
    const refused = run({ spec: file, dryRun: true, seed: 1, headers: [['Authorization', 'Bearer SEC\u0001RET']] });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      /^--header Authorization has a control character \(U\+0001\) at character 11/,
    );
    await expect(refused).rejects.not.toThrow(/SEC/);
  });
});

describe("a run's report", () => {
  it('records every exchange when asked (or when an HTML or HAR report is written), none otherwise', async () => {
    const file = await write('exchanges.yaml', document('cat.yaml'));
    await write('cat.yaml', 'type: object\n');
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const exchanges = async (recordExchanges?: boolean) => {
        const result = await run({
          spec: file,
          baseUrl: `http://127.0.0.1:${port}/api`,
          seed: 1,
          random: false,
          maxCases: 2,
          ...(recordExchanges !== undefined ? { recordExchanges } : {}),
        });
        return { sent: result.results.length, recorded: result.report?.exchanges.length };
      };
      const recorded = await exchanges(true);
      expect(recorded.sent).toBeGreaterThan(0);
      expect(recorded.recorded).toBe(recorded.sent);
      expect((await exchanges()).recorded).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
