/**
 * The single way Salon makes HTTP requests (DESIGN.md §4, §8; spec §0.4): undici's `fetch` over
 * two long-lived agents (verifying TLS, and not verifying for options that explicitly ask),
 * a total deadline covering connect, send and the whole response body, no redirects (a 3xx is
 * returned as an answer like any other), a bounded response body, and typed results. Header
 * values are never logged: a log line names the method, the URL without its query and the outcome.
 */
import type { Agent, Response } from 'undici';
import type { Logger } from '../log/index.js';
import { serviceKey, type ServiceKey } from '../modules/index.js';
import { parseHttpUrl } from './http-url.js';
import { classifyError, failure, type OutboundFailure } from './outbound-failure.js';

export type { OutboundFailure, OutboundFailureReason } from './outbound-failure.js';

/** Spec §0.4: bodies over 1 MiB are a backend failure. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface OutboundRequest {
  /** An absolute `http:` or `https:` URL. */
  readonly url: string;
  /** Default `GET`. */
  readonly method?: string;
  /** Sent as given (plus `User-Agent` when absent). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Total deadline in milliseconds: connect, send and the whole response body. */
  readonly timeoutMs: number;
  /** Largest response body accepted; default 1 MiB. */
  readonly maxBytes?: number;
  /** Skip TLS certificate and host name verification (only where an option explicitly says so). */
  readonly insecure?: boolean;
}

export interface OutboundResponse {
  readonly ok: true;
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type OutboundResult = OutboundResponse | OutboundFailure;

/** What modules use to call external services. */
export interface OutboundHttp {
  /** Never rejects: every failure is a value. */
  request(request: OutboundRequest): Promise<OutboundResult>;
}

/** The key under which every host offers the outbound client. */
export const outboundHttpKey: ServiceKey<OutboundHttp> = serviceKey<OutboundHttp>('outbound-http');

export interface OutboundHttpOptions {
  /** Sent when the request names none; default `Salon`. */
  readonly userAgent?: string;
}

/** URL for logs: scheme, host, port and path; user info, query and fragment may hold secrets. */
function loggableUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function readBounded(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  const announced = Number(response.headers.get('content-length') ?? '0');
  const body = response.body;
  if (announced > maxBytes) {
    await body?.cancel();
    return undefined;
  }
  if (body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream, which releases the connection.
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** undici and the two agents, made on the first request: a server that never calls out never loads undici. */
interface Dispatchers {
  readonly fetch: typeof import('undici').fetch;
  readonly verifying: Agent;
  readonly insecure: Agent;
}

async function createDispatchers(): Promise<Dispatchers> {
  const { Agent: AgentClass, fetch } = await import('undici');
  return { fetch, verifying: new AgentClass(), insecure: new AgentClass({ connect: { rejectUnauthorized: false } }) };
}

export class OutboundHttpClient implements OutboundHttp {
  readonly #logger: Logger;
  readonly #userAgent: string;
  #dispatchers: Promise<Dispatchers> | undefined;
  #closed = false;

  constructor(logger: Logger, options: OutboundHttpOptions = {}) {
    this.#logger = logger.child({ component: 'outbound-http' });
    this.#userAgent = options.userAgent ?? 'Salon';
  }

  async request(request: OutboundRequest): Promise<OutboundResult> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = parseHttpUrl(request.url);
    if (url === undefined) return this.#failed(method, '(invalid)', failure('invalid-url', 'not an absolute http or https URL'));
    if (url.username !== '' || url.password !== '') {
      return this.#failed(method, loggableUrl(url), failure('invalid-url', 'credentials in the URL are not sent; use a header'));
    }
    if (this.#closed) return this.#failed(method, loggableUrl(url), failure('network', 'the HTTP client is closed'));
    const started = performance.now();
    const deadline = AbortSignal.timeout(request.timeoutMs);
    try {
      const dispatchers = await (this.#dispatchers ??= createDispatchers());
      const response = await dispatchers.fetch(url, {
        method,
        headers: this.#headers(request.headers),
        body: request.body ?? null,
        redirect: 'manual', // spec §0.4: a 3xx is an answer, never followed
        signal: deadline,
        dispatcher: request.insecure === true ? dispatchers.insecure : dispatchers.verifying,
      });
      const maxBytes = request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const body = await readBounded(response, maxBytes);
      if (body === undefined) return this.#failed(method, loggableUrl(url), failure('too-large', `response body over ${maxBytes} bytes`));
      const elapsedMs = Math.round(performance.now() - started);
      this.#logger.debug({ method, url: loggableUrl(url), status: response.status, elapsedMs }, 'outbound HTTP request');
      return { ok: true, status: response.status, headers: Object.fromEntries(response.headers), body };
    } catch (error) {
      return this.#failed(method, loggableUrl(url), classifyError(error, deadline));
    }
  }

  /**
   * Destroys both agents and their pooled connections: requests still in flight fail at once
   * (shutdown does not wait for their deadlines), and later requests fail too.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#dispatchers === undefined) return;
    const { verifying, insecure } = await this.#dispatchers;
    await Promise.all([verifying.destroy(), insecure.destroy()]);
  }

  #headers(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const headers: Record<string, string> = { ...given };
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent')) headers['User-Agent'] = this.#userAgent;
    return headers;
  }

  #failed(method: string, url: string, result: OutboundFailure): OutboundFailure {
    this.#logger.info({ method, url, reason: result.reason, detail: result.detail }, 'outbound HTTP request failed');
    return result;
  }
}
