/**
 * One connection to the target before a run: an unreachable target, or one that speaks the other
 * protocol than its URL says (TLS behind http://, plain HTTP behind https://), is a one-line exit 2
 * instead of the same failure on every case. A TLS server silently drops an HTTP request, which
 * undici can only report as a closed connection, so the scheme is learnt by asking in TLS: the
 * connection sends a TLS ClientHello and its end, and reads the first bytes back. A TLS server
 * answers with a TLS record (a handshake or an alert), an HTTP server with `HTTP/` or by closing;
 * when nothing comes back within --timeout the run goes ahead, as it would have without asking.
 */
import { isIP, connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

type Protocol = 'tls' | 'http' | 'unknown';

/** The first flight of a TLS client, made by Node's own TLS stack into a stream that goes nowhere. */
function clientHello(servername: string | undefined): Promise<Buffer> {
  return new Promise((resolve) => {
    let tls: TLSSocket | undefined;
    const capture = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, callback) => {
        resolve(chunk);
        callback();
        setImmediate(() => tls?.destroy());
      },
    });
    tls = tlsConnect({ socket: capture, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
    tls.on('error', () => undefined);
  });
}

function protocolOf(first: Buffer): Protocol {
  // A TLS record starts with its content type (22 handshake, 21 alert) and major version 3.
  if (first.length >= 2 && (first[0] === 22 || first[0] === 21) && first[1] === 3) return 'tls';
  if (first.toString('latin1', 0, 5) === 'HTTP/') return 'http';
  return 'unknown';
}

/** A reachable target accepts a connection at once: --timeout is for answers, which may take long. */
const MAX_CONNECT_MS = 5_000;

/**
 * A timer whose callback waits until what already arrived is handled: a process kept busy past the
 * wait (another run planning in it) would otherwise read a connection made in time as none.
 */
function whenDue(callback: () => void, ms: number): NodeJS.Timeout {
  return setTimeout(() => setImmediate(callback), ms);
}

function probe(url: URL, hello: Buffer, timeoutMs: number): Promise<Protocol> {
  const connectMs = Math.min(timeoutMs, MAX_CONNECT_MS);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    let connected = false;
    let ended = false;
    let first = Buffer.alloc(0);
    const end = (outcome: Protocol | Error): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    let timer = whenDue(() => {
      if (!connected) end(new Error(`cannot reach ${url.origin}: no connection within ${connectMs} ms`));
    }, connectMs);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = whenDue(() => end('unknown'), timeoutMs);
      socket.end(hello);
    });
    socket.on('data', (chunk: Buffer) => {
      first = Buffer.concat([first, chunk]);
      if (first.length >= 5) end(protocolOf(first));
    });
    socket.once('end', () => end(protocolOf(first)));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (connected) return end(protocolOf(first));
      const reason = error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message);
      end(new Error(`cannot reach ${url.origin}: ${reason}`));
    });
  });
}

/** The base URL with the other scheme and the same port. */
function withScheme(url: URL, protocol: 'http:' | 'https:'): string {
  const other = new URL(url.href);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  other.protocol = protocol;
  other.port = port;
  return other.href.replace(/\/+$/, '');
}

/**
 * A certificate the client will not trust fails every request alike (as DEPTH_ZERO_SELF_SIGNED_CERT
 * and the like): asked once, it is the run's one-line refusal. Anything else (a handshake that does
 * not finish in time, a reset) is left for the requests to meet.
 */
function untrusted(url: URL, servername: string | undefined, timeoutMs: number): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, ...(servername ? { servername } : {}) });
    const end = (outcome: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = whenDue(() => end(undefined), Math.min(timeoutMs, MAX_CONNECT_MS));
    socket.once('secureConnect', () => end(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      end(CERTIFICATE_CODES.test(error.code ?? '') ? (error.code ?? error.message) : undefined),
    );
  });
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/;

export async function preflight(url: URL, timeoutMs: number): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const servername = isIP(host) ? undefined : host;
  const protocol = await probe(url, await clientHello(servername), timeoutMs);
  if (url.protocol === 'http:' && protocol === 'tls') {
    throw new Error(`${url.origin} speaks TLS: use ${withScheme(url, 'https:')}`);
  }
  if (url.protocol === 'https:' && protocol === 'http') {
    throw new Error(`${url.origin} answers plain HTTP, not TLS: use ${withScheme(url, 'http:')}`);
  }
  if (url.protocol === 'https:') {
    const code = await untrusted(url, servername, timeoutMs);
    if (code !== undefined) {
      throw new Error(
        `${url.origin}'s certificate is not trusted (${code}): give its CA in NODE_EXTRA_CA_CERTS=<file.pem>`,
      );
    }
  }
}

/** Loopback targets need no --live and get no default rate limit. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}
