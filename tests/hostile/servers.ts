/**
 * Small hostile servers on 127.0.0.1 and a free port, written on node:net so that every byte they
 * send is chosen by the test: nothing a well-behaved HTTP library would refuse to send stands in
 * the way. Each reads HTTP/1.1 requests off its connections (keep-alive included) and hands each
 * one, with the raw socket, to the behaviour under test.
 */
import { connect as createConnection, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { selfSignedCertificate } from './certificate.js';

export interface RawRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Complete HTTP requests read so far. */
  readonly requests: number;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

function parseHead(head: string): RawRequest {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, path, headers };
}

function track(server: Server, sockets: Set<Socket>): void {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
}

async function listen(server: Server, sockets: Set<Socket>, counter: () => number): Promise<HostileServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return counter();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Calls `answer` once per request. Bytes that never make a request head (the runner's TLS probe,
 * a half-sent request) are dropped with the connection when the client closes its side.
 */
export async function hostileServer(answer: (request: RawRequest, socket: Socket) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createNetServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf(HEAD_END);
        if (end === -1) return;
        const request = parseHead(buffered.subarray(0, end).toString('latin1'));
        const length = Number(request.headers['content-length'] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        requests++;
        answer(request, socket);
      }
    });
  });
  track(server, sockets);
  return listen(server, sockets, () => requests);
}

/** A server that accepts connections and never sends a byte. */
export function silentServer(): Promise<HostileServer> {
  return hostileServer(() => undefined);
}

/** A TLS-only server (a self-signed certificate made for the test) answering every request with 200 `{}`. */
export async function tlsServer(): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createTlsServer(selfSignedCertificate(), (socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => {
      requests++;
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    });
  });
  server.on('tlsClientError', () => undefined);
  track(server, sockets);
  return listen(server, sockets, () => requests);
}

/**
 * A loopback port that refuses connections while the test holds it: the local end of a connection
 * of our own, which nothing listens on and nothing else can bind meanwhile (a port probed free and
 * closed could be handed to another process before the runner tries it).
 */
export async function refusingPort(): Promise<{ url: string; release(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const listener = createNetServer();
  track(listener, sockets);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const holder = createConnection((listener.address() as { port: number }).port);
  await new Promise<void>((resolve, reject) => holder.once('connect', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${holder.localPort}`,
    release: async () => {
      holder.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

/** A response head: status line and headers, with the blank line that ends them. */
export function head(status: string, headers: Record<string, string | number> = {}): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status}\r\n${lines.join('')}\r\n`;
}

/** A complete response with a Content-Length body. */
export function reply(status: string, body: string | Buffer, headers: Record<string, string | number> = {}): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(head(status, { ...headers, 'content-length': bytes.length })), bytes]);
}

/** Writes `chunk` for as long as the connection lasts, waiting whenever the socket's buffer is full. */
export function writeForever(socket: Socket, chunk: Buffer): void {
  const more = (): void => {
    while (!socket.destroyed && socket.write(chunk));
    if (!socket.destroyed) socket.once('drain', more);
  };
  more();
}
