/**
 * Runs one matched route: asks the route's `authorize` before anything else, reads the body
 * under its limit (never for GET, HEAD and OPTIONS), builds the framework-free request, calls the
 * handler and writes its answer. A handler that throws gets a JSON 500 and the
 * connection stays usable.
 */
import type { Context } from 'koa';
import type { Logger } from '../server/log/index.js';
import type { HttpRequest, HttpRequestHead } from './http-types.js';
import type { PeerPolicy } from './peer-address.js';
import { leaveBodyUnread, readBody } from './read-body.js';
import { defaultErrorBody, sendError, sendResponse, type ErrorBody } from './respond.js';
import type { RouteEntry } from './route-table.js';

export interface RouteRun {
  readonly entry: RouteEntry;
  readonly rawRest: string;
  readonly host: string;
  /** `http_max_content_size`: no route accepts more. */
  readonly maxContentSize: number;
  readonly logger: Logger;
  readonly peers: PeerPolicy;
}

function decodeRest(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape (`%zz`): the caller answers 400 rather than guessing.
    return undefined;
  }
}

function queryOf(ctx: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(ctx.querystring)) query[name] = value;
  return query;
}

function headersOf(ctx: Context): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(ctx.request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Names of the headers that appear more than once in `rawHeaders` (name, value, name, value, …). */
export function repeatedHeaderNames(rawHeaders: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    if (seen.has(name)) repeated.add(name);
    else seen.add(name);
  }
  return repeated;
}

/**
 * Methods whose content has no meaning here: RFC 9110 §9.3.1 (GET), §9.3.2 (HEAD) and §9.3.7
 * (OPTIONS) define no semantics for a body, so it is never read or buffered. A request that
 * carries one is answered as if it had none (413 would refuse requests that are valid); a body
 * past a small allowance closes the connection after the answer (RFC 9112 §9.6) instead of being
 * read on.
 */
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the request announces a body (RFC 9112 §6.3: a length above 0, or a transfer coding). */
function hasBody(ctx: Context): boolean {
  const { headers } = ctx.req;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * The answer goes out without the body being read: a small one is dropped as it arrives, a
 * larger one closes the connection after the answer. Also for the answers the listener gives
 * without a route (probes, 404, 405): Node would otherwise read all of the body after the answer,
 * to reuse the connection.
 */
export function skipUnreadBody(ctx: Context): void {
  if (hasBody(ctx) && leaveBodyUnread(ctx.req)) ctx.set('Connection', 'close');
}

function headOf(ctx: Context, run: RouteRun): HttpRequestHead {
  const peer = ctx.req.socket.remoteAddress ?? '';
  const secure = ctx.protocol === 'https';
  const headers = headersOf(ctx);
  const origin = run.peers.forwardedOrigin(peer, headers);
  return {
    method: ctx.method,
    path: ctx.path,
    query: queryOf(ctx),
    headers,
    repeatedHeaders: repeatedHeaderNames(ctx.req.rawHeaders),
    remoteAddress: peer,
    clientAddress: run.peers.clientAddress(peer, headers['x-forwarded-for']),
    host: run.host,
    secure,
    secureChannel: secure || run.peers.isSecureInterface(ctx.req.socket.localAddress),
    publicScheme: origin.scheme ?? (secure ? 'https' : 'http'),
    publicHost: origin.host ?? headers.host,
  };
}

/** Answers the request with the route; never throws. */
export async function runRoute(ctx: Context, run: RouteRun): Promise<void> {
  const { spec } = run.entry;
  const errorBody: ErrorBody = spec.errorBody ?? defaultErrorBody;
  const head = headOf(ctx, run);
  const early = spec.authorize?.(head);
  if (early !== undefined) {
    skipUnreadBody(ctx);
    if (sendResponse(ctx, early)) return;
  }
  const params = decodeRest(run.rawRest);
  if (params === undefined) {
    skipUnreadBody(ctx);
    if (spec.malformedPath !== undefined && sendResponse(ctx, spec.malformedPath)) return;
    return sendError(ctx, 400, 'Malformed percent-encoding in path', errorBody);
  }
  let body: Buffer = Buffer.alloc(0);
  const streamed = spec.streamBody === true && !BODILESS.has(ctx.method);
  if (BODILESS.has(ctx.method)) {
    skipUnreadBody(ctx);
  } else if (!streamed) {
    const limit = Math.min(spec.bodyLimit ?? run.maxContentSize, run.maxContentSize);
    const read = await readBody(ctx.req, limit, spec.bodyGate);
    if (!read.ok) {
      if (read.closeConnection) ctx.set('Connection', 'close');
      return sendError(ctx, read.status, read.message, errorBody);
    }
    body = read.body;
  }
  const request: HttpRequest = streamed ? { ...head, params, body, bodyStream: ctx.req } : { ...head, params, body };
  try {
    const response = await spec.handler(request);
    // A streamed body the handler refused without reading: dropped, or the connection closes.
    if (streamed && !ctx.req.readableEnded) skipUnreadBody(ctx);
    if (sendResponse(ctx, response)) return;
    run.logger.error({ host: run.host, route: run.entry.path.published, method: ctx.method }, 'route handler returned a malformed response');
  } catch (error) {
    run.logger.error({ err: error, host: run.host, route: run.entry.path.published, method: ctx.method }, 'route handler failed');
  }
  clearHeaders(ctx);
  sendError(ctx, 500, 'Internal server error', errorBody);
}

/** Drops whatever a failed answer had already set, so the error stands alone. */
export function clearHeaders(ctx: Context): void {
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
}
