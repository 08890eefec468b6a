/** lib/media-type.ts: the one reading of media types and ranges the mock and the runner share. */
import { describe, expect, it } from 'vitest';
import { isJsonMediaType, mediaTypeEssence, mediaTypeMatches, parseMediaType } from '../../lib/media-type.js';

describe('mediaTypeEssence', () => {
  it('is the lower-cased type/subtype without parameters', () => {
    expect(mediaTypeEssence('application/json')).toBe('application/json');
    expect(mediaTypeEssence('Application/JSON; charset=UTF-8')).toBe('application/json');
    expect(mediaTypeEssence('  text/plain ;format=flowed')).toBe('text/plain');
    expect(mediaTypeEssence('application/problem+json')).toBe('application/problem+json');
  });

  it("is '' for no value, and the trimmed lower-cased text for one that is not type/subtype", () => {
    expect(mediaTypeEssence(undefined)).toBe('');
    expect(mediaTypeEssence('')).toBe('');
    expect(mediaTypeEssence('JSON; x=1')).toBe('json');
  });
});

describe('parseMediaType', () => {
  it('splits type and subtype, and refuses what is not type/subtype', () => {
    expect(parseMediaType('Application/Vnd.API+JSON; q=1')).toEqual({
      type: 'application',
      subtype: 'vnd.api+json',
      essence: 'application/vnd.api+json',
    });
    expect(parseMediaType('application/*')).toEqual({ type: 'application', subtype: '*', essence: 'application/*' });
    for (const bad of [undefined, '', 'json', 'application/', '/json', 'a/b/c', 'application/js on'])
      expect(parseMediaType(bad), String(bad)).toBeUndefined();
  });
});

describe('isJsonMediaType', () => {
  it('is application/json and any +json suffix, whatever the case and parameters', () => {
    for (const json of [
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/problem+json',
      'application/vnd.api+json',
      'text/x.custom+json',
    ]) {
      expect(isJsonMediaType(json), json).toBe(true);
    }
  });

  it('is nothing else', () => {
    for (const other of [
      undefined,
      '',
      'json',
      'text/json',
      'application/jsonl',
      'application/json-seq',
      'application/x-json',
      'application/json+xml',
      'text/plain',
      'application/*',
      '*/*',
    ]) {
      expect(isJsonMediaType(other), String(other)).toBe(false);
    }
  });
});

describe('mediaTypeMatches(documentedRange, actual)', () => {
  it('matches the same essence, ignoring case and parameters on both sides', () => {
    expect(mediaTypeMatches('application/json', 'application/json')).toBe(true);
    expect(mediaTypeMatches('application/json', 'Application/JSON; charset=utf-8')).toBe(true);
    expect(mediaTypeMatches('application/json; charset=utf-8', 'application/json')).toBe(true);
    expect(mediaTypeMatches('application/json', 'application/problem+json')).toBe(false);
    expect(mediaTypeMatches('application/problem+json', 'application/json')).toBe(false);
    expect(mediaTypeMatches('application/json', 'text/json')).toBe(false);
  });

  it('matches type/* to any subtype of that type', () => {
    expect(mediaTypeMatches('application/*', 'application/json')).toBe(true);
    expect(mediaTypeMatches('application/*', 'application/problem+json; charset=utf-8')).toBe(true);
    expect(mediaTypeMatches('Text/*', 'text/plain')).toBe(true);
    expect(mediaTypeMatches('application/*', 'text/plain')).toBe(false);
    expect(mediaTypeMatches('application/*', undefined)).toBe(false);
  });

  it('matches */* to anything, even a message without a media type', () => {
    for (const actual of ['application/json', 'text/html; charset=utf-8', 'image/png', '', undefined])
      expect(mediaTypeMatches('*/*', actual), String(actual)).toBe(true);
  });

  it('is a range only on the documented side, and only in those two forms', () => {
    expect(mediaTypeMatches('application/json', 'application/*')).toBe(false);
    expect(mediaTypeMatches('application/json', '*/*')).toBe(false);
    expect(mediaTypeMatches('*/json', 'application/json')).toBe(false);
    expect(mediaTypeMatches('not a media type', 'application/json')).toBe(false);
    expect(mediaTypeMatches('application/json', undefined)).toBe(false);
    expect(mediaTypeMatches('application/json', 'json')).toBe(false);
  });
});
