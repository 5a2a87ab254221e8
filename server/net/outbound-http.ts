/**
 * The single way Salon makes HTTP requests (DESIGN.md §4, §8; spec §0.4): undici's `request` over
 * two long-lived agents (verifying TLS, and not verifying for options that explicitly ask),
 * a total deadline covering connect, send and the whole response body, no redirects (a 3xx is
 * returned as an answer like any other), a bounded response body, and typed results. Header
 * values are never logged: a log line names the method, the URL without its query and the outcome.
 * `request` rather than `fetch`: the same exchange costs about a third of the CPU, without the
 * WHATWG streams, Headers and Response objects that Salon would only convert back.
 */
import type { Agent } from 'undici';
import type { Logger } from '../log/index.js';
import { serviceKey, type ServiceKey } from '../modules/index.js';
import { parseHttpUrl } from './http-url.js';
import { classifyError, failure, type OutboundFailure } from './outbound-failure.js';
import { joinedHeaders, readBounded } from './outbound-response.js';

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
  /**
   * Who asks: the module name (`muc_http_auth`, `http_webhooks`, …), the `plugin` label of the
   * outbound latency metric. Default `unnamed`.
   */
  readonly purpose?: string;
}

/** One finished request as observers see it: no URL or headers (they may hold secrets). */
export interface OutboundObservation {
  readonly purpose: string;
  readonly method: string;
  /** The HTTP status as text (`200`, `503`), or the failure reason (`timeout`, `network`, …). */
  readonly outcome: string;
  /** From the start of the request to the whole body read, or to the failure. */
  readonly seconds: number;
}

/** Called synchronously once per finished request; must not throw or block (metrics). */
export type OutboundObserver = (observation: OutboundObservation) => void;

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
  /** Adds an observer of every finished request; returns its remover. Optional: test doubles leave it out. */
  observe?(observer: OutboundObserver): () => void;
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

/** undici and the two agents, made on the first request: a server that never calls out never loads undici. */
interface Dispatchers {
  readonly verifying: Agent;
  readonly insecure: Agent;
}

async function createDispatchers(): Promise<Dispatchers> {
  const { Agent: AgentClass } = await import('undici');
  return { verifying: new AgentClass(), insecure: new AgentClass({ connect: { rejectUnauthorized: false } }) };
}

export class OutboundHttpClient implements OutboundHttp {
  readonly #logger: Logger;
  readonly #userAgent: string;
  #dispatchers: Promise<Dispatchers> | undefined;
  #closed = false;
  /** A new array on each change, as output filters do: a notification in progress keeps its list. */
  #observers: readonly OutboundObserver[] = [];

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
    const result = await this.#send(request, method, url);
    if (this.#observers.length > 0) this.#notify(request.purpose ?? 'unnamed', method, result, started);
    return result;
  }

  observe(observer: OutboundObserver): () => void {
    this.#observers = [...this.#observers, observer];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }

  #notify(purpose: string, method: string, result: OutboundResult, started: number): void {
    const observation: OutboundObservation = {
      purpose,
      method,
      outcome: result.ok ? String(result.status) : result.reason,
      seconds: (performance.now() - started) / 1000,
    };
    for (const observer of this.#observers) observer(observation);
  }

  async #send(request: OutboundRequest, method: string, url: URL): Promise<OutboundResult> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(request.timeoutMs);
    try {
      const dispatchers = await (this.#dispatchers ??= createDispatchers());
      const dispatcher = request.insecure === true ? dispatchers.insecure : dispatchers.verifying;
      // Spec §0.4: a 3xx is an answer, never followed; `request` follows nothing unless a redirect
      // interceptor is composed into the dispatcher, and these agents have none.
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: this.#headers(request.headers, request.body),
        body: request.body ?? null,
        signal: deadline, // stays on the body until it ends: the deadline covers reading it
      });
      const maxBytes = request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const body = await readBounded(response.body, response.headers['content-length'], maxBytes);
      if (body === undefined) return this.#failed(method, loggableUrl(url), failure('too-large', `response body over ${maxBytes} bytes`));
      const elapsedMs = Math.round(performance.now() - started);
      this.#logger.debug({ method, url: loggableUrl(url), status: response.statusCode, elapsedMs }, 'outbound HTTP request');
      return { ok: true, status: response.statusCode, headers: joinedHeaders(response.headers), body };
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

  #headers(given: Readonly<Record<string, string>> | undefined, body: string | Uint8Array | undefined): Record<string, string> {
    const headers: Record<string, string> = { ...given };
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    if (!names.includes('user-agent')) headers['User-Agent'] = this.#userAgent;
    // A text body the caller did not label is plain text, as the Fetch standard labels it.
    if (typeof body === 'string' && !names.includes('content-type')) headers['Content-Type'] = 'text/plain;charset=UTF-8';
    return headers;
  }

  #failed(method: string, url: string, result: OutboundFailure): OutboundFailure {
    this.#logger.info({ method, url, reason: result.reason, detail: result.detail }, 'outbound HTTP request failed');
    return result;
  }
}
