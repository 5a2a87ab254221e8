/**
 * An HTTP request sent in part over a raw loopback socket: the head (announcing a body) and the
 * first bytes of the body, the rest never. What the server answers before the body is complete
 * shows that it did not wait to read it.
 */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface PartialRequest {
  readonly socket: Socket;
  /** The first complete answer (head and a `Content-Length` body). */
  readonly answer: Promise<RawAnswer>;
  /** Resolves when the server has closed or reset the connection. */
  readonly closed: Promise<void>;
}

function parseAnswer(text: string): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? '0');
  const body = text.slice(end + 4);
  if (Buffer.byteLength(body, 'latin1') < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}

/**
 * Sends `method path` with `headers` (Host, Content-Length… as given) and `bodyStart`, then stops
 * writing (the socket stays open for the caller).
 */
export async function sendPartial(baseUrl: string, method: string, path: string, headers: Record<string, string>, bodyStart: string | Buffer): Promise<PartialRequest> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => undefined);
  let data = '';
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const parsed = parseAnswer(data);
      if (parsed !== undefined) resolve(parsed);
    });
    socket.once('close', () => reject(new Error(`closed without a complete answer: ${JSON.stringify(data)}`)));
  });
  answer.catch(() => undefined);
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  socket.write(head);
  socket.write(bodyStart);
  return { socket, answer, closed };
}

/** Rejects after `ms` with `what`, for a race against a promise that must settle first. */
export function deadline(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    timer.unref();
  });
}
