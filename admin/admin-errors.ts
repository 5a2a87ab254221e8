/**
 * The admin API's error answers: `{ "error": { "code", "message", "details"? } }` with a stable
 * `code` per failure. The codes every operation may answer are listed here, once, and go into the
 * OpenAPI document; operations add their own (`room-not-found`, …) in `failures`.
 */
import type { HttpResponse } from '../http/index.js';
import type { AdminFailure } from './admin-operation.js';

/** Headers on every admin answer: never cached (RFC 9111 §5.2.2.5), never sniffed as HTML. */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Codes the framework itself answers with, and their statuses. */
export const COMMON_FAILURES = {
  'invalid-request': 400,
  'malformed-json': 400,
  'malformed-path': 400,
  'repeated-authorization': 400,
  'missing-token': 401,
  'invalid-token': 401,
  'insufficient-scope': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'internal-error': 500,
} as const satisfies Record<string, number>;

export type CommonFailureCode = keyof typeof COMMON_FAILURES;

/** A failure value with the status its code implies. */
export function commonFailure(code: CommonFailureCode, message: string, details?: unknown): AdminFailure {
  return { status: COMMON_FAILURES[code] as AdminFailure['status'], code, message, ...(details === undefined ? {} : { details }) };
}

/** The JSON error body of a failure. */
export function errorBody(failure: Pick<AdminFailure, 'code' | 'message' | 'details'>): { error: { code: string; message: string; details?: unknown } } {
  return { error: { code: failure.code, message: failure.message, ...(failure.details === undefined ? {} : { details: failure.details }) } };
}

/** The HTTP answer of a failure (405 is not an `AdminFailure` status: it is given with its `Allow`). */
export function failureResponse(failure: { status: number; code: string; message: string; details?: unknown }, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status: failure.status, json: errorBody(failure), headers: { ...ADMIN_HEADERS, ...headers } };
}

const LISTENER_CODES: Readonly<Record<number, string>> = {
  400: 'malformed-path', 404: 'not-found', 405: 'method-not-allowed', 413: 'body-too-large', 500: 'internal-error',
};

/**
 * The shape of the errors the HTTP listener produces on the admin route itself (a body past the
 * limit while reading a chunked upload, a handler failure): the same envelope, code from status.
 */
export function listenerErrorBody(message: string, status: number): unknown {
  return errorBody({ code: LISTENER_CODES[status] ?? (status >= 500 ? 'internal-error' : 'invalid-request'), message });
}
