/**
 * One operation of the admin REST API (`http_admin_api`): its method and path, the scope a token
 * needs, the zod schemas of its inputs and answer, and its handler. The same schemas validate
 * requests and generate the OpenAPI 3.1 document, so the two cannot drift apart.
 */
import type * as z from 'zod';
import type { Result } from '../server/errors/index.js';
import type { AdminEnvironment } from './admin-environment.js';

/** What a token may be allowed to do. */
export const ADMIN_SCOPES = [
  'users:read', 'users:write', 'rooms:read', 'rooms:write', 'messages:write', 'rosters:read', 'rosters:write',
  'server:read',
] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/** Who called: the token's name from the config, and its scopes. */
export interface AdminCaller {
  readonly token: string;
  readonly scopes: ReadonlySet<AdminScope>;
}

/** An expected failure: an HTTP status and a stable, documented `code`. */
export interface AdminFailure {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  /** Stable machine-readable code, e.g. `room-not-found`; listed in the OpenAPI document. */
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/** The validated inputs a handler receives. */
export interface AdminInput<P, Q, B> {
  /** Path parameters, decoded and validated. */
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: AdminCaller;
}

/** A successful answer: the status (one of the operation's `success` statuses) and the body. */
export interface AdminAnswer<R> {
  readonly status: 200 | 201 | 202 | 204;
  /** Omitted for 204. */
  readonly body?: R;
}

export interface AdminOperation<
  P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType,
> {
  /** OpenAPI `operationId`, camelCase, unique. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template below the API's base, e.g. `/rooms/{room}/occupants`. */
  readonly path: string;
  readonly scope: AdminScope;
  readonly summary: string;
  /** OpenAPI tag: `users`, `rooms`, `occupants`, `affiliations`, `messages`, `rosters`, `server`. */
  readonly tag: string;
  /** An object schema of the path parameters named in `path`. */
  readonly params?: P;
  /** An object schema of the query parameters. */
  readonly query?: Q;
  /** The JSON body's schema; absent for operations without a body. */
  readonly body?: B;
  /** The answer's schema (absent for operations that answer 204 only). */
  readonly response?: R;
  /** The success statuses this operation answers with. */
  readonly success: readonly (200 | 201 | 202 | 204)[];
  /** The failure codes it may answer with, for the document (the common ones are added). */
  readonly failures?: readonly AdminFailure['code'][];
  handle(
    input: AdminInput<z.output<P>, z.output<Q>, z.output<B>>, env: AdminEnvironment,
  ): Promise<Result<AdminAnswer<z.input<R>>, AdminFailure>>;
}

/** Declares an operation with its input types inferred from its schemas. */
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: AdminOperation<P, Q, B, R>,
): AdminOperation<P, Q, B, R> {
  return operation;
}

/** An operation whose types have been erased (for the operation table). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdminOperation = AdminOperation<any, any, any, any>;
