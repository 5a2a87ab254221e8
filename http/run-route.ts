/**
 * Runs one matched route: reads the body under its limit, builds the framework-free request,
 * calls the handler and writes its answer. A handler that throws gets a JSON 500 and the
 * connection stays usable.
 */
import type { Context } from 'koa';
import type { Logger } from '../server/log/index.js';
import type { HttpRequest } from './http-types.js';
import { readBody } from './read-body.js';
import { defaultErrorBody, sendError, sendResponse, type ErrorBody } from './respond.js';
import type { RouteEntry } from './route-table.js';

export interface RouteRun {
  readonly entry: RouteEntry;
  readonly rawRest: string;
  readonly host: string;
  /** `http_max_content_size`: no route accepts more. */
  readonly maxContentSize: number;
  readonly logger: Logger;
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

/** Answers the request with the route; never throws. */
export async function runRoute(ctx: Context, run: RouteRun): Promise<void> {
  const errorBody: ErrorBody = run.entry.spec.errorBody ?? defaultErrorBody;
  const params = decodeRest(run.rawRest);
  if (params === undefined) return sendError(ctx, 400, 'Malformed percent-encoding in path', errorBody);
  const limit = Math.min(run.entry.spec.bodyLimit ?? run.maxContentSize, run.maxContentSize);
  const body = await readBody(ctx.req, limit);
  if (!body.ok) {
    if (body.closeConnection) ctx.set('Connection', 'close');
    return sendError(ctx, body.status, body.message, errorBody);
  }
  const request: HttpRequest = {
    method: ctx.method,
    path: ctx.path,
    params,
    query: queryOf(ctx),
    headers: headersOf(ctx),
    body: body.body,
    remoteAddress: ctx.req.socket.remoteAddress ?? '',
    host: run.host,
    secure: ctx.protocol === 'https',
  };
  try {
    const response = await run.entry.spec.handler(request);
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
