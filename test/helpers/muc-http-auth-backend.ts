/**
 * A scripted external authorization service on 127.0.0.1 (a real `node:http` server): it records
 * every request and answers with the current script, which a test replaces at will.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Arrivals } from './arrivals.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly path: string;
  /** The raw query string (without `?`), still percent-encoded. */
  readonly rawQuery: string;
  /** The decoded query parameters. */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/** How the service answers one request. */
export type Script = (request: RecordedRequest, response: ServerResponse) => void;

/** Answers `status` with `body` as given (a string is sent verbatim, anything else as JSON). */
export function answer(status: number, body: unknown, headers: Record<string, string> = {}): Script {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(text);
  };
}

export const allow: Script = answer(200, { allowed: true, error: '' });

export function deny(error = 'nope'): Script {
  return answer(200, { allowed: false, error });
}

/** Accepts the request and never answers (the socket stays open until the backend closes). */
export const silent: Script = () => undefined;

/** Chooses a script per request, e.g. by room or nickname. */
export function route(choose: (request: RecordedRequest) => Script): Script {
  return (request, response) => choose(request)(request, response);
}

export class AuthBackend {
  readonly requests: RecordedRequest[] = [];
  readonly #arrivals = new Arrivals<RecordedRequest>(this.requests);
  script: Script = allow;
  readonly #server: Server;
  readonly #port: number;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.#port = port;
  }

  static async start(): Promise<AuthBackend> {
    let backend: AuthBackend | undefined;
    const server = createServer((request, response) => {
      const url = request.url ?? '';
      const [path = '', rawQuery = ''] = url.split(/\?(.*)/s);
      const recorded: RecordedRequest = {
        method: request.method ?? '', url, path, rawQuery, query: new URLSearchParams(rawQuery), headers: request.headers,
      };
      backend!.#arrivals.add(recorded);
      backend!.script(recorded, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backend = new AuthBackend(server, (server.address() as AddressInfo).port);
    return backend;
  }

  get port(): number {
    return this.#port;
  }

  /** The URL of `path` on this service (default `/can-join`, as in the spec's scenarios). */
  url(path = '/can-join'): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  /** Requests whose `mucJID` is `room`. */
  requestsFor(room: string): RecordedRequest[] {
    return this.requests.filter((request) => request.query.get('mucJID') === room);
  }

  /** Resolves once `count` requests have arrived in total. */
  async waitForRequests(count: number, timeoutMs = 3000): Promise<void> {
    await this.#arrivals.waitForCount(count, timeoutMs, 'requests');
  }


  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A loopback port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
