/**
 * Requests to `/muc_kick` as an external application makes them: real HTTP over loopback, the
 * `Host` header naming the MUC service, optionally from another loopback source address (so that
 * the per-address failure limit of one test never touches another's).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export const KICK_SECRET = 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=';

export interface KickRequestOptions {
  readonly method?: string;
  readonly path?: string;
  /** `null` sends no Authorization header; default the right secret. */
  readonly authorization?: string | null;
  /** Default `rooms.example.net`. */
  readonly host?: string;
  /** A 127.0.0.0/8 source address; default the system's choice (127.0.0.1). */
  readonly localAddress?: string;
}

export interface KickReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Sends `body` (a string verbatim, anything else as JSON) and resolves with the whole answer. */
export function kickRequest(baseUrl: string, body: unknown, options: KickRequestOptions = {}): Promise<KickReply> {
  const text = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { host: options.host ?? 'rooms.example.net', 'content-length': String(Buffer.byteLength(text)) };
  const authorization = options.authorization === undefined ? KICK_SECRET : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const target = new URL(options.path ?? '/muc_kick', baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(target, {
      method: options.method ?? 'POST', headers, agent: false,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(text);
  });
}

/** The `error` member of a JSON error answer (fails when the answer is not one). */
export function errorOf(reply: KickReply): unknown {
  expectJson(reply);
  return (JSON.parse(reply.body) as { error?: unknown }).error;
}

function expectJson(reply: KickReply): void {
  if (reply.headers['content-type'] !== 'application/json') throw new Error(`not a JSON answer: ${reply.status} ${reply.headers['content-type']} ${reply.body}`);
}
