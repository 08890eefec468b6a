/**
 * `--report-har`: every exchange of the run as an HTTP Archive (HAR 1.2), to open in a browser's
 * network panel or any HAR viewer. It renders the report's exchanges, which are redacted already
 * (a secret given with --header is `***` here as everywhere) and whose response bodies are capped
 * at 64 KB (`content.comment` says when). One page per report: a run of several APIs is one file.
 *
 * What the runner does not measure is marked unknown as HAR asks (-1): header sizes and the phases
 * of a request; `time` and `timings.wait` are the time from sending to the complete answer.
 * Requests that were never sent (a step before failed, no record was left to use) have no entry;
 * `log.comment` counts them.
 * An exchange without an answer (timeout, refused connection) has status 0 and its reason in `_error`,
 * as browsers write it. `_operationId`, `_case` and `_seq` tie each entry to the other reports.
 */
import { STATUS_CODES } from 'node:http';
import { PACKAGE_VERSION } from '../../lib/package-root.js';
import type { ExchangeRecord, Report } from '../report.js';

interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number };
  _operationId: string;
  _case: string;
  _seq: number;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
    comment?: string;
  };
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

const pairs = (headers: Record<string, string>): HarNameValue[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function queryString(url: string): HarNameValue[] {
  const question = url.indexOf('?');
  if (question === -1) return [];
  const hash = url.indexOf('#', question);
  const query = url.slice(question + 1, hash === -1 ? undefined : hash);
  return [...new URLSearchParams(query)].map(([name, value]) => ({ name, value }));
}

function isoTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function entry(exchange: ExchangeRecord, pageref: string, startedAt: number): HarEntry {
  const { request, response } = exchange;
  const duration = Math.max(0, exchange.durationMs ?? 0);
  const text = request.text;
  return {
    pageref,
    startedDateTime: isoTime(startedAt),
    time: duration,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(request.headers),
      queryString: queryString(request.url),
      ...(text !== undefined
        ? { postData: { mimeType: header(request.headers, 'content-type') ?? 'application/octet-stream', text } }
        : {}),
      headersSize: -1,
      bodySize: text === undefined ? 0 : bytes(text),
    },
    response: response
      ? {
          status: response.status,
          statusText: STATUS_CODES[response.status] ?? '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: pairs(response.headers),
          content: {
            size: bytes(response.text),
            mimeType: header(response.headers, 'content-type') ?? 'x-unknown',
            text: response.text,
            ...(response.truncated ? { comment: 'truncated: the report keeps the first 64 KB of each body' } : {}),
          },
          redirectURL: header(response.headers, 'location') ?? '',
          headersSize: -1,
          bodySize: response.truncated ? -1 : bytes(response.text),
          ...(exchange.error !== null ? { _error: exchange.error } : {}),
        }
      : {
          status: 0,
          statusText: '',
          httpVersion: '',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
          _error: exchange.error ?? 'no response',
        },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: duration, receive: 0 },
    _operationId: exchange.operationId,
    _case: exchange.case,
    _seq: exchange.seq,
  };
}

export function buildHar(reports: readonly Report[]): Har {
  const har: Har = {
    log: {
      version: '1.2',
      creator: { name: 'contact-api-contracts conformance', version: PACKAGE_VERSION },
      pages: [],
      entries: [],
    },
  };
  let notSent = 0;
  for (const [index, report] of reports.entries()) {
    const id = `run_${index + 1}`;
    const sent = report.exchanges.filter(
      (exchange): exchange is ExchangeRecord & { startedAt: number } => exchange.startedAt !== null,
    );
    notSent += report.exchanges.length - sent.length;
    if (sent.length === 0) continue;
    const first = sent.reduce((earliest, exchange) => Math.min(earliest, exchange.startedAt), Number.POSITIVE_INFINITY);
    har.log.pages.push({
      startedDateTime: isoTime(first),
      id,
      title: `${report.spec} against ${report.baseUrl} (seed ${report.seed})`,
      pageTimings: {},
    });
    for (const exchange of sent) har.log.entries.push(entry(exchange, id, exchange.startedAt));
  }
  // Viewers show entries in the order given: the order they were sent in.
  har.log.entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  if (notSent > 0)
    har.log.comment = `${notSent} planned ${notSent === 1 ? 'request was' : 'requests were'} not sent (a step before failed, or no record was left to use; the JSON report's notSentBy says which)`;
  return har;
}

export function renderHar(reports: readonly Report[]): string {
  return `${JSON.stringify(buildHar(reports), null, 2)}\n`;
}
