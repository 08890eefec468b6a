/**
 * Server-sent events (`text/event-stream`, WHATWG HTML "Server-sent events"): how the mock frames a
 * documented value as events and how the runner reads them back. OpenAPI 3.1 does not say what a
 * schema of such a response describes; documents in the wild mean either each event as an object
 * (`event`, `data`, `id`, `retry`: Speakeasy's and OpenAPI 3.2's reading, Mistral's documents) or
 * each event's data alone (OpenAI's). Both readings are accepted.
 */
import { isObject } from './json.js';
import { mediaTypeEssence } from './media-type.js';

export const EVENT_STREAM = 'text/event-stream';

export function isEventStream(mediaType: string | undefined): boolean {
  return mediaTypeEssence(mediaType) === EVENT_STREAM;
}

/** One event as read: its fields, `data` parsed as JSON where it is JSON. */
export interface StreamEvent {
  event?: string;
  data: unknown;
  id?: string;
  retry?: number;
}

const FIELDS = new Set(['event', 'data', 'id', 'retry']);

/** Whether a value is an event object of the first reading: `data` and no key but the four fields. */
function isEventObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && 'data' in value && Object.keys(value).every((key) => FIELDS.has(key));
}

const dataText = (data: unknown): string => (typeof data === 'string' ? data : JSON.stringify(data));

/** One event's lines; a multi-line data text is one `data:` line per line, as the format requires. */
function frame(event: Record<string, unknown>): string {
  const lines: string[] = [];
  if (event.event !== undefined) lines.push(`event: ${String(event.event).replace(/[\r\n]/g, ' ')}`);
  if (event.id !== undefined) lines.push(`id: ${String(event.id).replace(/[\r\n]/g, ' ')}`);
  if (typeof event.retry === 'number') lines.push(`retry: ${Math.trunc(event.retry)}`);
  for (const line of dataText(event.data).split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * A documented value as an event stream: a text that already is one (an example written as the
 * stream) as it is; a list is one event per item; an event object gives its fields; any other value
 * is one event's data (JSON text unless it is a string).
 */
export function frameEvents(value: unknown): string {
  if (typeof value === 'string' && parseEvents(value).length > 0) return value;
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => frame(isEventObject(item) ? item : { data: item })).join('');
}

/** The events of a stream's text; comments, unknown fields and events without data are left out. */
export function parseEvents(text: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data: string[] = [];
    const event: Omit<StreamEvent, 'data'> = {};
    for (const line of block.split(/\r\n|\r|\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') data.push(value);
      else if (name === 'event') event.event = value;
      else if (name === 'id') event.id = value;
      else if (name === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
    }
    if (data.length === 0) continue;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the data is the text itself.
    }
    events.push({ ...event, data: parsed });
  }
  return events;
}
