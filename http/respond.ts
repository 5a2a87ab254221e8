/**
 * Writing answers on a Koa context. Every error the listener produces is JSON (`{"error": …}`
 * unless the route shapes it), so a client never has to parse an HTML error page.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';
import type { HttpResponse } from './http-types.js';

/** RFC 8259 §11: JSON has no charset parameter; it is UTF-8. */
export const JSON_TYPE = 'application/json';

export type ErrorBody = (message: string, status: number) => unknown;

export const defaultErrorBody: ErrorBody = (message) => ({ error: message });

export function sendJson(ctx: Context, status: number, value: unknown): void {
  ctx.status = status;
  // Set before the body: Koa would otherwise add a charset parameter or guess a type.
  ctx.set('Content-Type', JSON_TYPE);
  ctx.body = JSON.stringify(value);
}

/** A JSON error in the route's shape (or `{ error }`). */
export function sendError(ctx: Context, status: number, message: string, errorBody: ErrorBody = defaultErrorBody): void {
  sendJson(ctx, status, errorBody(message, status));
}

function isValidStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 599;
}

/** Writes a handler's answer; false when the answer is malformed (the caller reports a 500). */
export function sendResponse(ctx: Context, response: HttpResponse): boolean {
  if (typeof response !== 'object' || response === null || !isValidStatus(response.status)) return false;
  const json = response.json === undefined ? undefined : JSON.stringify(response.json);
  if (response.json !== undefined && json === undefined) return false;
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) ctx.set(name, value);
  if (response.stream !== undefined) {
    // Koa pipes the stream and destroys it when the client goes away.
    ctx.body = response.stream;
    const length = response.headers?.['Content-Length'];
    if (length !== undefined) ctx.set('Content-Length', length);
  } else if (json !== undefined) {
    ctx.set('Content-Type', JSON_TYPE);
    ctx.body = json;
  } else if (response.text !== undefined) {
    if (ctx.response.get('Content-Type') === '') ctx.set('Content-Type', 'text/plain; charset=utf-8');
    ctx.body = response.text;
  } else {
    // An empty answer (a successful kick): no body and no content type to guess.
    ctx.body = '';
    ctx.remove('Content-Type');
    // RFC 9110 §9.3.2: HEAD answers with the headers GET would send (its length and type).
    if (ctx.method === 'HEAD') for (const [name, value] of Object.entries(response.headers ?? {})) ctx.set(name, value);
  }
  return true;
}

/** A JSON error on a bare Node response, where there is no Koa context (the app failed to load). */
export function sendRawJsonError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify(defaultErrorBody(message, status));
  response.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
