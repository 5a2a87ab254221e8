/**
 * Everything decided about an admin request before its body is read (the listener's
 * `authorize` step): a single `Authorization` header, a valid token, a known operation, the
 * token's scope for it, a JSON content type and a body within the limit. An unauthorized or
 * oversized request never gets a body buffered or parsed.
 */
import type { HttpRequestHead, HttpResponse } from '../http/index.js';
import { commonFailure, failureResponse } from './admin-errors.js';
import type { AdminCaller, AnyAdminOperation } from './admin-operation.js';
import type { BearerTokens } from './bearer-tokens.js';
import type { OperationTable } from './operation-table.js';

/** The document's path below the base; any valid token may read it (see `http-admin-api-module.ts`). */
export const OPENAPI_PATH = '/openapi.json';

const REALM = 'Bearer realm="salon-admin"';

export interface AdmissionSettings {
  readonly tokens: BearerTokens;
  readonly table: OperationTable;
  /** The published base (`/admin`, or what `http_paths.admin` says). */
  readonly base: string;
  readonly maxBody: number;
}

export type Admission =
  | { readonly kind: 'refused'; readonly response: HttpResponse }
  | { readonly kind: 'document'; readonly caller: AdminCaller }
  | { readonly kind: 'operation'; readonly caller: AdminCaller; readonly operation: AnyAdminOperation; readonly params: Readonly<Record<string, string>> };

const refuse = (response: HttpResponse): Admission => ({ kind: 'refused', response });

/** RFC 8259 §11 and RFC 6839 §3.1: `application/json` or a `+json` type, parameters ignored. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function announcedLength(head: HttpRequestHead): number | undefined {
  const length = head.headers['content-length'];
  return length === undefined || !/^\d+$/.test(length) ? undefined : Number(length);
}

function hasBody(head: HttpRequestHead): boolean {
  return head.headers['transfer-encoding'] !== undefined || (announcedLength(head) ?? 0) > 0;
}

/** The path below the base, or undefined when the request is outside it. */
export function restOf(path: string, base: string): string | undefined {
  const trimmed = base.endsWith('/') ? base.slice(0, -1) : base;
  return path.startsWith(`${trimmed}/`) ? path.slice(trimmed.length) : undefined;
}

function authenticate(settings: AdmissionSettings, head: HttpRequestHead): AdminCaller | HttpResponse {
  // RFC 9110 §5.3: Authorization is a singleton; Node would keep only the first of two.
  if (head.repeatedHeaders.has('authorization')) {
    return failureResponse(commonFailure('repeated-authorization', 'The Authorization header must appear once'));
  }
  const check = settings.tokens.check(head.headers.authorization);
  if (check.kind === 'missing') {
    return failureResponse(commonFailure('missing-token', 'A bearer token is required'), { 'WWW-Authenticate': REALM });
  }
  if (check.kind === 'invalid') {
    return failureResponse(commonFailure('invalid-token', 'The bearer token is not valid'), { 'WWW-Authenticate': `${REALM}, error="invalid_token"` });
  }
  return check.caller;
}

function bodyChecks(settings: AdmissionSettings, head: HttpRequestHead, operation: AnyAdminOperation): HttpResponse | undefined {
  if (operation.body === undefined || !hasBody(head)) return undefined;
  if (!isJsonContentType(head.headers['content-type'])) {
    return failureResponse(commonFailure('unsupported-media-type', 'The body must be JSON (Content-Type: application/json)'));
  }
  const length = announcedLength(head);
  if (length !== undefined && length > settings.maxBody) {
    return failureResponse(commonFailure('body-too-large', `The body exceeds ${settings.maxBody} bytes`, { limit: settings.maxBody }));
  }
  return undefined;
}

/** The methods the API serves, for `Allow` on a pre-flight. */
const SERVED = 'GET, HEAD, PUT, POST, PATCH, DELETE';

/** Decides on a request from its head alone. */
export function admit(settings: AdmissionSettings, head: HttpRequestHead): Admission {
  // No CORS (the API is for backends, not browsers): a pre-flight gets a 405 without any
  // Access-Control-* header, so a browser never lets a page call the API; answered here rather
  // than by the listener so that it carries `Cache-Control: no-store` (RFC 9110 §15.5.6: a 405
  // is heuristically cacheable).
  if (head.method === 'OPTIONS') {
    return refuse(failureResponse({ status: 405, code: 'method-not-allowed', message: 'The admin API does not answer CORS pre-flights' }, { Allow: SERVED }));
  }
  const caller = authenticate(settings, head);
  if ('status' in caller) return refuse(caller);
  const rest = restOf(head.path, settings.base);
  if (rest === OPENAPI_PATH && (head.method === 'GET' || head.method === 'HEAD')) return { kind: 'document', caller };
  const match = rest === undefined ? { kind: 'not-found' as const } : settings.table.match(head.method, rest);
  switch (match.kind) {
    case 'not-found': return refuse(failureResponse(commonFailure('not-found', 'No such admin API path')));
    case 'malformed-path': return refuse(failureResponse(commonFailure('malformed-path', 'Malformed percent-encoding in path')));
    case 'method-not-allowed':
      return refuse(failureResponse({ status: 405, code: 'method-not-allowed', message: 'Method not allowed on this path' }, { Allow: match.allow.join(', ') }));
    case 'found': break;
  }
  const { operation } = match;
  if (!caller.scopes.has(operation.scope)) {
    return refuse(failureResponse(
      commonFailure('insufficient-scope', `This operation needs the scope "${operation.scope}"`, { scope: operation.scope }),
      { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${operation.scope}"` },
    ));
  }
  const problem = bodyChecks(settings, head, operation);
  if (problem !== undefined) return refuse(problem);
  return { kind: 'operation', caller, operation, params: match.params };
}
