/**
 * A webhook receiver on 127.0.0.1 (a real `node:http` server) for the `http_webhooks` tests: it
 * verifies every request with the independent `standardwebhooks` package, records it, and
 * answers with the current script (200 by default), which a test replaces at will.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: number;
  readonly signature: string;
  readonly body: string;
  /** The payload when the signature verified, else undefined (see `problem`). */
  readonly payload: { type: string; timestamp: string; data: Record<string, unknown> } | undefined;
  readonly problem: string | undefined;
  readonly receivedAt: number;
}

/** How the receiver answers one request; `undefined` leaves it hanging until the receiver stops. */
export type ReceiverScript = (webhook: ReceivedWebhook, response: ServerResponse) => void;

export const ok: ReceiverScript = (_webhook, response) => response.writeHead(204).end();
export const status = (code: number, headers: Record<string, string> = {}): ReceiverScript => (_webhook, response) => response.writeHead(code, headers).end();
export const hang: ReceiverScript = () => undefined;

/** A fresh `whsec_` secret of 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export class WebhookReceiver {
  readonly secret = newSecret();
  readonly received: ReceivedWebhook[] = [];
  script: ReceiverScript = ok;
  /** Requests being handled right now (for the in-flight bound). */
  open = 0;
  maxOpen = 0;
  readonly #verifier = new Webhook(this.secret);
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();
  readonly #hanging = new Set<ServerResponse>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => void receiver!.#handle(request, response));
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** The endpoint entry for `http_webhooks`. */
  endpoint(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { url: this.url, secret: this.secret, ...extra };
  }

  /** Verified webhooks of `type`, in arrival order. */
  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.payload?.type === type);
  }

  /** Resolves with the first webhook (past or future) matching `predicate`. */
  async waitFor(predicate: (webhook: ReceivedWebhook) => boolean, timeoutMs = 5000): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching webhook; received: ${this.received.map((w) => w.body).join('\n')}`);
      await this.#nextArrival(remaining);
    }
  }

  /** Resolves once `count` webhooks matching `predicate` have arrived. */
  async waitForCount(count: number, predicate: (webhook: ReceivedWebhook) => boolean = () => true, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.filter(predicate);
      if (found.length >= count) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`expected ${count} webhooks, got ${found.length}`);
      await this.#nextArrival(remaining);
    }
  }

  /** Answers every request still hanging with `code`. */
  release(code = 204): void {
    for (const response of this.#hanging) response.writeHead(code).end();
    this.#hanging.clear();
  }

  async stop(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #nextArrival(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    response.on('close', () => {
      this.open -= 1;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    let payload: ReceivedWebhook['payload'];
    let problem: string | undefined;
    try {
      payload = this.#verifier.verify(body, headers) as ReceivedWebhook['payload'];
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const webhook: ReceivedWebhook = {
      id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), signature: headers['webhook-signature'],
      body, payload, problem, receivedAt: Date.now(),
    };
    this.received.push(webhook);
    this.#hanging.add(response);
    response.on('finish', () => this.#hanging.delete(response));
    this.script(webhook, response);
    for (const wake of [...this.#waiters]) wake();
  }
}
