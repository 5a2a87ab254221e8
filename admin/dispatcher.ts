/**
 * Runs an admitted operation: decodes and validates its path parameters, query and JSON body
 * with the operation's zod schemas (400 `invalid-request` listing each issue with its path, e.g.
 * `["body", "items", 3, "jid"]`), calls its handler and serialises the answer. A handler that
 * throws is a bug: logged, answered 500 `internal-error`, nothing of it shown to the caller.
 */
import type * as z from 'zod';
import type { HttpRequest, HttpResponse } from '../http/index.js';
import type { Logger } from '../server/log/index.js';
import { ADMIN_HEADERS, commonFailure, failureResponse } from './admin-errors.js';
import type { AdminCaller, AdminInput, AnyAdminOperation } from './admin-operation.js';
import type { AdminEnvironment } from './admin-environment.js';

type Part = 'params' | 'query' | 'body';

interface Issue {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
}

type Parsed = { ok: true; value: unknown } | { ok: false; issues: Issue[] };

function validate(part: Part, schema: z.ZodType | undefined, value: unknown): Parsed {
  if (schema === undefined) return { ok: true, value: undefined };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: [part, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))], code: issue.code, message: issue.message,
    })),
  };
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    // Not JSON: answered `malformed-json` by the caller.
    return { ok: false };
  }
}

/**
 * The body as the operation's schema will see it. An empty body counts as `{}`: a `PUT` whose
 * members are all optional needs none, and a required member is then named in the 400.
 */
function bodyValue(operation: AnyAdminOperation, request: HttpRequest): { ok: true; value: unknown } | { ok: false; response: HttpResponse } {
  if (operation.body === undefined) return { ok: true, value: undefined };
  if (request.body.length === 0) return { ok: true, value: {} };
  const parsed = parseJson(request.body);
  if (!parsed.ok) return { ok: false, response: failureResponse(commonFailure('malformed-json', 'The body is not valid JSON')) };
  return parsed;
}

/** Validated inputs, or the 400 answer listing every problem of every part. */
function inputsOf(operation: AnyAdminOperation, request: HttpRequest, params: Readonly<Record<string, string>>, caller: AdminCaller)
  : { ok: true; input: AdminInput<unknown, unknown, unknown> } | { ok: false; response: HttpResponse } {
  const body = bodyValue(operation, request);
  if (!body.ok) return body;
  const parts = [
    validate('params', operation.params, params),
    validate('query', operation.query, request.query),
    validate('body', operation.body, body.value),
  ] as const;
  const issues = parts.flatMap((part) => (part.ok ? [] : part.issues));
  if (issues.length > 0) {
    return { ok: false, response: failureResponse(commonFailure('invalid-request', issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '), { issues })) };
  }
  const [p, q, b] = parts.map((part) => (part.ok ? part.value : undefined));
  return { ok: true, input: { params: p, query: q, body: b, caller } };
}

export interface Dispatch {
  readonly operation: AnyAdminOperation;
  readonly params: Readonly<Record<string, string>>;
  readonly caller: AdminCaller;
  readonly request: HttpRequest;
}

/** Answers one admitted request; never throws. */
export async function dispatch(call: Dispatch, env: AdminEnvironment, logger: Logger): Promise<HttpResponse> {
  const { operation, request } = call;
  const inputs = inputsOf(operation, request, call.params, call.caller);
  if (!inputs.ok) return inputs.response;
  try {
    const outcome = await operation.handle(inputs.input, env);
    const status = outcome.ok ? outcome.value.status : outcome.error.status;
    // Changes (and refused changes) are logged with the token's name, an audit trail; reads only at debug.
    const entry = { operation: operation.operationId, token: call.caller.token, status, ip: request.clientAddress, ...(outcome.ok ? {} : { code: outcome.error.code }) };
    if (operation.method === 'GET') logger.debug(entry, 'admin API read');
    else logger.info(entry, 'admin API change');
    if (!outcome.ok) return failureResponse(outcome.error);
    const { body } = outcome.value;
    if (status === 204 || body === undefined) return { status, headers: ADMIN_HEADERS };
    return { status, json: body, headers: ADMIN_HEADERS };
  } catch (error) {
    logger.error({ err: error, operation: operation.operationId, token: call.caller.token }, 'admin operation failed');
    return failureResponse(commonFailure('internal-error', 'Internal server error'));
  }
}
