/**
 * Raw HTTP/1.1 on one connection, requests pipelined: the cheapest way to send many requests to a
 * mock in the same process (no client library between), and a way to send a request target exactly
 * as written (no URL normalisation).
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

const CRLF = Buffer.from('\r\n');

/** Sends the requests pipelined on one connection and resolves with the status of each answer, in order. */
export function pipelined(port: number, requests: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const statuses: number[] = [];
    let buffer: Buffer = Buffer.alloc(0);
    /** Bytes of one whole answer at the start of the buffer, or undefined while incomplete. */
    const answerLength = (): number | undefined => {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return undefined;
      const head = buffer.subarray(0, end).toString('latin1');
      let at = end + 4;
      if (!/\r\ntransfer-encoding: *chunked/i.test(head)) {
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        return buffer.length >= at + length ? at + length : undefined;
      }
      for (;;) {
        const line = buffer.indexOf(CRLF, at);
        if (line === -1) return undefined;
        const size = Number.parseInt(buffer.subarray(at, line).toString('latin1'), 16);
        at = line + 2 + size + 2;
        if (buffer.length < at) return undefined;
        if (size === 0) return at;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (let length = answerLength(); length !== undefined; length = answerLength()) {
        statuses.push(Number(buffer.subarray(9, 12).toString('latin1')));
        buffer = buffer.subarray(length);
      }
      if (statuses.length === requests.length) {
        socket.end();
        resolve(statuses);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (statuses.length < requests.length) reject(new Error(`closed after ${statuses.length} answers`));
    });
    socket.write(requests.join(''));
  });
}

export interface RawAnswer {
  status: number;
  text: string;
}

/** One request whose target goes on the wire exactly as given: `..` and `%2e%2e` included. */
export function sendRaw(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path: target, headers, agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
