/**
 * A scripted roster backend for the http_roster_admin tests: a real `node:http` server on
 * 127.0.0.1 that records every request and answers `/contacts/<user>` from `rosters`, unless a
 * script says otherwise (a status, a body, or no answer at all). A gate holds answers until
 * released, to observe requests in flight.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Arrivals } from './arrivals.js';

export interface RecordedRequest {
  readonly method: string;
  /** The request target exactly as received (path and query, not decoded). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A scripted answer; `hang` accepts the request and never answers. */
export type ScriptedReply = { status: number; body: string; headers?: Record<string, string> } | 'hang';

export class RosterBackend {
  readonly requests: RecordedRequest[] = [];
  readonly #arrivals = new Arrivals<RecordedRequest>(this.requests);
  /** Roster documents by username (as it appears, decoded, after `/contacts/`). */
  readonly rosters = new Map<string, unknown>();
  /** When set and returning a reply, it answers instead of `rosters`. */
  script: ((request: RecordedRequest) => ScriptedReply | undefined) | undefined;
  readonly #server: Server;
  readonly #held: (() => void)[] = [];
  #gated = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<RosterBackend> {
    let backend: RosterBackend | undefined;
    const server = createServer((request, response) => backend!.handle({ method: request.method ?? '', url: request.url ?? '', headers: request.headers }, response));
    backend = new RosterBackend(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return backend;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path = '/contacts/%s'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Requests whose target is exactly `path`. */
  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url === path);
  }

  /** Holds every answer until `release` is called. */
  gate(): void {
    this.#gated = true;
  }

  release(): void {
    this.#gated = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  /** Resolves once `count` requests have arrived. */
  async waitForRequests(count: number, timeoutMs = 3000): Promise<void> {
    await this.#arrivals.waitForCount(count, timeoutMs, 'backend requests');
  }


  async close(): Promise<void> {
    this.#held.length = 0;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private handle(request: RecordedRequest, response: ServerResponse): void {
    this.#arrivals.add(request);
    const reply = this.script?.(request) ?? this.#fromRosters(request.url);
    if (reply === 'hang') return;
    const answer = (): void => {
      response.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      response.end(reply.body);
    };
    if (this.#gated) this.#held.push(answer);
    else answer();
  }

  #fromRosters(url: string): ScriptedReply {
    const match = /^\/contacts\/([^/?]*)$/.exec(url);
    const user = match === null ? undefined : decodeURIComponent(match[1]!);
    if (user === undefined || !this.rosters.has(user)) return { status: 404, body: '{"error":"no such user"}' };
    return { status: 200, body: JSON.stringify(this.rosters.get(user)) };
  }
}

/** A port that was just open and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
